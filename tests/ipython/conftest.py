"""An in-process IPython shell with the extension loaded, and helpers shared by the extension's tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython import get_ipython
from IPython.core.completer import provisionalcompleter
from IPython.testing.globalipapp import start_ipython

from tinytorch_milestones.frontends.views.live import LIVE_VIEWS

from ..conftest import MilestoneRecipe

EXTENSION = "tinytorch_milestones"


@pytest.fixture
def shell() -> Iterator[Any]:
    """IPython's test shell with the extension freshly loaded; unloaded (and every view forgotten) afterwards."""
    ip = start_ipython() or get_ipython()
    ip.run_line_magic("load_ext", EXTENSION)
    yield ip
    ip.run_line_magic("unload_ext", EXTENSION)
    LIVE_VIEWS.clear()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a separate process, as another terminal (or tito) would change the progress."""
    return subprocess.run([sys.executable, "-m", "tinytorch_milestones", *args],
                          capture_output=True, text=True, check=True)


def completions(shell: Any, line: str) -> list[str]:
    """What Tab offers at the end of `line`, through IPython's own completer."""
    with provisionalcompleter():
        return [completion.text for completion in shell.Completer.completions(line, len(line))]


def add_quick_milestone(recipe: MilestoneRecipe, folder: Path, milestone_id: str, passes: bool) -> Path:
    """Add a milestone whose test, in `folder`, passes or fails in a fraction of a second; returns the test file."""
    test_file = folder / f"test_{milestone_id}.py"
    test_file.write_text(
        "def test_quick():\n"
        "    print('training the quick network')\n"
        f"    assert {passes!r}, 'the quick network did not learn'\n"
    )
    recipe.add(milestone_id, {
        "name": "2024 - Quick Check",
        "requires": ["00_setup"],
        "test": "test_quick",
        "test_file": str(test_file),
        "description": "A milestone whose test takes no time",
        "unlock_message": "🎉 You can now check quickly!",
    })
    return test_file


def make_the_test_press_stop(test_file: Path) -> None:
    """Rewrite a quick milestone's test to send the kernel (its parent) SIGINT, as the stop button does, and hang."""
    test_file.write_text(
        "import os, signal, time\n"
        "def test_quick():\n"
        "    os.kill(os.getppid(), signal.SIGINT)\n"
        "    time.sleep(30)\n"
    )


def write_notebook(path: Path, sources: list[str]) -> Path:
    """Save a notebook of code cells at `path` (a course notebook when the sources carry nbdev directives)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[new_code_cell(source) for source in sources]), path)
    return path


def module_notebook_sources(package_module: str, body: str) -> list[str]:
    """The cells of a course notebook exporting `body` to `tinytorch.<package_module>`."""
    return [f"#| default_exp {package_module}", f"#| export\n{body}", "# a scratch cell that is not exported\nx = 1"]
