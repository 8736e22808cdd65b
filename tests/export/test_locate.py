"""Finding the current notebook from each hint a kernel can have, in order, and asking when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinytorch_milestones.services.export import ExportError, find_current_notebook


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
    with pytest.raises(ExportError, match=r"holds several \(01_tensor.ipynb, 02_autograd.ipynb\); give its path"):
        find_current_notebook({}, cwd=folder)


def test_no_notebook_at_all_asks_for_a_path(tmp_path):
    with pytest.raises(ExportError, match="holds none: give the notebook's path"):
        find_current_notebook(None, cwd=tmp_path)
