"""Views for terminal IPython: rich tables and panels rendered to (ANSI) text, since a terminal shows no widgets."""

from __future__ import annotations

import shutil
from typing import Any

from ...core import messages
from ...core.registry import Milestone
from .kinds import ViewKind

_STATUS_STYLES = {"locked": "dim", "unlocked": "yellow", "completed": "green"}


def _rendered(*renderables: Any) -> str:
    """`renderables` as the text the terminal shows: coloured on a colour terminal, plain otherwise."""
    from rich.console import Console

    console = Console(width=shutil.get_terminal_size((100, 24)).columns)
    with console.capture() as capture:
        for renderable in renderables:
            console.print(renderable)
    return capture.get().rstrip("\n")


def view_terminal_text(kind: ViewKind, status: dict[str, Any]) -> str:
    """A view of any kind as a rich table with its header, details and what's next."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    rows = kind.rows(status)
    parts: list[Any] = [Text(line, style="dim") for line in kind.header(status)]
    if rows:
        table = Table(title=kind.title, box=box.ROUNDED)
        for header in messages.TABLE_HEADERS:
            table.add_column(header)
        for row in rows:
            name = Text(row["name"], style="cyan")
            for detail in kind.details(row):
                name.append(f"\n{detail}", style="dim")
            table.add_row(
                name,
                Text(messages.status_text(row["status"]), style=_STATUS_STYLES[row["status"]]),
                messages.requirements_text(len(row["met"]), len(row["requires"])),
                Text(", ".join(row["missing"]), style="dim"),
            )
        parts.append(table)
    else:
        parts += [Text(kind.title, style="bold"), Text(kind.empty_text(status), style="yellow")]
    if kind.shows_next:
        parts.append(Text(status["next_text"], style="blue"))
    return _rendered(*parts)


def unlock_panel_terminal_text(milestone: Milestone) -> str:
    """The core's unlock panel, as a terminal shows it."""
    from ...core.console_render import unlock_panel

    return _rendered(unlock_panel(milestone))
