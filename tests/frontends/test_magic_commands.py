"""`%milestones` read like a shell line, quiet when nothing is wrong, one line for any error: in an
in-process IPython shell and in real kernels (nbclient, with the installed startup file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from tinytorch_milestones.core import messages
from tinytorch_milestones.core.tracker import MilestoneTracker

from ..ipython.conftest import module_notebook_sources, write_notebook
from ..ipython.test_notebooks import data_of, kernel_env, stream_text


def completed() -> list[str]:
    return MilestoneTracker().status()["completed_modules"]


# --- the line, split as a shell splits it --------------------------------------------------------

@pytest.mark.parametrize("line", ['complete "02"', "complete '02'", 'complete "0" 1 "02_autograd"'])
def test_quoted_names_are_the_names(shell, progress_file: Path, line: str) -> None:
    shell.run_line_magic("milestones", line)
    assert "02_autograd" in completed()


def test_a_notebook_path_with_spaces_exports(shell, monkeypatch, tmp_path: Path) -> None:
    drive = tmp_path / "My Drive" / "tiny torch"
    notebook = write_notebook(drive / "01 tensor.ipynb", module_notebook_sources("tensor", "class Tensor:\n    pass"))
    monkeypatch.syspath_prepend(str(drive))
    with capture_output() as captured:
        shell.run_line_magic("milestones", f'export "{notebook}" --to "{drive}" --module 01')
    assert (drive / "tinytorch" / "tensor.py").is_file()
    assert completed() == ["01_tensor"]
    assert captured.stdout.count("\n") == 1


@pytest.mark.parametrize("line", ['export "My Drive/01.ipynb', "complete '02", 'export "a" "b'])
def test_an_unbalanced_quote_is_one_line_and_changes_nothing(shell, capsys, progress_file: Path, line: str) -> None:
    result = shell.run_cell(f"%milestones {line}")
    assert isinstance(result.error_in_exec, UsageError)
    err = capsys.readouterr().err
    assert err == "UsageError: %milestones: cannot split the arguments: No closing quotation\n"
    assert not progress_file.exists()


def test_a_mistyped_command_suggests_the_closest(shell, capsys) -> None:
    shell.run_cell("%milestones complte 01")
    assert capsys.readouterr().err.startswith("UsageError: unknown command 'complte'. Did you mean 'complete'?")


@pytest.mark.parametrize("command", ["progress", "list"])
def test_json_on_progress_and_list_prints_the_status_data(shell, capsys, command: str) -> None:
    shell.run_line_magic("milestones", "complete 0 1 2")
    capsys.readouterr()
    assert shell.run_line_magic("milestones", f"{command} --json") is None
    assert json.loads(capsys.readouterr().out) == MilestoneTracker().status()


# --- unexpected errors ------------------------------------------------------------------------

def test_an_unexpected_error_fails_the_cell_in_one_line_and_tb_shows_its_traceback(shell, capsys, monkeypatch) -> None:
    def broken(self: Any) -> None:
        raise RuntimeError("disk gremlin")

    monkeypatch.setattr(MilestoneTracker, "status", broken)
    result = shell.run_cell("%milestones status --json")
    assert isinstance(result.error_in_exec, Exception)
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert shown.strip() == messages.unexpected_error_magic(RuntimeError("disk gremlin"))
    shell.run_cell("%tb")
    captured = capsys.readouterr()
    traceback = captured.out + captured.err
    assert "Traceback" in traceback and "def broken" in traceback and "RuntimeError: disk gremlin" in traceback


# --- real kernels: output order, quiet loading, quiet headless export -------------------------

def _run_notebook(folder: Path, sources: list[str], **env: str) -> list[Any]:
    notebook = new_notebook(cells=[new_code_cell(source) for source in sources])
    NotebookClient(notebook, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(folder)}},
                   ).execute(env=kernel_env(**env))
    return [cell.outputs for cell in notebook.cells]


def test_with_the_startup_file_a_notebooks_load_ext_prints_nothing_and_records_come_before_unlocks(tmp_path: Path) -> None:
    load, complete, unload = _run_notebook(tmp_path, [
        "%load_ext tinytorch_milestones",
        "%milestones complete 00_setup 01 tensor 02",
        "%unload_ext tinytorch_milestones\nprint('milestones' in get_ipython().magics_manager.magics['line'])",
    ])
    assert load == []
    assert stream_text(unload) == "False\n"  # the notebook's %load_ext owns the extension: %unload_ext removes it
    kinds = [(output["output_type"], output.get("text", "")) for output in complete]
    assert "".join(text for kind, text in kinds if kind == "stream").splitlines() == [
        "Recorded 00_setup as complete.", "Recorded 01_tensor as complete.",
        "Recorded 02_autograd as complete; unlocked: perceptron.",
    ]
    assert [kind for kind, _ in kinds][-1] == "display_data"  # the unlock card, after the line that records it
    assert len(data_of(complete, "display_data")) == 1


def test_a_headless_export_cell_is_one_line_and_the_unlock_card(tmp_path: Path) -> None:
    course = tmp_path / "course"
    path = write_notebook(course / "02_autograd.ipynb", [*module_notebook_sources("autograd", "Y = 2"), "%milestones export"])
    outputs = _run_notebook(course, [
        "%milestones complete 00_setup 01_tensor",
        *(cell.source for cell in nbformat.read(path, as_version=4).cells),
    ])
    export = outputs[-1]
    (line,) = stream_text(export).splitlines()
    assert "02_autograd.ipynb" in line and "Ctrl+S" not in line
    (card,) = data_of(export, "display_data")
    assert "1957 - The Perceptron" in card["text/plain"]
    assert not any(stream_text(cell, "stderr") for cell in outputs)
