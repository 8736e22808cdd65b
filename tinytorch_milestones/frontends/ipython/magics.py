"""The `%milestones` line magic: one entry point that hands its line to the subcommand table."""

from __future__ import annotations

from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class

from .commands import dispatch, overview

MAGIC_NAME = "milestones"


@magics_class
class MilestonesMagics(Magics):
    """Holds the `%milestones` magic; `%milestones?` shows the overview of its subcommands."""

    @line_magic(MAGIC_NAME)
    def milestones(self, line: str = "") -> Any:
        return dispatch(self.shell, line)

    milestones.__doc__ = overview()
