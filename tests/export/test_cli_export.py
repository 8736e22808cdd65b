"""`tinytorch-milestones export` from a terminal: the same export, a one-line error on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import run_python


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tinytorch_milestones", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_export_finds_the_only_notebook_records_it_and_shows_unlocks(make_notebook, workspace, progress_file) -> None:
    for module in ("00_setup", "01_tensor"):
        assert cli(workspace, "complete", module).returncode == 0
    make_notebook("02_autograd.ipynb", ["#| default_exp core.autograd", "#| export\ndef backward():\n    return 'grads'"])

    done = cli(workspace, "export")

    assert done.returncode == 0, done.stderr
    assert "Exported 1 cell of 02_autograd.ipynb to" in done.stdout
    assert "🔓 MILESTONE UNLOCKED!" in done.stdout
    assert "Recorded 02_autograd as complete; unlocked: perceptron." in done.stdout
    assert json.loads(progress_file.read_text())["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    assert run_python(workspace, "from tinytorch.core.autograd import backward; print(backward())") == "grads\n"


def test_export_with_a_bad_default_exp_is_one_line_and_records_nothing(make_notebook, workspace, progress_file) -> None:
    notebook = make_notebook("01_tensor.ipynb", ["#| default_exp ../evil", "#| export\nx = 1"])

    done = cli(workspace, "export", str(notebook), "--to", str(workspace))

    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "'#| default_exp ../evil' is not a module inside the package" in done.stderr
    assert not progress_file.exists()
    assert not (workspace / "tinytorch").exists()
