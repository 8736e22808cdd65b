"""Helpers for the course tests: switching the active course in-process, and the CLI in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tinytorch_milestones.core import registry
from tinytorch_milestones.core.courses import Course

REFERENCE = Path(__file__).parent / "reference_tinytorch" / "tinytorch"


@pytest.fixture
def use_course() -> Iterator[Callable[[str], Course]]:
    """Activate a course in this process (in place); the course active before comes back afterwards."""
    before = registry.active_course()
    yield registry.use_course
    registry.use_course(before)


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """`tinytorch-milestones ARGS` in a fresh interpreter, in `cwd`, with `env` added to this environment."""
    return subprocess.run([sys.executable, "-m", "tinytorch_milestones", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=timeout)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The single stderr line of a refused command (exit 2, no traceback, nothing on stdout)."""
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def tinytorch_project(folder: Path, course: str = "tinytorch") -> Path:
    """A project folder whose pyproject.toml chooses `course`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(f'[tool.tinytorch-milestones]\ncourse = "{course}"\n', encoding="utf-8")
    return folder
