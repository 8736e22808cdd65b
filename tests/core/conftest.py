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


def modules_loaded_by_the_cli(command: list[str], watched: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Which of the `watched` modules a fresh interpreter has loaded once it built the CLI's parser, and
    once it also ran `command` (as `tinytorch-milestones COMMAND...`)."""
    code = (
        "import json, sys\n"
        "from tinytorch_milestones.frontends import cli\n"
        "cli.build_parser()\n"
        f"after_parser = [m for m in {watched!r} if m in sys.modules]\n"
        f"cli.main({command!r})\n"
        f"print(json.dumps([after_parser, [m for m in {watched!r} if m in sys.modules]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    after_parser, after_command = json.loads(done.stdout.strip().splitlines()[-1])
    return after_parser, after_command
