"""The instructors' commands, `class` and `grade`: arguments, and the table / CSV / JSON / progress bar.

Each command is defined once here (`configure_*` adds its arguments to any argparse parser, the CLI's
or the magic's; `*_output` turns parsed arguments into what to show), so the CLI and `%milestones`
register them in a line each. Wording comes from the classroom service's messages.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..services.classroom import messages
from ..services.classroom.limits import DEFAULT_MEMORY_LIMIT_BYTES, DEFAULT_TIMEOUT_S

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from ..services.classroom.class_view import ClassRow
    from ..services.classroom.grading import GradeReport, GradingProgress

MB = 1024 * 1024
EXIT_OK, EXIT_INTERRUPTED = 0, 130


def _add_format_options(parser: argparse.ArgumentParser) -> None:
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--csv", action="store_true", help=messages.ARG_HELP_CSV)
    formats.add_argument("--json", action="store_true", help=messages.ARG_HELP_JSON)


def configure_class(parser: argparse.ArgumentParser) -> None:
    """Add `class`'s arguments: PATHS... [--csv | --json]."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help=messages.ARG_HELP_CLASS_PATHS)
    _add_format_options(parser)


def configure_grade(parser: argparse.ArgumentParser) -> None:
    """Add `grade`'s arguments: SUBMISSIONS... [--jobs N] [--executor URL] [--timeout S] ... [--csv | --json]."""
    parser.add_argument("submissions", nargs="+", metavar="SUBMISSION", help=messages.ARG_HELP_SUBMISSIONS)
    parser.add_argument("--jobs", "-j", type=int, metavar="N", default=None, help=messages.ARG_HELP_JOBS.format(default="CPU count"))
    parser.add_argument("--executor", metavar="URL", default=None, help=messages.ARG_HELP_EXECUTOR)
    parser.add_argument("--timeout", type=float, metavar="S", default=DEFAULT_TIMEOUT_S,
                        help=messages.ARG_HELP_TIMEOUT.format(default=DEFAULT_TIMEOUT_S))
    parser.add_argument("--memory-mb", type=int, metavar="MB", default=DEFAULT_MEMORY_LIMIT_BYTES // MB,
                        help=messages.ARG_HELP_MEMORY.format(default=DEFAULT_MEMORY_LIMIT_BYTES // MB))
    parser.add_argument("--milestone", action="append", metavar="ID", default=None, help=messages.ARG_HELP_MILESTONE)
    parser.add_argument("--cache", metavar="PATH", default=None, help=messages.ARG_HELP_CACHE)
    _add_format_options(parser)


# --- class ----------------------------------------------------------------------------------

def _day(stamp: str | None) -> str:
    return stamp[:10] if stamp else ""


def class_table(rows: Sequence[ClassRow]) -> Table:
    """The class as a rich table: one row per student, each milestone's mark and date, totals below."""
    from rich.markup import escape
    from rich.table import Table

    from ..core import registry
    from ..services.classroom.class_view import milestone_totals

    milestones = registry.milestones()
    table = Table(title=messages.CLASS_TITLE.format(count=len(rows)), caption=messages.STATE_LEGEND, show_footer=True)
    table.add_column(messages.COLUMN_STUDENT, footer=messages.TOTALS, style="bold")
    table.add_column(messages.COLUMN_MODULES, justify="right")
    totals = milestone_totals(rows)
    for milestone in milestones:
        table.add_column(milestone.id, footer=messages.totals_cell(totals[milestone.id], len(rows)), justify="center")
    table.add_column(messages.COLUMN_LAST_VERIFICATION)
    table.add_column(messages.COLUMN_PROBLEM, style="red", overflow="fold")
    module_count = len(registry.module_names())
    for row in rows:
        last = row.last_verification
        table.add_row(
            escape(row.student),
            messages.modules_done(len(row.completed_modules), module_count),
            *(f"{messages.STATE_MARKS[row.milestones[m.id]]} {_day(row.when.get(m.id))}".strip() for m in milestones),
            escape(messages.last_verification(last["milestone"], last["outcome"], last["at"])) if last else "",
            escape(row.problem or ""),
        )
    return table


def _csv_text(header: list[str], records: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()


def class_output(args: argparse.Namespace) -> tuple[list[ClassRow], str | None]:
    """The rows `class` shows, and its text when `--csv` or `--json` asked for one (else None: a table)."""
    from ..services.classroom.class_view import class_rows, csv_records

    rows = class_rows(args.paths)
    if args.json:
        return rows, json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False)
    if args.csv:
        return rows, _csv_text(*csv_records(rows)).rstrip("\n")
    return rows, None


# --- grade ----------------------------------------------------------------------------------

def _grade_cell(cell: Any) -> str:
    text = f"{messages.CLAIM_MARKS[cell.claimed]}, {messages.VERIFIED_MARKS[cell.verified]}"
    return f"[bold red]{text}[/]" if cell.disagrees else text


def grade_table(report: GradeReport) -> Table:
    """The grading as a rich table: claimed and verified per milestone, each failure's reason."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=messages.GRADE_TITLE.format(count=len(report.rows)), caption=report.summary())
    table.add_column(messages.COLUMN_STUDENT, style="bold")
    for milestone_id in report.milestone_ids:
        table.add_column(milestone_id)
    table.add_column(messages.COLUMN_REASON, overflow="fold")
    for row in report.rows:
        reasons = [f"{milestone_id}: {cell.reason}" for milestone_id, cell in row.milestones.items() if cell.reason]
        if row.problem:
            reasons.insert(0, row.problem)
        table.add_row(escape(row.student), *(_grade_cell(row.milestones[i]) for i in report.milestone_ids),
                      escape("\n".join(reasons)))
    return table


def grade_csv(report: GradeReport) -> str:
    """One CSV record per submission: student, path, problem, then `<id>_claimed`, `<id>_verified`, `<id>_reason`."""
    header = ["student", "path", "problem",
              *(f"{i}_{part}" for i in report.milestone_ids for part in ("claimed", "verified", "reason"))]

    def shown(value: bool | None) -> str:
        return "" if value is None else str(value).lower()

    records = [[row.student, row.path, row.problem or "",
                *(value for i in report.milestone_ids for value in
                  (shown(row.milestones[i].claimed), shown(row.milestones[i].verified), row.milestones[i].reason or ""))]
               for row in report.rows]
    return _csv_text(header, records).rstrip("\n")


@contextmanager
def progress_bar(console: Console) -> Iterator[Any]:
    """A rich progress bar (students and milestones done, failures, time left); yields the callback.

    The bar appears at the first count, so bad arguments are reported without one.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[students]}"),
                        TextColumn("{task.fields[cells]}"), TextColumn("{task.fields[failures]}"),
                        TextColumn("{task.fields[cached]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                        console=console)
    task = progress.add_task(messages.PROGRESS_DESCRIPTION, total=None, students="", cells="", failures="", cached="")

    def update(counts: GradingProgress) -> None:
        if not progress.live.is_started:
            progress.start()
        progress.update(
            task, total=counts.cells_total, completed=counts.cells_done,
            students=messages.PROGRESS_STUDENTS.format(done=counts.students_done, total=counts.students_total),
            cells=messages.PROGRESS_CELLS.format(done=counts.cells_done, total=counts.cells_total),
            failures=messages.PROGRESS_FAILURES.format(count=counts.failures),
            cached=messages.PROGRESS_CACHED.format(count=counts.cached))

    try:
        yield update
    finally:
        if progress.live.is_started:
            progress.refresh()  # rich skips the final refresh at stop in Jupyter: draw the last counts
            progress.stop()


def grade_report(args: argparse.Namespace, console: Console) -> GradeReport:
    """Grade as `args` say, with the progress bar on `console` and warnings printed there."""
    from ..services.classroom.grading import grade

    with progress_bar(console) as on_progress:
        return grade(args.submissions, milestones=args.milestone, jobs=args.jobs, executor=args.executor,
                     timeout_s=args.timeout, memory_limit_bytes=args.memory_mb * MB, cache=args.cache,
                     on_progress=on_progress, warn=lambda line: console.print(line, highlight=False, markup=False))


def grade_text(report: GradeReport, args: argparse.Namespace) -> str | None:
    """`grade --json` / `--csv` text, else None (a table)."""
    if args.json:
        return json.dumps([row.as_json() for row in report.rows], indent=2, ensure_ascii=False)
    if args.csv:
        return grade_csv(report)
    return None


# --- the command line -------------------------------------------------------------------------

def class_cli(args: argparse.Namespace) -> int:
    """`tinytorch-milestones class`: the table, or CSV / JSON on stdout."""
    from ..core.console_render import new_console

    rows, text = class_output(args)
    if text is not None:
        print(text)
    else:
        new_console().print(class_table(rows))
    return EXIT_OK


def grade_cli(args: argparse.Namespace) -> int:
    """`tinytorch-milestones grade`: progress on stderr, then the table or CSV / JSON on stdout; 130 if interrupted."""
    from ..core.console_render import new_console

    report = grade_report(args, new_console(stderr=True))
    text = grade_text(report, args)
    if text is not None:
        print(text)
    else:
        new_console().print(grade_table(report))
    if report.interrupted:
        print(messages.GRADING_INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


# --- the notebook -----------------------------------------------------------------------------

def class_magic(context: Any, args: argparse.Namespace) -> None:
    """`%milestones class`: the table and the chart (or the CSV / JSON text)."""
    from IPython.display import Image, display
    from ..core.console_render import new_console

    from .views.class_chart import class_chart_png

    rows, text = class_output(args)
    if text is not None:
        print(text)
        return
    new_console().print(class_table(rows))
    try:
        png = class_chart_png(rows)
    except ImportError:
        print(messages.CHART_NEEDS_MATPLOTLIB)
        return
    display(Image(data=png))


def grade_magic(context: Any, args: argparse.Namespace) -> None:
    """`%milestones grade`: the progress bar, then the table (or CSV / JSON)."""
    from ..core.console_render import new_console

    console = new_console()
    report = grade_report(args, console)
    text = grade_text(report, args)
    if text is not None:
        print(text)
    else:
        console.print(grade_table(report))
    if report.interrupted:
        print(messages.GRADING_INTERRUPTED)
