"""Shared fixtures: every test runs with its own TINYTORCH_HOME, IPYTHONDIR and Jupyter folders."""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tinytorch_milestones.core import registry


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """An in-process export may put a project on `sys.path` (as it does in a kernel); no test leaves it
    to the next. Restored after every fixture's teardown (monkeypatch's own sys.path undo included)."""
    saved = list(sys.path)
    yield
    sys.path[:] = saved


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


class MilestoneRecipe:
    """API.md's "Adding New Milestones" at run time: define in `MILESTONES`, append to `MILESTONE_ORDER`.

    Both objects are changed in place, as the recipe does, so every module holding them sees the
    change; `restore()` puts their original contents back in place (definitions included).
    """

    def __init__(self) -> None:
        self._milestones = copy.deepcopy(registry.MILESTONES)
        self._order = list(registry.MILESTONE_ORDER)

    def add(self, milestone_id: str, definition: dict[str, Any]) -> None:
        """Define `milestone_id` and append it to the order."""
        registry.MILESTONES[milestone_id] = definition
        registry.MILESTONE_ORDER.append(milestone_id)

    def restore(self) -> None:
        """Put the registry back as it was."""
        registry.MILESTONES.clear()
        registry.MILESTONES.update(self._milestones)
        registry.MILESTONE_ORDER[:] = self._order


@pytest.fixture
def recipe() -> Iterator[MilestoneRecipe]:
    """Let a test add or change milestones in place; the registry is restored afterwards."""
    milestones = MilestoneRecipe()
    yield milestones
    milestones.restore()
