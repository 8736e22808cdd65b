"""For instructors: a class view over many progress files, and grading that re-verifies submissions.

`class_rows` reads progress files (never writing to them); `grade` re-verifies each submission's
milestones in isolated child processes through a local process pool or a Dask cluster.
"""

from __future__ import annotations

from .class_view import ClassRow, class_rows, milestone_totals
from .grading import CellResult, GradeReport, GradeRow, GradingProgress, grade

__all__ = ["CellResult", "ClassRow", "GradeReport", "GradeRow", "GradingProgress", "class_rows", "grade",
           "milestone_totals"]
