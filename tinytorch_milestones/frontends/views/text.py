"""Plain-text views: readable in any terminal, log or `text/plain` output, without colour."""

from __future__ import annotations

from typing import Any

from ...core import messages
from .kinds import ViewKind


def milestone_line(row: dict[str, Any], name_width: int) -> str:
    """One milestone as a line: name, status word, modules met, and what is missing."""
    status = messages.STATUS_LABELS[row["status"]]
    columns = [f"{row['name']:<{name_width}}", f"{status:<9}",
               messages.requirements_text(len(row["met"]), len(row["requires"]))]
    if row["missing"]:
        columns.append(messages.missing_modules_text(row["missing"]))
    return "  ".join(columns)


def view_text(kind: ViewKind, status: dict[str, Any]) -> str:
    """A view of any kind as text: title, header lines, one line per milestone with its details, what's next."""
    rows = kind.rows(status)
    width = max((len(row["name"]) for row in rows), default=0)
    lines = [kind.title, ""]
    header = kind.header(status)
    lines += header + ([""] if header else [])
    for row in rows:
        lines.append(milestone_line(row, width))
        lines += [f"    {detail}" for detail in kind.details(row)]
    if not rows:
        lines.append(kind.empty_text(status))
    if kind.shows_next:
        lines += ["", status["next_text"]]
    return "\n".join(lines)
