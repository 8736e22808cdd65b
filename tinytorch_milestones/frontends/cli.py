"""The `tinytorch-milestones` command line; `build_parser` lets tito mount it as `tito milestones`.

Exit codes: 0 ok, 1 a failed verification, 2 bad usage or input, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core import messages
from ..core.errors import MilestoneError
from ..core.registry import normalize_module_name
from ..core.tracker import MilestoneTracker
from .classroom import class_cli, configure_class, configure_grade, grade_cli
from .views.kinds import STATUS
from .views.text import view_text

if TYPE_CHECKING:
    from rich.console import Console

PROG = "tinytorch-milestones"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass(frozen=True)
class Subcommand:
    """One CLI subcommand: how it adds its arguments, and what it does; its help line is in messages."""

    configure: Callable[[argparse.ArgumentParser], None]
    handle: Callable[[argparse.Namespace], int]


def _console() -> Console:
    from rich.console import Console

    return Console()


def _configure_complete(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("modules", nargs="+", metavar="MODULE",
                        help=messages.ARG_HELP_MODULE_CLI)


def _complete(args: argparse.Namespace) -> int:
    names = [normalize_module_name(module) for module in args.modules]
    tracker = MilestoneTracker(args.progress_file)
    console = _console()
    for name in names:
        result = tracker.mark_module_complete(name, console=console)
        console.print(messages.module_recorded(name, result["newly_unlocked"]), highlight=False)
    return EXIT_OK


def _progress(args: argparse.Namespace) -> int:
    MilestoneTracker(args.progress_file).show_progress(_console())
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    MilestoneTracker(args.progress_file).list_unlocked_tests(_console())
    return EXIT_OK


def _configure_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=messages.ARG_HELP_JSON)


def _status(args: argparse.Namespace) -> int:
    status = MilestoneTracker(args.progress_file).status()
    if args.json:
        print(json.dumps(status, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(view_text(STATUS, status))
    return EXIT_OK


def _configure_reset(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", "-y", action="store_true", help=messages.ARG_HELP_YES)


def _reset(args: argparse.Namespace) -> int:
    tracker = MilestoneTracker(args.progress_file)
    if not args.yes:
        if not sys.stdin.isatty():
            raise MilestoneError(messages.RESET_NEEDS_YES)
        try:
            answer = input(messages.RESET_PROMPT.format(path=tracker.progress_file))
        except EOFError:
            answer = ""
            print()
        if answer.strip().lower() not in messages.YES_ANSWERS:
            print(messages.RESET_CANCELLED)
            return EXIT_OK
    backup = tracker.reset()
    print(messages.progress_reset(tracker.progress_file, backup))
    return EXIT_OK


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebook", nargs="?", metavar="NOTEBOOK",
                        help=messages.ARG_HELP_NOTEBOOK_CLI)
    parser.add_argument("--to", dest="package_root", metavar="PACKAGE_ROOT", help=messages.ARG_HELP_PACKAGE_ROOT)
    parser.add_argument("--module", metavar="NAME", help=messages.ARG_HELP_EXPORT_MODULE)


def _export(args: argparse.Namespace) -> int:
    from ..services.export import export_and_record, find_current_notebook

    notebook = args.notebook or find_current_notebook()
    result = export_and_record(notebook, package_root=args.package_root, module=args.module,
                               console=_console(), progress_file=args.progress_file)
    print(result.summary)
    print(messages.module_recorded(result.module_name, result.after_export.newly_unlocked))
    return EXIT_OK


def _configure_run(parser: argparse.ArgumentParser) -> None:
    from ..services.verify.cli import add_run_arguments

    add_run_arguments(parser)


def _run(args: argparse.Namespace) -> int:
    from ..services.verify.cli import run_command

    return run_command(args)


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A subcommand that takes no arguments of its own."""


SUBCOMMANDS: dict[str, Subcommand] = {
    "complete": Subcommand(_configure_complete, _complete),
    "progress": Subcommand(_no_arguments, _progress),
    "list": Subcommand(_no_arguments, _list),
    "status": Subcommand(_configure_status, _status),
    "reset": Subcommand(_configure_reset, _reset),
    "export": Subcommand(_configure_export, _export),
    "run": Subcommand(_configure_run, _run),
    "class": Subcommand(configure_class, class_cli),
    "grade": Subcommand(configure_grade, grade_cli),
}


def _add_progress_file_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--progress-file", metavar="PATH", default=default, help=messages.ARG_HELP_PROGRESS_FILE)


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The CLI's parser; pass tito's `milestones` subparser to mount every subcommand under it."""
    if parser is None:
        parser = argparse.ArgumentParser(prog=PROG, description=messages.CLI_DESCRIPTION)
    _add_progress_file_option(parser, None)
    subparsers = parser.add_subparsers(dest="milestones_command", metavar="COMMAND")
    repeated_option = argparse.ArgumentParser(add_help=False)
    _add_progress_file_option(repeated_option, argparse.SUPPRESS)
    for name, subcommand in SUBCOMMANDS.items():
        help_line = messages.CLI_COMMAND_HELP[name]
        sub = subparsers.add_parser(name, help=help_line, description=help_line, parents=[repeated_option])
        subcommand.configure(sub)
    return parser


def run(args: argparse.Namespace) -> int:
    """Carry out parsed arguments (tito calls this after parsing with its mounted parser)."""
    command = args.milestones_command or "progress"
    try:
        return SUBCOMMANDS[command].handle(args)
    except MilestoneError as error:
        print(messages.cli_error(error), file=sys.stderr)
        return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `tinytorch-milestones` and `python -m tinytorch_milestones`."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        print(messages.INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the reader (e.g. `| head`) left; let the exit flush go nowhere
        return EXIT_OK
