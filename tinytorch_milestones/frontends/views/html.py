"""Views as static HTML for nbconvert, GitHub and JupyterLab: escaped text, inline themed styles, no scripts."""

from __future__ import annotations

from html import escape
from typing import Any

from ...core import messages
from ...core.registry import Milestone
from . import theme
from .kinds import ViewKind


def _status_cell(row: dict[str, Any]) -> str:
    status = row["status"]
    return (
        f'<td class="tt-status" style="{theme.CELL_STYLE}{theme.NOWRAP}{theme.status_style(status)}">'
        f"{escape(messages.status_text(status))}</td>"
    )


def _requirements_cell(row: dict[str, Any]) -> str:
    met, total = len(row["met"]), len(row["requires"])
    return (
        f'<td class="tt-requirements" style="{theme.CELL_STYLE}{theme.NOWRAP}">'
        f'<progress value="{met}" max="{total}"></progress> {escape(messages.requirements_text(met, total))}</td>'
    )


def _milestone_row(kind: ViewKind, row: dict[str, Any]) -> str:
    details = "".join(f'<div class="tt-details" style="{theme.DETAIL_STYLE}">{escape(line)}</div>'
                      for line in kind.details(row))
    return (
        f'<tr class="tt-milestone-row tt-status-{escape(row["status"])}" data-milestone="{escape(row["id"])}">'
        f'<td class="tt-milestone-name" style="{theme.CELL_STYLE}"><b>{escape(row["year"])}</b> '
        f"{escape(row['title'])}{details}</td>"
        f"{_status_cell(row)}{_requirements_cell(row)}"
        f'<td class="tt-missing" style="{theme.CELL_STYLE}{theme.DETAIL_STYLE}">'
        f"{escape(', '.join(row['missing']))}</td></tr>"
    )


def _table(kind: ViewKind, rows: list[dict[str, Any]]) -> str:
    head = "".join(f'<th style="{theme.CELL_STYLE}">{escape(header)}</th>' for header in messages.TABLE_HEADERS)
    body = "".join(_milestone_row(kind, row) for row in rows)
    return f'<table class="tt-milestones-table" style="{theme.TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def view_html(kind: ViewKind, status: dict[str, Any]) -> str:
    """A view of any kind as one self-contained HTML fragment."""
    rows = kind.rows(status)
    parts = [f'<div class="tt-title"><b>{escape(kind.title)}</b></div>']
    parts += [f'<div class="tt-header" style="{theme.DETAIL_STYLE}">{escape(line)}</div>' for line in kind.header(status)]
    parts.append(_table(kind, rows) if rows else f'<p class="tt-empty">{escape(kind.empty_text(status))}</p>')
    if kind.shows_next:
        parts.append(f'<p class="tt-next">{escape(status["next_text"])}</p>')
    return f'<div class="tt-milestones-view tt-view-{escape(kind.name)}" style="{theme.VIEW_STYLE}">{"".join(parts)}</div>'


def _command(text: str) -> str:
    return f'<code style="{theme.CODE_STYLE}">{escape(text)}</code>'


def unlock_panel_html(milestone: Milestone) -> str:
    """The unlock announcement: name, description, unlock message and the commands that verify it."""
    return (
        f'<div class="tt-unlock-panel" data-milestone="{escape(milestone.id)}" style="{theme.PANEL_STYLE}">'
        f'<div style="color:{theme.SUCCESS};font-weight:bold">{escape(messages.UNLOCK_HEADER)}</div>'
        f'<div class="tt-milestone-name" style="font-size:1.15em;font-weight:bold;margin-top:6px">{escape(milestone.name)}</div>'
        f'<div class="tt-description">{escape(milestone.description)}</div>'
        f'<div class="tt-unlock-message" style="margin-top:6px">{escape(milestone.unlock_message)}</div>'
        f'<div class="tt-verify-command" style="margin-top:6px"><b>{escape(messages.LABEL_RUN_VERIFICATION)}</b> '
        f"{_command(messages.magic_run_command(milestone.id))} "
        f'<span style="{theme.DETAIL_STYLE}">{escape(messages.LABEL_IN_TERMINAL)}</span> '
        f"{_command(messages.cli_run_command(milestone.id))}</div></div>"
    )
