"""Finding the current notebook from each hint a kernel can have, in order, and asking when there is none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinytorch_milestones.services.export import ExportError, HowFound, find_current_notebook, locate_notebook


@pytest.fixture(autouse=True)
def no_session_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A notebook folder holding 01_tensor.ipynb and 02_autograd.ipynb."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("01_tensor.ipynb", "02_autograd.ipynb"):
        (notebooks / name).write_text("{}")
    return notebooks


def test_the_session_variable_comes_first(folder, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", str(folder / "02_autograd.ipynb"))

    found = find_current_notebook({"__session__": str(folder / "01_tensor.ipynb")}, cwd=folder)

    assert found == folder / "02_autograd.ipynb"


def test_a_session_path_relative_to_the_server_root_is_found_in_the_working_folder(folder, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "course/notebooks/02_autograd.ipynb")

    assert find_current_notebook(cwd=folder) == folder / "02_autograd.ipynb"


def test_a_session_path_relative_to_the_working_folder(folder, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/01_tensor.ipynb")

    assert find_current_notebook(cwd=folder.parent) == folder / "01_tensor.ipynb"


def test_ipykernel_session_name_in_the_namespace(folder):
    assert find_current_notebook({"__session__": str(folder / "01_tensor.ipynb")}, cwd=folder) == folder / "01_tensor.ipynb"


def test_vs_code_notebook_file_in_the_namespace(folder, tmp_path):
    found = find_current_notebook({"__vsc_ipynb_file__": str(folder / "02_autograd.ipynb")}, cwd=tmp_path)

    assert found == folder / "02_autograd.ipynb"


def test_hints_that_name_no_notebook_are_skipped(folder, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", str(folder / "Untitled.ipynb"))
    namespace = {"__session__": "console-1", "__vsc_ipynb_file__": str(folder / "02_autograd.ipynb")}

    assert find_current_notebook(namespace, cwd=folder) == folder / "02_autograd.ipynb"


def test_the_only_notebook_in_the_working_folder(tmp_path):
    (tmp_path / "01_tensor.ipynb").write_text("{}")
    (tmp_path / ".hidden.ipynb").write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()

    assert find_current_notebook({}, cwd=tmp_path) == tmp_path / "01_tensor.ipynb"


def test_the_working_folder_defaults_to_the_current_one(tmp_path, monkeypatch):
    (tmp_path / "01_tensor.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path)

    assert find_current_notebook() == tmp_path / "01_tensor.ipynb"


def test_several_notebooks_and_no_hint_asks_for_a_path(folder):
    with pytest.raises(ExportError, match=r"holds several \(01_tensor.ipynb, 02_autograd.ipynb\) and none holds the code "
                                          r"this kernel ran; pass the notebook's path to export \(export NOTEBOOK.ipynb\)$"):
        find_current_notebook({}, cwd=folder)


def test_no_notebook_at_all_asks_for_a_path(tmp_path):
    with pytest.raises(ExportError, match="holds none: pass the notebook's path"):
        find_current_notebook(None, cwd=tmp_path)


def write_code_notebook(path: Path, *sources: str) -> Path:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# Title"}]
    cells += [{"cell_type": "code", "metadata": {}, "source": source.splitlines(keepends=True), "outputs": [],
               "execution_count": None} for source in sources]
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))
    return path


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A flat course folder, as headless tools run it: several notebooks, no session hint."""
    folder = tmp_path / "my course 'flat'"
    folder.mkdir()
    write_code_notebook(folder / "01_tensor.ipynb", "#| default_exp core.tensor", "#| export\nclass Tensor: pass\n",
                        "t = Tensor()", "%milestones export")
    write_code_notebook(folder / "02_autograd.ipynb", "#| default_exp core.autograd", "#| export\ndef backward(): pass\n",
                        "backward()", "%milestones export")
    write_code_notebook(folder / "tour.ipynb", "%load_ext tinytorch_milestones", "%milestones progress")
    (folder / "broken.ipynb").write_text("{not json")
    return folder


def test_headless_the_notebook_whose_cells_this_kernel_ran_is_found(course):
    history = ["", "#| default_exp core.autograd", "#| export\ndef backward(): pass", "backward()",
               "get_ipython().run_line_magic('milestones', 'export')"]

    located = locate_notebook({"_ih": history}, cwd=course)

    assert located.path == course / "02_autograd.ipynb"
    assert located.how is HowFound.EXECUTED_CELLS and located.saved_as_run


def test_headless_an_explicit_history_wins_over_the_namespace(course):
    found = find_current_notebook({"_ih": ["#| default_exp core.autograd"]}, cwd=course,
                                  executed=["#| default_exp core.tensor", "t = Tensor()  "])

    assert found == course / "01_tensor.ipynb"


def test_headless_a_default_exp_breaks_a_tie_of_matching_cells(course):
    write_code_notebook(course / "02_copy.ipynb", "#| default_exp core.copy", "#| export\ndef backward(): pass\n")

    ran_edited_default_exp_cell = "#|default_exp core.copy\n# edited after saving"
    found = find_current_notebook({"_ih": [ran_edited_default_exp_cell, "#| export\ndef backward(): pass"]}, cwd=course)

    assert found == course / "02_copy.ipynb"


def test_headless_two_copies_of_the_same_notebook_ask_for_a_path(course):
    (course / "02_autograd-Copy1.ipynb").write_bytes((course / "02_autograd.ipynb").read_bytes())

    with pytest.raises(ExportError, match=r"02_autograd-Copy1.ipynb, 02_autograd.ipynb hold the code this kernel ran equally well; "
                                          r"pass the notebook's path"):
        find_current_notebook({"_ih": ["#| default_exp core.autograd", "backward()"]}, cwd=course)


def test_headless_code_that_matches_no_notebook_asks_for_a_path(course):
    with pytest.raises(ExportError, match="none holds the code this kernel ran"):
        find_current_notebook({"_ih": ["print('typed by hand')", 42, None]}, cwd=course)


def test_the_only_notebook_needs_no_history_and_is_not_saved_as_run(tmp_path):
    write_code_notebook(tmp_path / "01_tensor.ipynb", "x = 1")

    located = locate_notebook({"_ih": ["y = 2"]}, cwd=tmp_path)

    assert located.how is HowFound.ONLY_NOTEBOOK and not located.saved_as_run


@pytest.mark.parametrize("hint", ["bad\x00name.ipynb", "x" * 5000 + ".ipynb", "/no/such/folder/03_nn.ipynb"])
def test_a_hint_no_file_can_have_is_skipped(folder, hint):
    with pytest.raises(ExportError, match="holds several"):
        find_current_notebook({"__session__": hint}, cwd=folder)
