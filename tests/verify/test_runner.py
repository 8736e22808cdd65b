"""The runner: refusing locked milestones, --force, timeouts, interrupts, recipe milestones, bad data, project folders."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import tinytorch_milestones
from tinytorch_milestones.core import registry
from tinytorch_milestones.core.errors import MilestoneError, UnknownMilestoneError
from tinytorch_milestones.core.tracker import MilestoneTracker
from tinytorch_milestones.services.export import export_notebook
from tinytorch_milestones.services.export.target import default_package_root
from tinytorch_milestones.services.verify import run_verification
from tinytorch_milestones.services.verify.datasets import TINYDIGITS_PATH
from tinytorch_milestones.services.verify.target import find_project_dir

from processes import process_gone

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def progress(progress_file: Path) -> dict:
    return json.loads(progress_file.read_text(encoding="utf-8")) if progress_file.exists() else {}


def attempts(progress_file: Path, milestone_id: str) -> list[dict]:
    return progress(progress_file).get("verifications", {}).get(milestone_id, [])


def write_test(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


# --- locked milestones and --force -----------------------------------------------------------


def test_locked_milestone_is_refused_in_one_line_naming_missing_modules(project: Path, progress_file: Path) -> None:
    MilestoneTracker().mark_module_complete("00_setup")
    before = progress_file.read_bytes()
    with pytest.raises(MilestoneError) as refusal:
        run_verification("xor", project_dir=project)
    assert str(refusal.value) == (
        "1986 - Backpropagation (XOR) is locked: complete 01_tensor, 02_autograd, 03_nn first "
        "(or pass --force to run its verification anyway)."
    )
    assert progress_file.read_bytes() == before


def test_force_runs_a_locked_milestone_and_records_it(project: Path, progress_file: Path) -> None:
    result = run_verification("perceptron", project_dir=project, force=True)
    assert result.passed, str(result)
    assert attempts(progress_file, "perceptron")[0]["outcome"] == "passed"
    assert "perceptron" in progress(progress_file)["completed_milestones"]


def test_unknown_milestone_is_refused_with_the_valid_ids(project: Path, progress_file: Path) -> None:
    with pytest.raises(UnknownMilestoneError, match=r"unknown milestone 'perceptorn'. Did you mean 'perceptron'\?"):
        run_verification("perceptorn", project_dir=project)
    assert not progress_file.exists()


def test_a_second_pass_is_recorded_but_completes_nothing_new(project: Path, unlock, progress_file: Path) -> None:
    unlock("perceptron")
    assert run_verification("perceptron", project_dir=project).newly_completed
    again = run_verification("perceptron", project_dir=project)
    assert again.passed and not again.newly_completed
    assert [a["outcome"] for a in attempts(progress_file, "perceptron")] == ["passed", "passed"]
    assert "was already completed" in str(again)


@pytest.mark.parametrize("timeout", [0, -1, -0.5, float("nan"), float("inf"), float("-inf"), "5", True])
def test_a_timeout_that_is_not_a_finite_number_above_0_is_bad_input(project: Path, timeout: object,
                                                                     progress_file: Path) -> None:
    with pytest.raises(MilestoneError) as refusal:
        run_verification("perceptron", project_dir=project, force=True, timeout=timeout)
    assert str(refusal.value) == f"timeout must be a finite number of seconds above 0, got {timeout!r}"
    assert not progress_file.exists()


def test_missing_project_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(MilestoneError, match=r"the project folder .*nowhere does not exist"):
        run_verification("perceptron", project_dir=tmp_path / "nowhere", force=True)


# --- where the code comes from --------------------------------------------------------------


def test_project_folder_is_found_from_a_subfolder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebooks = project / "modules" / "01_tensor"
    notebooks.mkdir(parents=True)
    monkeypatch.chdir(notebooks)
    result = run_verification("perceptron", force=True)
    assert result.passed, str(result)
    assert Path(result.tinytorch_file).resolve() == (project / "tinytorch" / "__init__.py").resolve()


def test_run_and_export_find_the_same_project_folder_from_a_notebook_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "course"
    (root / "modules" / "01_tensor").mkdir(parents=True)
    (root / ".git").mkdir()
    monkeypatch.chdir(root / "modules" / "01_tensor")
    assert find_project_dir() == root == default_package_root(root / "modules" / "01_tensor" / "01_tensor.ipynb")
    assert find_project_dir(tmp_path) == tmp_path


def test_a_course_kept_one_notebook_per_folder_exports_one_package_that_run_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "course"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'course'\n", encoding="utf-8")
    for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        folder = root / "modules" / notebook.stem
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder / notebook.name)
        assert export_notebook(folder / notebook.name).package_root == root
    monkeypatch.chdir(root / "modules" / "01_tensor")
    result = run_verification("perceptron", force=True)
    assert result.passed, str(result)
    assert Path(result.tinytorch_file).resolve() == (root / "tinytorch" / "__init__.py").resolve()


def test_students_pytest_settings_and_conftest_play_no_part(project: Path) -> None:
    (project / "pytest.ini").write_text("[pytest]\naddopts = --no-such-option -x\n", encoding="utf-8")
    (project / "conftest.py").write_text("raise RuntimeError('a conftest of the student')\n", encoding="utf-8")
    assert run_verification("perceptron", project_dir=project, force=True).passed


def test_no_exported_package_fails_saying_what_to_do(tmp_path: Path, progress_file: Path) -> None:
    result = run_verification("perceptron", project_dir=tmp_path, force=True)
    assert result.outcome == "failed"
    assert result.message.startswith("ModuleNotFoundError: No module named 'tinytorch': no tinytorch package could be imported from")
    assert "(%milestones export)" in result.message
    assert progress(progress_file)["completed_milestones"] == []


# --- the data file ---------------------------------------------------------------------------


def test_missing_data_file_is_an_error_naming_the_file(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       progress_file: Path) -> None:
    missing = tmp_path / "gone" / "tinydigits.npz"
    monkeypatch.setenv("TINYTORCH_VERIFY_DIGITS", str(missing))
    result = run_verification("mlp_digits", project_dir=project, force=True)
    assert result.outcome == "error"
    assert result.message.startswith(f"the TinyDigits data file {missing} is missing; it ships with tinytorch-milestones")
    assert attempts(progress_file, "mlp_digits")[0]["outcome"] == "error"
    assert progress(progress_file)["completed_milestones"] == []


def test_damaged_data_file_is_an_error(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "tinydigits.npz"
    damaged.write_bytes(TINYDIGITS_PATH.read_bytes()[:-100])
    monkeypatch.setenv("TINYTORCH_VERIFY_DIGITS", str(damaged))
    result = run_verification("cnn", project_dir=project, force=True)
    assert result.outcome == "error"
    assert f"the TinyDigits data file {damaged} is damaged (sha256" in result.message


# --- milestones added by the recipe ----------------------------------------------------------


def test_recipe_milestone_with_its_own_test_file_runs_and_completes(project: Path, add_milestone, progress_file: Path) -> None:
    write_test(project, "tests/test_new.py", """
        def test_new_milestone_learning(record_property):
            from tinytorch import Tensor
            record_property("answer", 42)
            assert Tensor([1.0, 2.0]).data.sum() == 3.0
    """)
    add_milestone("new_milestone", "test_new_milestone_learning", test_file="tests/test_new.py")
    MilestoneTracker().mark_module_complete("00_setup")
    MilestoneTracker().mark_module_complete("01_tensor")
    assert tinytorch_milestones.MILESTONE_ORDER is registry.MILESTONE_ORDER
    assert tinytorch_milestones.MILESTONE_ORDER[-1] == "new_milestone"
    result = run_verification("new_milestone", project_dir=project)
    assert result.passed and result.newly_completed, str(result)
    assert result.metrics == {"answer": 42}
    assert result.node_id == f"{(project / 'tests' / 'test_new.py').resolve()}::test_new_milestone_learning"
    assert "new_milestone" in progress(progress_file)["completed_milestones"]


def test_recipe_milestone_named_by_node_id_reports_its_plain_assert(project: Path, add_milestone, progress_file: Path) -> None:
    path = write_test(project, "checks/test_other.py", """
        class TestOther:
            def test_learns(self):
                loss_before, loss_after = 1.0, 0.9
                assert loss_after < 0.5 * loss_before, "loss did not halve"
    """)
    add_milestone("other", f"{path}::TestOther::test_learns")
    result = run_verification("other", project_dir=project, force=True)
    assert result.outcome == "failed"
    assert result.message.startswith("AssertionError: loss did not halve")
    assert result.check is None
    assert attempts(progress_file, "other")[0]["message"] == result.message


def test_recipe_milestone_test_not_in_the_shipped_file_is_an_error(project: Path, add_milestone) -> None:
    add_milestone("ghost", "test_ghost_learning")
    result = run_verification("ghost", project_dir=project, force=True)
    assert result.outcome == "error"
    assert result.message.startswith("no test ") and "test_ghost_learning was found" in result.message


def test_recipe_milestone_naming_a_missing_file_is_bad_input(project: Path, add_milestone, progress_file: Path) -> None:
    add_milestone("lost", "test_lost", test_file="tests/test_lost.py")
    with pytest.raises(MilestoneError, match=r"milestone 'lost' names the test file .*tests/test_lost.py, which does not exist"):
        run_verification("lost", project_dir=project, force=True)
    assert attempts(progress_file, "lost") == []


def test_test_file_that_does_not_import_is_an_error(project: Path, add_milestone) -> None:
    write_test(project, "test_broken.py", "def test_x(:\n    pass\n")
    add_milestone("broken", "test_x", test_file="test_broken.py")
    result = run_verification("broken", project_dir=project, force=True)
    assert result.outcome == "error"
    assert "SyntaxError" in result.message


def test_skipped_test_proves_nothing(project: Path, add_milestone) -> None:
    write_test(project, "test_skip.py", "import pytest\n\ndef test_x():\n    pytest.skip('not today')\n")
    add_milestone("skipper", "test_x", test_file="test_skip.py")
    result = run_verification("skipper", project_dir=project, force=True)
    assert result.outcome == "error"
    assert result.message == "the test was skipped (not today), so nothing was verified"


# --- timeouts and interrupts -----------------------------------------------------------------

HANGING_TEST = """
    import os, time
    from pathlib import Path

    def test_hangs():
        Path(os.environ["VERIFY_PID_FILE"]).write_text(str(os.getpid()))
        print("started", flush=True)
        time.sleep(120)
"""


@pytest.fixture
def hanging_milestone(project: Path, add_milestone, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A recipe milestone whose test sleeps for two minutes; returns the file its process id is written to."""
    write_test(project, "test_hang.py", HANGING_TEST)
    add_milestone("hang", "test_hangs", test_file="test_hang.py")
    pid_file = tmp_path / "pid"
    monkeypatch.setenv("VERIFY_PID_FILE", str(pid_file))
    return pid_file


def test_timeout_stops_a_hung_run_with_a_clear_message(project: Path, hanging_milestone: Path, progress_file: Path) -> None:
    start = time.monotonic()
    result = run_verification("hang", project_dir=project, force=True, timeout=8)
    assert time.monotonic() - start < 20
    assert result.outcome == "timeout"
    assert result.message.startswith("the verification was stopped after 8 s without finishing")
    assert process_gone(int(hanging_milestone.read_text()))
    [attempt] = attempts(progress_file, "hang")
    assert attempt["outcome"] == "timeout" and attempt["message"] == result.message
    assert "hang" not in progress(progress_file)["completed_milestones"]


def test_interrupt_while_streaming_stops_the_child_and_records_nothing(project: Path, hanging_milestone: Path,
                                                                       progress_file: Path) -> None:
    MilestoneTracker().mark_module_complete("00_setup")
    before = progress_file.read_bytes()

    def stop_button(line: str) -> None:
        if line.endswith("started"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_verification("hang", project_dir=project, force=True, on_output=stop_button, timeout=30)
    assert process_gone(int(hanging_milestone.read_text()))
    assert progress_file.read_bytes() == before


DRIVER = """
import sys
from tinytorch_milestones.core import registry
from tinytorch_milestones.services.verify import run_verification

registry.MILESTONES["hang"] = {{
    "name": "2025 - hang", "requires": ["00_setup"], "test": "test_hangs", "test_file": "test_hang.py",
    "description": "d", "unlock_message": "u",
}}
registry.MILESTONE_ORDER.append("hang")
run_verification("hang", project_dir={project!r}, force=True, timeout=30, on_output=lambda line: print(line, flush=True))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to another process is POSIX-only")
def test_sigint_to_the_kernel_process_stops_the_run_and_leaves_progress_unchanged(
        project: Path, hanging_milestone: Path, progress_file: Path, tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(project=str(project)), encoding="utf-8")
    kernel = subprocess.Popen([sys.executable, str(driver)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in kernel.stdout:
            if line.strip().endswith("started"):
                break
        kernel.send_signal(signal.SIGINT)
        _, stderr = kernel.communicate(timeout=20)
    finally:
        kernel.kill()
    assert kernel.returncode != 0
    assert stderr.rstrip().endswith("KeyboardInterrupt")
    assert process_gone(int(hanging_milestone.read_text()))
    assert attempts(progress_file, "hang") == []
