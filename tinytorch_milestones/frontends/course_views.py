"""Layout of `info ID` and `import-tito` for a terminal: the wording comes from the core and the services."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from ..core import messages
from ..core.console_render import STATUS_STYLES


def info_table(info: dict[str, Any]) -> Table:
    """`MilestoneTracker.milestone_info` as a two-column rich table under the milestone's name; a course's
    text is shown as written (never read as rich markup)."""
    labels = messages.COURSE_INFO_LABELS
    table = Table(title=Text(info["name"]), box=box.SIMPLE, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    rows = [
        (labels["course"], messages.course_line(info["course"], info["course_title"])),
        (labels["id"], info["id"]),
        (labels["aliases"], messages.quoted_list(info["aliases"])),
        (labels["year"], info["year"]),
        (labels["status"], Text(messages.status_text(info["status"]), style=STATUS_STYLES[info["status"]])),
        (labels["requires"], messages.quoted_list(info["requires"])),
        (labels["missing"], messages.quoted_list(info["missing"])),
        (labels["test"], info["test"]),
        (labels["run"], f"{info['run_command']}  |  {info['magic_command']}"),
    ]
    for label, value in rows:
        table.add_row(label, value if isinstance(value, Text) else Text(value))
    table.add_row("", Text(f"{info['description']}\n{info['unlock_message']}", style="dim"))
    return table


def import_report_text(lines: list[str]) -> str:
    """The `import-tito` report: one line each."""
    return "\n".join(lines)
