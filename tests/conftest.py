"""Shared fixtures: every test runs with its own TINYTORCH_HOME, IPYTHONDIR and Jupyter folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every folder the product or a kernel could write to at a fresh temporary folder."""
    root = tmp_path_factory.mktemp("home")
    folders = {
        "TINYTORCH_HOME": root / "tinytorch",
        "IPYTHONDIR": root / "ipython",
        "JUPYTER_CONFIG_DIR": root / "jupyter-config",
        "JUPYTER_DATA_DIR": root / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": root / "jupyter-runtime",
        "MPLCONFIGDIR": root / "mpl",
    }
    for name, folder in folders.items():
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("HOME", str(root))
    monkeypatch.delenv("TINYTORCH_MILESTONES_DISABLE", raising=False)
    return root


@pytest.fixture
def progress_file(isolated_home: Path) -> Path:
    """The default progress file of the isolated home (not created yet)."""
    return Path(os.environ["TINYTORCH_HOME"]) / "progress.json"
