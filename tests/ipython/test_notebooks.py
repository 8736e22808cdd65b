"""Real notebooks in a real kernel (nbclient): load, complete, unlock, export, and views that stay live.

Each test starts one kernel (about a second) and runs a whole student session in it. Between cells,
the test changes the progress from a separate process (the CLI) while the kernel sits idle.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from tinytorch_milestones.frontends.ipython.live_refresh import CHECK_INTERVAL_S

from .conftest import module_notebook_sources, run_cli, write_notebook

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
THREE_FORMS = {WIDGET_VIEW, "text/html", "text/plain"}
CHANGE_DEADLINE_S = 30.0
STARTUP_SWITCH = "TINYTORCH_MILESTONES_DISABLE"


def kernel_env(**overrides: str) -> dict[str, str]:
    """The test's isolated environment (conftest's temporary folders) for the kernel, which gets nothing else."""
    env = {**os.environ, **overrides}
    env.pop("JPY_SESSION_NAME", None)
    return env


class Session:
    """A kernel running a notebook cell by cell, so a test can act between cells."""

    def __init__(self, client: NotebookClient) -> None:
        self.client = client
        self.cells: list[Any] = []

    def run(self, source: str, *, raises: bool = False) -> list[dict[str, Any]]:
        cell = new_code_cell(source)
        if raises:
            cell.metadata["tags"] = ["raises-exception"]
        self.client.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.client.nb.cells) - 1)
        return cell.outputs

    def printed_json(self, source: str) -> Any:
        """Run `source`, which prints one JSON document, and return it."""
        outputs = self.run(source)
        return json.loads("".join(output.get("text", "") for output in outputs if output["output_type"] == "stream"))


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A kernel where the startup file stays off, so the notebook loads the extension itself."""
    client = NotebookClient(new_notebook(), kernel_name="python3", timeout=60,
                            resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel(env=kernel_env(**{STARTUP_SWITCH: "1"})):
        yield Session(client)


def data_of(outputs: list[dict[str, Any]], output_type: str) -> list[dict[str, Any]]:
    return [output["data"] for output in outputs if output["output_type"] == output_type]


def stream_text(outputs: list[dict[str, Any]], name: str = "stdout") -> str:
    return "".join(output["text"] for output in outputs if output["output_type"] == "stream" and output["name"] == name)


VIEW_STATE = """
import json
print(json.dumps({
    "statuses": {row.milestone_id: row.status.value for row in view.board.shown},
    "xor_bar": view.board.rows["xor"].bar.value,
    "next": view.board.next.value,
    "set_on_main_thread": changes,
    "live": view.is_live,
}))
"""

WATCH_THREADS = """
import pathlib, threading
changes = []

def note_change(change):
    changes.append(threading.current_thread() is threading.main_thread())
    pathlib.Path("xor_bar_changed").touch()

view.board.rows["xor"].bar.observe(note_change, names="value")
"""


def wait_for_file(path: Path, seconds: float) -> bool:
    """Whether `path` appears within `seconds`; runs no cell, so only the kernel's idle refresh can make it."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_student_session_with_unlocks_and_a_view_that_stays_live(session: Session, tmp_path: Path) -> None:
    assert stream_text(session.run("%load_ext tinytorch_milestones")) == ""

    (progress,) = data_of(session.run("view = %milestones progress\nview"), "execute_result")
    assert set(progress) == THREE_FORMS
    assert "tt-milestones-view" in progress["text/html"] and "1957 - The Perceptron" in progress["text/plain"]

    outputs = session.run("%milestones complete 00_setup 01_tensor 02_autograd")
    (panel,) = data_of(outputs, "display_data")
    assert set(panel) == THREE_FORMS
    assert "tt-unlock-panel" in panel["text/html"] and "%milestones run perceptron" in panel["text/html"]
    assert "Recorded 02_autograd as complete; unlocked: perceptron." in stream_text(outputs)

    session.run(WATCH_THREADS)
    state = session.printed_json(VIEW_STATE)
    assert state["statuses"]["perceptron"].endswith("Unlocked") and state["statuses"]["xor"].endswith("Locked")

    run_cli("complete", "03_nn")
    assert wait_for_file(tmp_path / "xor_bar_changed", CHANGE_DEADLINE_S)
    state = session.printed_json(VIEW_STATE)
    assert state["statuses"]["xor"].endswith("Unlocked") and state["xor_bar"] == 4
    assert state["set_on_main_thread"] == [True]
    assert state["next"].startswith("Next: verify 1957 - The Perceptron")

    error = session.run("%milestones complete 99_magic", raises=True)
    assert [output["output_type"] for output in error] == ["stream"]
    assert stream_text(error, "stderr").startswith("UsageError: unknown module '99_magic'. Valid modules: 00_setup")
    assert len(stream_text(error, "stderr").splitlines()) == 1

    session.run("%unload_ext tinytorch_milestones")
    run_cli("complete", "04_training")
    time.sleep(1.5 * CHECK_INTERVAL_S)  # no change can be awaited: give the stopped check time to (not) run
    state = session.printed_json(VIEW_STATE)
    assert state["live"] is False and state["statuses"]["mlp_digits"].endswith("Locked")


def test_a_saved_course_notebook_exports_itself_with_the_extension_loaded_at_startup(tmp_path: Path) -> None:
    course = tmp_path / "course"
    notebook_path = write_notebook(course / "02_autograd.ipynb", [
        *module_notebook_sources("autograd", "def grad():\n    return 42"),
        "%milestones complete 00_setup 01_tensor",
        "%milestones export",
        "from tinytorch.autograd import grad\nprint(grad())",
        "%milestones progress",
    ])
    notebook = nbformat.read(notebook_path, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(course)}},
                   ).execute(env=kernel_env())
    complete, export, imported, progress = (cell.outputs for cell in notebook.cells[-4:])
    assert "Recorded 01_tensor as complete." in stream_text(complete)
    (printed,) = stream_text(export).splitlines()  # headless: nothing unsaved to remind of; the card tells the unlock
    assert str(course / "tinytorch" / "autograd.py") in printed
    (panel,) = data_of(export, "display_data")
    assert set(panel) == THREE_FORMS and "1957 - The Perceptron" in panel["text/plain"]
    assert stream_text(imported) == "42\n"
    (view,) = data_of(progress, "execute_result")
    assert set(view) == THREE_FORMS
    assert "tt-status-unlocked" in view["text/html"]
    assert not any(stream_text(cell.outputs, "stderr") for cell in notebook.cells)


def test_headless_the_export_cell_finds_its_notebook_among_several_and_makes_tinytorch_importable(tmp_path: Path) -> None:
    """nbclient's defaults (no JPY_SESSION_NAME), a folder holding several notebooks, and a kernel in a
    module's own folder below the project: `%milestones export` finds its notebook from the cells the
    kernel ran, and the next cell imports the exported package."""
    project = tmp_path / "course project"
    (project / "settings.ini").parent.mkdir(parents=True)
    (project / "settings.ini").write_text("[DEFAULT]\n")
    folder = project / "modules" / "02_autograd"
    write_notebook(folder / "02_autograd-scratch.ipynb", ["print('another notebook in the same folder')"])
    notebook_path = write_notebook(folder / "02_autograd.ipynb", [
        *module_notebook_sources("core.autograd", "def grad():\n    return 42"),
        "%milestones export",
        "from tinytorch.core.autograd import grad\nprint(grad())",
    ])
    notebook = nbformat.read(notebook_path, as_version=4)

    NotebookClient(notebook, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(folder)}}).execute(env=kernel_env())

    export, imported = (cell.outputs for cell in notebook.cells[-2:])
    printed = stream_text(export)
    assert str(project / "tinytorch" / "core" / "autograd.py") in printed
    assert "Exported 1 cell of 02_autograd.ipynb to " in printed
    assert f"added {project} to sys.path so `import tinytorch` finds your package" in printed
    assert stream_text(imported) == "42\n"
