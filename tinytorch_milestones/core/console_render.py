"""The core's own terminal output with rich: unlock and completion panels, the progress table.

Imported only when something is printed, so importing the core never pays for rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import messages
from .registry import Milestone

STATUS_STYLES = {"locked": "dim", "unlocked": "yellow", "completed": "green"}
Row = dict[str, Any]


def new_console(**options: Any) -> Console:
    """A rich console for the terminal (`options` as `rich.console.Console` takes them). Our text
    carries its emoji as characters, so rich's `:name:` emoji codes are off: a course's ":tada:"
    stays as written, and the code table is never loaded."""
    return Console(emoji=False, **options)


def _console(console: Any) -> Console:
    return console if console is not None else new_console()


def unlock_panel(milestone: Milestone, where: str | None = None) -> Panel:
    """The panel announcing that `milestone` is unlocked, with the command that verifies it.

    `where` (`messages.TERMINAL`) shows only the terminal command; None adds the notebook's.
    """
    notebook_line = (
        "" if where == messages.TERMINAL else
        f"\n[dim]{escape(messages.LABEL_IN_NOTEBOOK)}[/dim] [yellow]{escape(messages.magic_run_command(milestone.id))}[/yellow]"
    )
    return Panel.fit(
        f"[bold green]{escape(messages.UNLOCK_HEADER)}[/bold green]\n\n"
        f"[bold cyan]{escape(milestone.name)}[/bold cyan]\n"
        f"{escape(milestone.description)}\n\n"
        f"{escape(milestone.unlock_message)}\n\n"
        f"[bold]{escape(messages.LABEL_RUN_VERIFICATION)}[/bold]\n"
        f"[yellow]{escape(messages.cli_run_command(milestone.id))}[/yellow]{notebook_line}",
        border_style="green",
        box=box.DOUBLE,
    )


def completion_panel(milestone: Milestone) -> Panel:
    """The panel celebrating a passed verification."""
    return Panel.fit(
        f"[bold green]{escape(messages.COMPLETED_HEADER)}[/bold green]\n\n"
        f"[bold cyan]{escape(milestone.name)}[/bold cyan]\n\n{escape(messages.COMPLETED_BODY)}",
        border_style="green",
        box=box.DOUBLE,
    )


def print_unlock_panels(console: Any, milestones: Iterable[Milestone], where: str | None = None) -> None:
    """Print one unlock panel per milestone on a rich console (`where` as for `unlock_panel`)."""
    for milestone in milestones:
        console.print()
        console.print(unlock_panel(milestone, where))


def print_completion_panel(console: Any, milestone: Milestone) -> None:
    """Print the completion panel on a rich console."""
    console.print()
    console.print(completion_panel(milestone))


def milestones_table(rows: Iterable[Row], *, title: str = messages.PROGRESS_TITLE,
                     details: Callable[[Row], list[str]] | None = None, missing_column: bool = False) -> Table:
    """Milestones (rows of the core's `status()`) as a rich table: milestone, status, requirements met.

    As it stands, API.md's progress table; a view may put detail lines under each name and add a
    column of the modules still missing.
    """
    milestone_header, status_header, requirements_header, missing_header = messages.TABLE_HEADERS
    table = Table(title=title, box=box.ROUNDED)
    table.add_column(milestone_header)
    table.add_column(status_header, justify="center")
    table.add_column(requirements_header, style="dim")
    if missing_column:
        table.add_column(missing_header, style="dim")
    for row in rows:
        name = Text(row["name"], style="cyan")
        for detail in details(row) if details else ():
            name.append(f"\n{detail}", style="dim")
        cells = [
            name,
            Text(messages.status_text(row["status"]), style=STATUS_STYLES[row["status"]]),
            Text(messages.requirements_text(len(row["met"]), len(row["requires"]))),
        ]
        if missing_column:
            cells.append(Text(", ".join(row["missing"])))
        table.add_row(*cells)
    return table


def progress_table(status: dict[str, Any]) -> Table:
    """The progress table of API.md: milestone, status, requirements met."""
    return milestones_table(status["milestones"])


def print_progress(console: Any, status: dict[str, Any]) -> None:
    """Print the progress table and the what's-next line."""
    console = _console(console)
    console.print(progress_table(status))
    console.print(Panel(escape(status["next_text"]), title=Text(messages.NEXT_TITLE), border_style="blue"))


def print_unlocked_tests(console: Any, status: dict[str, Any]) -> None:
    """Print each milestone waiting for verification with the command that verifies it."""
    console = _console(console)
    awaiting = set(status["awaiting_verification"])
    rows = [row for row in status["milestones"] if row["id"] in awaiting]
    if not rows:
        console.print(f"[yellow]{escape(status['awaiting_text'])}[/yellow]")
        return
    console.print(f"[bold]{escape(status['awaiting_text'])}[/bold]\n")
    for row in rows:
        console.print(f"[cyan]• {escape(row['name'])}[/cyan]")
        console.print(f"  [dim]{escape(row['description'])}[/dim]")
        console.print(f"  [yellow]{escape(messages.cli_run_command(row['id']))}[/yellow]\n")
