"""Fixtures for the instructors' tests: the reference package (exported once) and the fake class of 50."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .fake_class import Student, build_class

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(scope="session")
def reference_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference `tinytorch/` folder, exported from notebooks/NN_*.ipynb into a temporary folder."""
    from tinytorch_milestones.services.export import export_notebook

    root = tmp_path_factory.mktemp("reference")
    for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        export_notebook(notebook, package_root=root)
    return root / "tinytorch"


@pytest.fixture(scope="session")
def fake_class(tmp_path_factory: pytest.TempPathFactory, reference_package: Path) -> list[Student]:
    """Fifty submissions in one folder (see fake_class.py); tests must not change them."""
    root = tmp_path_factory.mktemp("class") / "submissions"
    root.mkdir()
    return build_class(root, reference_package)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m tinytorch_milestones ARGS` in a child process with this test's environment."""
    return subprocess.run([sys.executable, "-m", "tinytorch_milestones", *args], cwd=cwd, env=dict(os.environ),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
