"""A saved notebook shows its views offline: nbconvert's HTML of an executed notebook carries each view's text.

The notebook is executed the way the demo saves the tour (`scripts/run_tour.py`: a real kernel, no
widget state stored), then converted with nbconvert's own HTMLExporter, as `jupyter nbconvert --to html`.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook

from tinytorch_milestones.core import messages

REPO = Path(__file__).resolve().parents[2]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CELLS = [
    "%load_ext tinytorch_milestones",
    "%milestones progress",
    "%milestones complete 00_setup 01_tensor 02_autograd",
    "%milestones list",
    "%milestones status",
]


def _run_tour_module():
    spec = importlib.util.spec_from_file_location("run_tour", REPO / "scripts" / "run_tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    notebook = new_notebook(cells=[new_code_cell(source) for source in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    _run_tour_module().execute(notebook, REPO / "notebooks")
    return notebook


def _html(notebook: nbformat.NotebookNode) -> str:
    body, _ = HTMLExporter().from_notebook_node(notebook)
    return body


def test_the_saved_notebook_keeps_each_views_html_and_no_widget_state(executed) -> None:
    assert "widgets" not in executed.metadata
    bundles = [output["data"] for cell in executed.cells for output in cell.outputs if "data" in output]
    views = [bundle for bundle in bundles if WIDGET_VIEW in bundle]
    assert len(views) == 4  # progress, the unlock card, list, status
    assert all("text/html" in bundle and "text/plain" in bundle for bundle in views)


def test_nbconvert_html_shows_every_view_without_a_network(executed) -> None:
    html = _html(executed)
    for text in (messages.PROGRESS_TITLE, messages.UNLOCK_HEADER, messages.UNLOCKED_TESTS_TITLE, messages.STATUS_TITLE,
                 "The Perceptron", "%milestones run perceptron", "3/3 modules"):
        assert text in html, text
    assert 'class="tt-milestones-view tt-view-progress"' in html and 'class="tt-unlock-panel"' in html
    assert WIDGET_VIEW not in html


def test_with_widget_state_saved_nbconvert_would_show_the_widgets_instead(executed) -> None:
    """Why the demo stores no widget state: with it, nbconvert renders widget placeholders, blank offline."""
    notebook = nbformat.from_dict(json.loads(json.dumps(executed)))
    model_ids = [output["data"][WIDGET_VIEW]["model_id"] for cell in notebook.cells for output in cell.outputs
                 if WIDGET_VIEW in output.get("data", {})]
    notebook.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
        model_id: {"model_name": "VBoxModel", "model_module": "@jupyter-widgets/controls",
                   "model_module_version": "2.0.0", "state": {}} for model_id in model_ids}}}
    html = _html(notebook)
    assert WIDGET_VIEW in html and messages.UNLOCK_HEADER not in html
