"""Helpers for the core tests: the course modules, the progress file as plain JSON, the CLI in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ALL_MODULES = ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training", "07_spatial", "11_embeddings", "12_attention"]


def read_json(path: Path) -> dict:
    """The progress file as an older reader would see it: plain JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def run_cli(*args: str, module: str = "tinytorch_milestones", input_text: str | None = None) -> subprocess.CompletedProcess:
    """Run the command line in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True, text=True, input=input_text, timeout=60,
    )
