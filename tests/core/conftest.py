"""Fixtures for the core: a registry that each test may change and that is restored afterwards."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinytorch_milestones.core import registry

ALL_MODULES = ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training", "07_spatial", "11_embeddings", "12_attention"]


@pytest.fixture
def restored_registry() -> Iterator[None]:
    """Let a test change MILESTONES / MILESTONE_ORDER in place; put the originals back afterwards."""
    milestones = copy.deepcopy(registry.MILESTONES)
    order = list(registry.MILESTONE_ORDER)
    yield
    registry.MILESTONES.clear()
    registry.MILESTONES.update(milestones)
    registry.MILESTONE_ORDER[:] = order


def read_json(path: Path) -> dict:
    """The progress file as an older reader would see it: plain JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def run_cli(*args: str, module: str = "tinytorch_milestones", input_text: str | None = None) -> subprocess.CompletedProcess:
    """Run the command line in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True, text=True, input=input_text, timeout=60,
    )
