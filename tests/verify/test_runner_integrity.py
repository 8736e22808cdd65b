"""The verdict can't be faked by accident: interrupted runs, early exits, background processes,
one-line forgeries and the student's pytest environment (each of these once passed or hung)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tinytorch_milestones.core.errors import MilestoneError
from tinytorch_milestones.services.verify import run_verification, verify_milestone
from tinytorch_milestones.services.verify.subprocess_run import MAX_OUTPUT_CHARS

from processes import process_gone



def progress(progress_file: Path) -> dict:
    return json.loads(progress_file.read_text(encoding="utf-8")) if progress_file.exists() else {}


def attempts(progress_file: Path, milestone_id: str) -> list[dict]:
    return progress(progress_file).get("verifications", {}).get(milestone_id, [])


def write_test(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(textwrap.dedent(body), encoding="utf-8")


def prepend_to_package(project: Path, code: str) -> None:
    """Run `code` first whenever the student's `tinytorch` is imported."""
    init = project / "tinytorch" / "__init__.py"
    init.write_text(textwrap.dedent(code) + "\n" + init.read_text(encoding="utf-8"), encoding="utf-8")


# --- a pass needs pytest's exit status 0 and every collected test passed in its call phase ---------


@pytest.mark.parametrize("stop", [
    "raise KeyboardInterrupt",
    "import pytest; pytest.exit('bye', returncode=0)",
    "import os, signal; os.kill(os.getpid(), signal.SIGINT)",
    "import os; os._exit(0)",
    "import sys; sys.exit(0)",
])
def test_student_code_that_stops_the_run_never_passes(project: Path, progress_file: Path, stop: str) -> None:
    prepend_to_package(project, stop)
    result = run_verification("perceptron", project_dir=project, force=True, timeout=60)
    assert result.outcome in ("failed", "error"), str(result)
    assert result.message
    assert attempts(progress_file, "perceptron")[0]["outcome"] == result.outcome
    assert "perceptron" not in progress(progress_file)["completed_milestones"]


def test_pytest_exit_zero_during_the_test_call_is_not_a_pass(project: Path, add_milestone, progress_file: Path) -> None:
    write_test(project, "test_exits.py", """
        def test_x():
            import pytest
            pytest.exit("done early", returncode=0)
    """)
    add_milestone("exits", "test_x", test_file="test_exits.py")
    result = run_verification("exits", project_dir=project, force=True, timeout=60)
    assert result.outcome == "error"
    assert result.message.endswith("did not run to the end (stopped early), so nothing was proven")
    assert "exits" not in progress(progress_file)["completed_milestones"]


def test_every_test_the_node_id_collects_must_pass(project: Path, add_milestone) -> None:
    write_test(project, "test_pair.py", """
        import pytest

        @pytest.mark.parametrize("n", [1, 2])
        def test_x(n):
            assert n == 1
    """)
    add_milestone("pair", "test_x", test_file="test_pair.py")
    result = run_verification("pair", project_dir=project, force=True, timeout=60)
    assert result.outcome == "failed"


# --- background processes ---------------------------------------------------------------------


def test_a_background_process_neither_holds_the_run_open_nor_outlives_it(project: Path, tmp_path: Path,
                                                                        progress_file: Path) -> None:
    pid_file = tmp_path / "background.pid"
    prepend_to_package(project, f"""
        import subprocess as _sp, sys as _sys
        _child = _sp.Popen([_sys.executable, "-c", "import time; time.sleep(120)"])
        open({str(pid_file)!r}, "w").write(str(_child.pid))
    """)
    start = time.monotonic()
    result = run_verification("perceptron", project_dir=project, force=True, timeout=60)
    assert time.monotonic() - start < 30
    assert result.outcome == "passed", str(result)
    assert "perceptron" in progress(progress_file)["completed_milestones"]
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while not process_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert process_gone(pid)


# --- --in-kernel from the command line: os._exit(0) cannot say "passed" --------------------------


def test_in_kernel_os_exit_zero_does_not_end_the_cli_with_success(project: Path, progress_file: Path) -> None:
    prepend_to_package(project, "import os; os._exit(0)")
    done = subprocess.run(
        [sys.executable, "-m", "tinytorch_milestones", "run", "perceptron", "--force", "--in-kernel",
         "--project-dir", str(project)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    assert "perceptron" not in progress(progress_file).get("completed_milestones", [])


# --- one-line forgeries -------------------------------------------------------------------------

FORGER = """
    import json as _json, os as _os, sys as _sys
    _seen = {"argv": list(_sys.argv), "environ": dict(_os.environ)}
    open(__SEEN__, "w").write(_json.dumps(_seen))
    _fake = {"tests": [{"nodeid": "x", "outcome": "passed", "metrics": {}}], "collected": ["x"],
             "call_passed": ["x"], "collection_errors": [], "exitstatus": 0, "tinytorch_file": None}
    for _arg in _sys.argv[1:]:
        if _os.path.isabs(_arg) and not _os.path.exists(_arg):
            open(_arg, "w").write(_json.dumps(_fake))
    raise RuntimeError("this tinytorch is broken")
"""


def test_the_result_channel_is_not_in_argv_or_the_environment(project: Path, tmp_path: Path) -> None:
    seen_file = tmp_path / "seen.json"
    prepend_to_package(project, FORGER.replace("__SEEN__", repr(str(seen_file))))
    result = verify_milestone("perceptron", project, timeout=60)
    assert result.outcome == "failed" and "this tinytorch is broken" in result.message, str(result)
    seen = json.loads(seen_file.read_text())
    visible = " ".join([*seen["argv"], *seen["environ"].values()])
    assert "report" not in visible.lower()
    assert str(project) not in seen["argv"]
    assert not [name for name in seen["environ"] if name.startswith(("PYTHON", "PYTEST_ADDOPTS", "PYTEST_PLUGINS"))]


def test_a_sitecustomize_or_a_shadowing_module_in_the_project_is_never_imported(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "imported"
    forged = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\nimport os\nos._exit(0)\n"
    for name in ("sitecustomize.py", "usercustomize.py", "pytest.py", "numpy.py"):
        (project / name).write_text(forged, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "sitecustomize.py").write_text(forged, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(elsewhere))
    monkeypatch.setenv("PYTHONSTARTUP", str(elsewhere / "sitecustomize.py"))
    result = verify_milestone("perceptron", project, timeout=60)
    assert result.outcome == "passed", str(result)
    assert not marker.exists()


# --- the student's pytest environment changes nothing ------------------------------------------

STUDENT_SETTINGS = {
    "pytest.ini": "[pytest]\naddopts = --cov=tinytorch -n 2 --lf -x -p no:python\n",
    "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--cov -n 2 --strict-config --bogus'\n",
    "tox.ini": "[pytest]\naddopts = --bogus-option\n",
    "setup.cfg": "[tool:pytest]\naddopts = --bogus-option\n",
    "conftest.py": "raise RuntimeError('a student conftest.py was loaded')\n",
}


@pytest.mark.parametrize("variable, value", [
    ("PYTEST_ADDOPTS", "--lf"),
    ("PYTEST_ADDOPTS", "--cov=tinytorch -n 2"),
    ("PYTEST_ADDOPTS", "-p no:python --bogus"),
    ("PYTEST_PLUGINS", "no_such_plugin_module"),
    ("PYTEST_DISABLE_PLUGIN_AUTOLOAD", ""),
    ("COV_CORE_SOURCE", "tinytorch"),
    (None, None),
])
def test_student_pytest_settings_and_variables_change_no_run(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                             variable: str | None, value: str | None) -> None:
    for name, text in STUDENT_SETTINGS.items():
        (project / name).write_text(text, encoding="utf-8")
        (project.parent / name).write_text(text, encoding="utf-8")
    if variable is not None:
        monkeypatch.setenv(variable, value)
    assert verify_milestone("perceptron", project, timeout=60).outcome == "passed"


@pytest.mark.parametrize("value", ["--lf", "-p no:python --bogus", "--cov=tinytorch -n 2"])
def test_student_pytest_variables_change_no_in_kernel_run(project: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PYTEST_ADDOPTS", value)
    result = run_verification("perceptron", project_dir=project, force=True, in_kernel=True, on_output=lambda line: None)
    assert result.outcome == "passed", str(result)
    assert os.environ["PYTEST_ADDOPTS"] == value


# --- verify_milestone: no progress file, a memory limit, capped output --------------------------


def test_verify_milestone_touches_no_progress_file(project: Path, progress_file: Path) -> None:
    result = verify_milestone("perceptron", project, timeout=60)
    assert result.passed, str(result)
    assert not progress_file.exists() and not progress_file.parent.exists()


def test_a_memory_limit_applies_to_the_child(project: Path) -> None:
    prepend_to_package(project, "_hog = bytearray(400 * 1024 * 1024)")
    limited = verify_milestone("perceptron", project, timeout=60, memory_limit_bytes=300 * 1024 * 1024)
    assert limited.outcome == "failed" and "MemoryError" in limited.message, str(limited)


@pytest.mark.parametrize("limit", [0, -1, 1.5, "100", True])
def test_a_bad_memory_limit_is_one_line_naming_it(project: Path, limit) -> None:
    with pytest.raises(MilestoneError, match=r"^memory limit must be a whole number of bytes above 0, got "):
        verify_milestone("perceptron", project, memory_limit_bytes=limit)


def test_output_is_capped(project: Path) -> None:
    prepend_to_package(project, "print('x' * 50_000_000, flush=True)\nfor _ in range(300_000): print('spam line')")
    shown: list[str] = []
    result = verify_milestone("perceptron", project, timeout=120, on_output=shown.append)
    assert result.passed, str(result)
    assert sum(len(line) + 1 for line in shown) < MAX_OUTPUT_CHARS + 200
    assert shown[-1].startswith("[tinytorch-milestones: output cut after")
