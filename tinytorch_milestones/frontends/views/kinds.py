"""What each view shows from the core's `status()`: progress, the unlocked list, or every detail.

The widget, HTML and text renderers all read a `ViewKind`, so the three forms of a view always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...core import messages

Status = dict[str, Any]
Row = dict[str, Any]


@dataclass(frozen=True)
class ViewKind:
    """One kind of view: its title, which milestones it lists, and what it adds around them."""

    name: str
    title: str
    rows: Callable[[Status], list[Row]]
    details: Callable[[Row], list[str]]
    header: Callable[[Status], list[str]]
    empty_text: Callable[[Status], str]
    shows_next: bool


def _all_rows(status: Status) -> list[Row]:
    return list(status["milestones"])


def _awaiting_verification(status: Status) -> list[Row]:
    return [row for row in status["milestones"] if row["id"] in status["awaiting_verification"]]


def _nothing(_: Any) -> list[str]:
    return []


def _verify_details(row: Row) -> list[str]:
    return [row["description"], messages.magic_run_command(row["id"])]


def _status_details(row: Row) -> list[str]:
    lines = [row["description"]]
    if row["unlocked_at"]:
        lines.append(messages.unlocked_at_text(row["unlocked_at"]))
    if row["completed_at"]:
        lines.append(messages.completed_at_text(row["completed_at"]))
    if row["last_verification"]:
        lines.append(messages.last_verification_text(row["last_verification"]))
    return lines


def _status_header(status: Status) -> list[str]:
    return messages.status_header_lines(status["progress_file"], status["completed_modules"])


def _no_pending_text(status: Status) -> str:
    return status["awaiting_text"]


def _never_empty(_: Status) -> str:
    return ""


PROGRESS = ViewKind("progress", messages.PROGRESS_TITLE, _all_rows, _nothing, _nothing, _never_empty, True)
UNLOCKED_LIST = ViewKind("list", messages.UNLOCKED_TESTS_TITLE, _awaiting_verification, _verify_details, _nothing,
                         _no_pending_text, False)
STATUS = ViewKind("status", messages.STATUS_TITLE, _all_rows, _status_details, _status_header, _never_empty, True)

KINDS: dict[str, ViewKind] = {kind.name: kind for kind in (PROGRESS, UNLOCKED_LIST, STATUS)}
