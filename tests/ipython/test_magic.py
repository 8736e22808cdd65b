"""`%milestones` in an in-process shell: every subcommand, its help, and bad input (one line, nothing changes)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from tinytorch_milestones.core import messages
from tinytorch_milestones.core.tracker import MilestoneTracker
from tinytorch_milestones.frontends.ipython.commands import COMMANDS, overview
from tinytorch_milestones.frontends.views.milestones_view import MilestonesView
from tinytorch_milestones.services.export import FreshImports
from tinytorch_milestones.services.export import messages as export_messages

from .conftest import add_quick_milestone, make_the_test_press_stop, module_notebook_sources, write_notebook

COMMAND_NAMES = ["progress", "list", "status", "complete", "run", "export", "reset", "class", "grade", "info", "import-tito", "help"]


def milestones(shell, line: str = ""):
    return shell.run_line_magic("milestones", line)


def statuses() -> dict[str, str]:
    return {row["id"]: row["status"] for row in MilestoneTracker().status()["milestones"]}


def one_line_usage_error(shell, capsys, line: str) -> str:
    """Run `%milestones line` as a cell; return the single stderr line it printed (asserting no traceback)."""
    result = shell.run_cell(f"%milestones {line}")
    assert isinstance(result.error_in_exec, UsageError)
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


# --- progress, list, status --------------------------------------------------------------------

@pytest.mark.parametrize("line", ["", "progress"])
def test_progress_returns_a_live_progress_view_of_the_progress_file(shell, progress_file: Path, line: str) -> None:
    view = milestones(shell, line)
    assert isinstance(view, MilestonesView) and view.kind.name == "progress"
    assert view.is_live
    assert view.status == MilestoneTracker().status()
    assert view.status["progress_file"] == str(progress_file)


def test_progress_is_shown_as_the_cells_result_in_text_in_a_terminal_shell(shell, capsys) -> None:
    shell.run_cell("%milestones progress", store_history=True)
    out = capsys.readouterr().out
    assert messages.PROGRESS_TITLE in out
    assert "Locked" in out and "1957 - The Perceptron" in out


def test_list_shows_only_the_milestones_waiting_for_verification(shell) -> None:
    view = milestones(shell, "list")
    assert view.kind.rows(view.status) == []
    assert messages.NOTHING_UNLOCKED in view.to_text()
    MilestoneTracker().mark_module_complete("00_setup")
    MilestoneTracker().mark_module_complete("01_tensor")
    MilestoneTracker().mark_module_complete("02_autograd")
    view = milestones(shell, "list")
    assert [row["id"] for row in view.kind.rows(view.status)] == ["perceptron"]
    assert "%milestones run perceptron" in view.to_text()
    MilestoneTracker().mark_milestone_complete("perceptron")
    assert messages.NOTHING_PENDING in milestones(shell, "list").to_text()


def test_status_shows_every_detail(shell, progress_file: Path) -> None:
    MilestoneTracker().mark_module_complete("00_setup")
    text = milestones(shell, "status").to_text()
    assert str(progress_file) in text
    assert "00_setup" in text
    assert "First learning algorithm with automatic weight updates" in text


def test_status_json_prints_the_cores_status(shell, capsys) -> None:
    MilestoneTracker().mark_module_complete("01")
    assert milestones(shell, "status --json") is None
    assert json.loads(capsys.readouterr().out) == MilestoneTracker().status()


# --- complete ---------------------------------------------------------------------------------

def test_complete_records_modules_and_shows_an_unlock_panel(shell) -> None:
    with capture_output() as captured:
        assert milestones(shell, "complete 00 tensor 2") is None
    assert MilestoneTracker().status()["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    assert statuses()["perceptron"] == "unlocked"
    assert len(captured.outputs) == 1
    panel = captured.outputs[0].data
    assert "1957 - The Perceptron" in panel["text/plain"]
    assert "%milestones run perceptron" in panel["text/html"]
    assert captured.stdout.splitlines() == [
        messages.module_recorded("00_setup", []),
        messages.module_recorded("01_tensor", []),
        messages.module_recorded("02_autograd", ["perceptron"]),
    ]


def test_complete_with_one_bad_module_names_it_and_changes_nothing(shell, capsys, progress_file: Path) -> None:
    err = one_line_usage_error(shell, capsys, "complete 00_setup tensr")
    assert "unknown module 'tensr'" in err and "Did you mean '01_tensor'?" in err and "Valid modules: 00_setup" in err
    assert not progress_file.exists()


def test_complete_needs_a_module(shell, capsys) -> None:
    err = one_line_usage_error(shell, capsys, "complete")
    assert err.startswith("UsageError: %milestones complete: the following arguments are required: MODULE")


# --- run --------------------------------------------------------------------------------------

def test_run_verifies_with_live_output_records_and_completes(shell, capsys, monkeypatch, recipe, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    add_quick_milestone(recipe, tmp_path, "quick", passes=True)
    milestones(shell, "complete 00_setup")
    result = milestones(shell, "run quick --timeout 60")
    assert result.passed
    assert "training the quick network" in capsys.readouterr().out
    assert statuses()["quick"] == "completed"
    assert MilestoneTracker().status()["milestones"][-1]["last_verification"]["outcome"] == "passed"


def test_run_a_failing_verification_records_the_attempt_and_leaves_it_unlocked(shell, monkeypatch, recipe, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    add_quick_milestone(recipe, tmp_path, "quick", passes=False)
    milestones(shell, "complete 00_setup")
    result = milestones(shell, "run quick")
    assert result.outcome == "failed"
    assert "the quick network did not learn" in repr(result)
    assert statuses()["quick"] == "unlocked"
    assert "last verification: failed" in milestones(shell, "status").to_text()


def test_run_in_kernel_runs_the_test_in_this_process(shell, capsys, monkeypatch, recipe, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    add_quick_milestone(recipe, tmp_path, "quick", passes=True)
    result = milestones(shell, "run quick --force --in-kernel")
    assert result.passed and result.mode == "in-kernel"
    assert "training the quick network" in capsys.readouterr().out
    assert statuses()["quick"] == "completed"


def test_stopping_a_run_prints_one_line_and_records_nothing(shell, capsys, monkeypatch, recipe,
                                                           tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    make_the_test_press_stop(add_quick_milestone(recipe, tmp_path, "quick", passes=True))
    milestones(shell, "complete 00_setup")
    capsys.readouterr()
    result = shell.run_cell("%milestones run quick")
    out, err = capsys.readouterr()
    assert result.error_in_exec is not None and result.result is None  # a Run All stops at this cell
    assert out.splitlines()[-1] == messages.VERIFY_INTERRUPTED
    assert "KeyboardInterrupt" not in out + err and "Traceback" not in out + err
    assert statuses()["quick"] == "unlocked"
    assert MilestoneTracker().status()["milestones"][-1]["last_verification"] is None


def test_run_refuses_a_locked_milestone_in_one_line(shell, capsys, progress_file: Path) -> None:
    err = one_line_usage_error(shell, capsys, "run xor")
    assert "1986 - Backpropagation (XOR) is locked: complete 00_setup, 01_tensor, 02_autograd, 03_nn first" in err
    assert not progress_file.exists()


def test_run_an_unknown_milestone_names_it_and_the_valid_ids(shell, capsys, progress_file: Path) -> None:
    err = one_line_usage_error(shell, capsys, "run perceptorn")
    assert "unknown milestone 'perceptorn'. Did you mean 'perceptron'?" in err
    assert "Valid milestones: perceptron, xor, mlp_digits, cnn, transformer" in err
    assert not progress_file.exists()


def test_run_rejects_a_timeout_that_is_not_a_number(shell, capsys) -> None:
    err = one_line_usage_error(shell, capsys, "run perceptron --timeout soon")
    assert "%milestones run: argument --timeout: invalid float value: 'soon'" in err


# --- export -----------------------------------------------------------------------------------

def test_export_writes_the_module_records_it_and_shows_unlocks(shell, monkeypatch, tmp_path: Path) -> None:
    course = tmp_path / "course"
    monkeypatch.syspath_prepend(str(course))  # `import tinytorch` finds the export: nothing for the student to do
    for name, module, body in [("00_setup", "setup", "def hello():\n    return 'hi'"),
                               ("01_tensor", "tensor", "class Tensor:\n    pass")]:
        write_notebook(course / f"{name}.ipynb", module_notebook_sources(module, body))
        milestones(shell, f"export {course / name}.ipynb --to {course}")
    write_notebook(course / "02_autograd.ipynb", module_notebook_sources("autograd", "def backward():\n    return 0"))
    with capture_output() as captured:
        milestones(shell, f"export {course / '02_autograd.ipynb'} --to {course}")
    assert (course / "tinytorch" / "autograd.py").is_file()
    assert MilestoneTracker().status()["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    lines = captured.stdout.splitlines()
    assert len(lines) == 1, lines  # what was exported; the unlock card says the rest
    assert "02_autograd.ipynb" in lines[0] and str(course / "tinytorch" / "autograd.py") in lines[0]
    assert ["1957 - The Perceptron" in output.data["text/plain"] for output in captured.outputs] == [True]


def test_export_drops_stale_tinytorch_imports_and_says_so(shell, monkeypatch, tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "01_tensor.ipynb", module_notebook_sources("tensor", "VERSION = 1"))
    milestones(shell, f"export {notebook}")
    monkeypatch.syspath_prepend(str(tmp_path))
    shell.run_cell("import tinytorch.tensor")
    assert shell.user_ns["tinytorch"].tensor.VERSION == 1
    write_notebook(notebook, module_notebook_sources("tensor", "VERSION = 2"))
    with capture_output() as captured:
        milestones(shell, f"export {notebook}")
    package = tmp_path / "tinytorch"
    refreshed = FreshImports(purged=("tinytorch", "tinytorch.tensor"), imports_from=package, exported_to=package)
    assert captured.stdout.splitlines()[-1] == export_messages.fresh_imports_advice(refreshed)
    shell.run_cell("import tinytorch.tensor")
    assert shell.user_ns["tinytorch"].tensor.VERSION == 2
    for name in ("tinytorch.tensor", "tinytorch"):
        del sys.modules[name]  # not monkeypatch.delitem: that would put this test's modules back for the next


def test_export_without_a_path_exports_the_only_notebook_here_in_one_line(shell, monkeypatch, tmp_path: Path) -> None:
    write_notebook(tmp_path / "03_nn.ipynb", module_notebook_sources("nn", "class Linear:\n    pass"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)  # a headless run (nbclient, nbconvert): nothing unsaved
    monkeypatch.syspath_prepend(str(tmp_path))
    with capture_output() as captured:
        milestones(shell, "export")
    assert (tmp_path / "tinytorch" / "nn.py").is_file()
    assert MilestoneTracker().status()["completed_modules"] == ["03_nn"]
    assert len(captured.stdout.splitlines()) == 1
    assert str(tmp_path / "tinytorch" / "nn.py") in captured.stdout


def test_export_from_an_open_notebook_reminds_to_save_first(shell, monkeypatch, tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "03_nn.ipynb", module_notebook_sources("nn", "class Linear:\n    pass"))
    write_notebook(tmp_path / "scratch.ipynb", ["x = 1"])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))  # Jupyter's server names the notebook its editor holds open
    with capture_output() as captured:
        milestones(shell, "export")
    assert captured.stdout.splitlines()[0] == export_messages.UNSAVED_EDITS_REMINDER
    assert str(tmp_path / "tinytorch" / "nn.py") in captured.stdout.splitlines()[1]
    with capture_output() as captured:
        milestones(shell, f"export {notebook}")  # a path given: the user chose the file as saved
    assert export_messages.UNSAVED_EDITS_REMINDER not in captured.stdout


def test_export_of_a_missing_notebook_is_one_line_and_records_nothing(shell, capsys, tmp_path: Path,
                                                                      progress_file: Path) -> None:
    err = one_line_usage_error(shell, capsys, f"export {tmp_path / 'nowhere.ipynb'}")
    assert f"no such notebook: {tmp_path / 'nowhere.ipynb'}" in err
    assert not progress_file.exists()


# --- reset ------------------------------------------------------------------------------------

def test_reset_without_yes_and_without_a_way_to_ask_changes_nothing(shell, capsys) -> None:
    MilestoneTracker().mark_module_complete("00_setup")
    err = one_line_usage_error(shell, capsys, "reset")
    assert messages.RESET_NEEDS_YES in err
    assert MilestoneTracker().status()["completed_modules"] == ["00_setup"]


@pytest.mark.parametrize(("answer", "kept"), [("n", ["00_setup"]), ("", ["00_setup"]), ("y", [])])
def test_reset_asks_first(shell, capsys, monkeypatch, answer: str, kept: list[str]) -> None:
    MilestoneTracker().mark_module_complete("00_setup")
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or answer)
    milestones(shell, "reset")
    assert prompts == [messages.RESET_PROMPT.format(path=MilestoneTracker().progress_file)]
    assert MilestoneTracker().status()["completed_modules"] == kept
    assert (messages.RESET_CANCELLED in capsys.readouterr().out) == bool(kept)


def test_reset_yes_forgets_progress_and_keeps_a_backup(shell, capsys, progress_file: Path) -> None:
    MilestoneTracker().mark_module_complete("00_setup")
    milestones(shell, "reset --yes")
    assert MilestoneTracker().status()["completed_modules"] == []
    backups = list(progress_file.parent.glob("progress.json.reset-*"))
    assert len(backups) == 1
    assert str(backups[0]) in capsys.readouterr().out


# --- help and bad input ---------------------------------------------------------------------

def test_the_magics_docstring_is_the_overview_of_every_command(shell, capsys) -> None:
    assert list(COMMANDS) == COMMAND_NAMES
    shell.run_cell("%milestones?")
    out = capsys.readouterr().out
    for name in COMMAND_NAMES:
        assert f"  {name} " in overview()
    assert overview() in out


@pytest.mark.parametrize("line", ["help", "--help", "-h"])
def test_help_prints_the_overview(shell, capsys, line: str) -> None:
    assert milestones(shell, line) is None
    assert capsys.readouterr().out.strip() == overview()


@pytest.mark.parametrize("line", ["help run", "run --help", "run -h", "run perceptron --help"])
def test_each_command_has_its_own_help_and_asking_for_it_runs_nothing(shell, capsys, line: str,
                                                                      progress_file: Path) -> None:
    assert milestones(shell, line) is None
    out = capsys.readouterr().out
    assert out.startswith("usage: %milestones run [-h] [--force] [--in-kernel] [--timeout S]")
    assert messages.ARG_HELP_IN_KERNEL[:40] in " ".join(out.split())
    assert not progress_file.exists()


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_explains_itself(shell, capsys, name: str) -> None:
    milestones(shell, f"help {name}")
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith(f"usage: %milestones {name}")
    assert messages.COMMAND_HELP[name] in out


def test_an_unknown_command_is_one_line_naming_it_and_the_valid_ones(shell, capsys) -> None:
    err = one_line_usage_error(shell, capsys, "progres")
    assert err == ("UsageError: unknown command 'progres'. Did you mean 'progress'? "
                   "Valid commands: progress, list, status, complete, run, export, reset, class, grade, info, import-tito, help")


def test_help_for_an_unknown_command_is_the_same_one_line(shell, capsys) -> None:
    assert "unknown command 'nope'. Valid commands: progress," in one_line_usage_error(shell, capsys, "help nope")


def test_an_unknown_option_is_one_line(shell, capsys) -> None:
    err = one_line_usage_error(shell, capsys, "status --yaml")
    assert err == "UsageError: %milestones status: unrecognized arguments: --yaml"


def test_an_unclosed_quote_is_one_line(shell, capsys) -> None:
    assert "cannot split the arguments" in one_line_usage_error(shell, capsys, 'export "my notebook.ipynb')


def test_usage_errors_raise_usage_error_when_called_directly(shell) -> None:
    with pytest.raises(UsageError, match="unknown command 'x'"):
        milestones(shell, "x")

