"""`%milestones class` and `%milestones grade` in a real kernel (nbclient), and the chart they draw."""

from __future__ import annotations

import base64
import os
import struct
from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from tinytorch_milestones.frontends.views.class_chart import class_chart_png
from tinytorch_milestones.services.classroom.class_view import class_rows

from .fake_class import Student

PNG = "image/png"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _text(outputs: list) -> str:
    return "\n".join(output.get("text", "") or output.get("data", {}).get("text/plain", "") for output in outputs)


def _widget_outputs_text(notebook) -> str:
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return _text([output for model in state.values() for output in model.get("state", {}).get("outputs", [])])


def test_the_class_and_grade_magics_show_table_chart_and_progress(fake_class: list[Student], tmp_path: Path) -> None:
    root = fake_class[0].folder.parent
    cache = tmp_path / "cache.json"
    notebook = new_notebook(cells=[
        new_code_cell("%load_ext tinytorch_milestones"),
        new_code_cell(f"%milestones class {root}"),
        new_code_cell(f"%milestones grade {root}/complete00 {root}/cheater00 --milestone perceptron --jobs 2 --cache {cache}"),
        new_code_cell("%milestones class /no/such/folder"),
    ])
    notebook.cells[3].metadata["tags"] = ["raises-exception"]  # a UsageError fails the cell, as it should
    env = {**os.environ}
    env.pop("JPY_SESSION_NAME", None)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    class_outputs = notebook.cells[1].outputs
    assert "Class progress (48 students)" in _text(class_outputs)
    images = [output["data"][PNG] for output in class_outputs if PNG in output.get("data", {})]
    assert len(images) == 1 and _png_size(base64.b64decode(images[0])) == (1100, 450)
    grade_text = _text(notebook.cells[2].outputs)
    bar = _widget_outputs_text(notebook)  # rich draws its live bar in an ipywidgets Output in a notebook
    assert "students 2/2" in bar and "milestones 2/2" in bar and "failures 1" in bar
    assert "2 milestone checks: 2 run, 0 from cache; 1 not verified; 1 claimed but not verified" in grade_text
    (error,) = notebook.cells[3].outputs  # IPython shows a UsageError as one line, no traceback
    assert error["name"] == "stderr" and error["text"] == "UsageError: no such file, folder or match: /no/such/folder\n"


def test_the_chart_draws_per_student_bars_or_a_histogram_for_a_big_class(fake_class: list[Student]) -> None:
    rows = class_rows([str(fake_class[0].folder.parent)])
    from tinytorch_milestones.frontends.views.class_chart import class_chart

    big = class_chart(rows)
    per_student, per_milestone = big.axes
    assert per_student.get_title() == "Students by milestones completed"
    assert [patch.get_height() for patch in per_milestone.patches] == [41, 23, 23, 23, 23]
    small = class_chart(rows[:10])
    assert small.axes[0].get_title() == "Milestones completed per student"
    assert [label.get_text() for label in small.axes[0].get_yticklabels()][-1] == rows[0].student
    assert _png_size(class_chart_png(rows[:10])) == (1100, 450)
