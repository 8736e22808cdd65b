"""The stand-in tito, run as a real process in a project folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

STANDIN = Path(__file__).parent / "standin_tito.py"


def tito(*args: str, cwd: Path, env: dict[str, str] | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    """`tito ARGS` (the stand-in) in a fresh interpreter in `cwd`; `code` runs instead, with the stand-in importable."""
    command = [sys.executable, "-c", code] if code is not None else [sys.executable, str(STANDIN), *args]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(STANDIN.parent), os.environ.get("PYTHONPATH", "")]),
                   "COLUMNS": "120", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environment, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A TinyTorch project as tito sees it: a pyproject.toml choosing the current course."""
    folder = tmp_path / "TinyTorch"
    folder.mkdir()
    (folder / "pyproject.toml").write_text('[project]\nname = "tinytorch"\n\n[tool.tinytorch-milestones]\ncourse = "tinytorch"\n',
                                           encoding="utf-8")
    return folder
