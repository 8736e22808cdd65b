"""The error an export raises for bad input."""

from __future__ import annotations

from tinytorch_milestones.core.errors import MilestoneError


class ExportError(MilestoneError):
    """A notebook that cannot be exported; the one-line message names what is wrong and where.

    Cells are counted from 1 in notebook order, markdown cells included, as Jupyter shows them.
    When it is raised, nothing was written and no progress was recorded.
    """
