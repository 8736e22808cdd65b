"""The class chart: milestones completed per student, and students per milestone (matplotlib).

Drawn on a `matplotlib.figure.Figure` with the Agg canvas, so no pyplot state or GUI backend is
touched in the kernel. Above `PER_STUDENT_BARS_MAX` students the left panel becomes a histogram.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...core import registry
from ...services.classroom import messages
from ...services.classroom.class_view import ClassRow, milestone_totals

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PER_STUDENT_BARS_MAX = 40
COMPLETED_COLOUR = "#1a7f37"
DPI = 100


def class_chart(rows: Sequence[ClassRow]) -> Figure:
    """A figure with two panels (11 x 4.5 inches): per student (or a histogram), per milestone.

    Raises ImportError without matplotlib (the `instructors` extra).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ids = [milestone.id for milestone in registry.milestones()]
    figure = Figure(figsize=(11, 4.5), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    per_student, per_milestone = figure.subplots(1, 2)
    counts = [row.completed_count for row in rows]
    if len(rows) <= PER_STUDENT_BARS_MAX:
        per_student.barh([row.student for row in rows][::-1], counts[::-1], color=COMPLETED_COLOUR)
        per_student.set_xlim(0, len(ids))
        per_student.set_xlabel(messages.CHART_MILESTONES_AXIS)
        per_student.set_title(messages.CHART_PER_STUDENT_TITLE)
    else:
        per_student.hist(counts, bins=[k - 0.5 for k in range(len(ids) + 2)], color=COMPLETED_COLOUR, rwidth=0.8)
        per_student.set_xlabel(messages.CHART_MILESTONES_AXIS)
        per_student.set_ylabel(messages.CHART_STUDENTS_AXIS)
        per_student.set_title(messages.CHART_HISTOGRAM_TITLE)
    per_student.xaxis.get_major_locator().set_params(integer=True)
    totals = milestone_totals(rows)
    per_milestone.bar(ids, [totals[i] for i in ids], color=COMPLETED_COLOUR)
    per_milestone.set_ylim(0, max(1, len(rows)))
    per_milestone.set_ylabel(messages.CHART_STUDENTS_AXIS)
    per_milestone.set_title(messages.CHART_PER_MILESTONE_TITLE)
    per_milestone.yaxis.get_major_locator().set_params(integer=True)
    return figure


def class_chart_png(rows: Sequence[ClassRow]) -> bytes:
    """The chart as PNG bytes (1100 x 450 pixels)."""
    buffer = io.BytesIO()
    class_chart(rows).savefig(buffer, format="png")
    return buffer.getvalue()
