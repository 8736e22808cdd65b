"""Views for terminal IPython: the core's rich tables and panels rendered to (ANSI) text, since a terminal shows no widgets."""

from __future__ import annotations

import shutil
from typing import Any

from ...core.registry import Milestone
from .kinds import ViewKind


def _rendered(*renderables: Any) -> str:
    """`renderables` as the text the terminal shows: coloured on a colour terminal, plain otherwise."""
    from ...core.console_render import new_console

    console = new_console(width=shutil.get_terminal_size((100, 24)).columns)
    with console.capture() as capture:
        for renderable in renderables:
            console.print(renderable)
    return capture.get().rstrip("\n")


def view_terminal_text(kind: ViewKind, status: dict[str, Any]) -> str:
    """A view of any kind: its header, the core's milestone table with details and missing modules, what's next."""
    from rich.text import Text

    from ...core.console_render import milestones_table

    rows = kind.rows(status)
    parts: list[Any] = [Text(line, style="dim") for line in kind.header(status)]
    if rows:
        parts.append(milestones_table(rows, title=kind.title, details=kind.details, missing_column=True))
    else:
        parts += [Text(kind.title, style="bold"), Text(kind.empty_text(status), style="yellow")]
    if kind.shows_next:
        parts.append(Text(status["next_text"], style="blue"))
    return _rendered(*parts)


def unlock_panel_terminal_text(milestone: Milestone) -> str:
    """The core's unlock panel, as a terminal shows it."""
    from ...core.console_render import unlock_panel

    return _rendered(unlock_panel(milestone))
