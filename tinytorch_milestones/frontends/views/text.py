"""Plain-text progress: readable in any terminal, log or `text/plain` output, without colour."""

from __future__ import annotations

from typing import Any

from ...core import messages


def milestone_line(row: dict[str, Any], name_width: int) -> str:
    """One milestone as a line: name, status word, modules met, and what is missing."""
    status = messages.STATUS_LABELS[row["status"]]
    line = f"{row['name']:<{name_width}}  {status:<9}  {messages.requirements_text(len(row['met']), len(row['requires']))}"
    if row["missing"]:
        line += f"  (needs {', '.join(row['missing'])})"
    return line


def progress_text(status: dict[str, Any]) -> str:
    """The whole progress as text: a title, one line per milestone, and what's next."""
    rows = status["milestones"]
    width = max((len(row["name"]) for row in rows), default=0)
    lines = [messages.PROGRESS_TITLE, ""]
    lines += [milestone_line(row, width) for row in rows]
    lines += ["", status["next_text"]]
    return "\n".join(lines)
