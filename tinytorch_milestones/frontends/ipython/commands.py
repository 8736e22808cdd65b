"""The `%milestones` subcommands: a table of small functions, each with its own arguments and help.

Every handler calls the core or a service and renders what it returns; none holds a milestone rule.
A `MilestoneError` (bad module, unknown id, locked milestone, bad notebook) becomes a one-line
`UsageError`, raised before anything changes.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from IPython.core.error import StdinNotImplementedError, UsageError
from IPython.display import display

from ...core import messages
from ...core.errors import MilestoneError
from ...core.registry import normalize_module_name
from ...core.tracker import MilestoneTracker
from ..classroom import class_magic, configure_class, configure_grade, grade_magic
from ..views.live import LIVE_VIEWS
from ..views.milestones_view import MilestonesView
from ..views.mode import Mode, shell_mode
from ..views.unlock_panel import UnlockPanel
from .parser import HelpShown, MagicArgumentParser, split_line

DEFAULT_COMMAND = "progress"
HELP_FLAGS = ("-h", "--help")


@dataclass(frozen=True)
class MagicContext:
    """What a subcommand may use: the shell it runs in, and so the display mode (widgets or text)."""

    shell: Any

    @property
    def mode(self) -> Mode:
        return shell_mode(self.shell)

    def show_unlocks(self, milestone_ids: list[str] | tuple[str, ...]) -> None:
        """Display one unlock panel per newly unlocked milestone."""
        for milestone_id in milestone_ids:
            display(UnlockPanel(milestone_id, mode=self.mode))


@dataclass(frozen=True)
class Subcommand:
    """One subcommand: how it adds its arguments, and what it does with them."""

    name: str
    configure: Callable[[MagicArgumentParser], None]
    handle: Callable[[MagicContext, argparse.Namespace], Any]

    @property
    def help(self) -> str:
        return messages.MAGIC_COMMAND_HELP[self.name]

    def parser(self) -> MagicArgumentParser:
        parser = MagicArgumentParser(prog=f"{messages.MAGIC} {self.name}", description=self.help)
        self.configure(parser)
        return parser


def _no_arguments(parser: MagicArgumentParser) -> None:
    """A subcommand that takes no arguments of its own."""


def _progress(context: MagicContext, args: argparse.Namespace) -> MilestonesView:
    return MilestonesView("progress", mode=context.mode)


def _list(context: MagicContext, args: argparse.Namespace) -> MilestonesView:
    return MilestonesView("list", mode=context.mode)


def _configure_status(parser: MagicArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=messages.ARG_HELP_JSON)


def _status(context: MagicContext, args: argparse.Namespace) -> MilestonesView | None:
    if args.json:
        print(json.dumps(MilestoneTracker().status(), indent=2, ensure_ascii=False))
        return None
    return MilestonesView("status", mode=context.mode)


def _configure_complete(parser: MagicArgumentParser) -> None:
    parser.add_argument("modules", nargs="+", metavar="MODULE", help=messages.ARG_HELP_MODULE)


def _complete(context: MagicContext, args: argparse.Namespace) -> None:
    names = [normalize_module_name(module) for module in args.modules]
    tracker = MilestoneTracker()
    for name in names:
        result = tracker.mark_module_complete(name)
        print(messages.module_recorded(name, result["newly_unlocked"]))
        context.show_unlocks(result["newly_unlocked"])
    LIVE_VIEWS.refresh_stale()


def _configure_run(parser: MagicArgumentParser) -> None:
    parser.add_argument("milestone", metavar="ID", help=messages.ARG_HELP_MILESTONE)
    parser.add_argument("--force", action="store_true", help=messages.ARG_HELP_FORCE)
    parser.add_argument("--in-kernel", action="store_true", help=messages.ARG_HELP_IN_KERNEL)
    parser.add_argument("--timeout", type=float, metavar="S", help=messages.ARG_HELP_TIMEOUT)


class VerificationInterrupted(Exception):
    """The stop button ended a run: the cell fails (so a Run All stops there) with one line, no traceback."""

    def _render_traceback_(self) -> list[str]:
        return [messages.VERIFY_INTERRUPTED]


def _run(context: MagicContext, args: argparse.Namespace) -> Any:
    """The result card; the stop button (KeyboardInterrupt) ends the run with one line, as the Verify button does."""
    from ...services.verify import run_verification

    timeout = {} if args.timeout is None else {"timeout": args.timeout}
    try:
        return run_verification(args.milestone, force=args.force, in_kernel=args.in_kernel, on_output=print, **timeout)
    except KeyboardInterrupt:
        raise VerificationInterrupted(messages.VERIFY_INTERRUPTED) from None
    finally:
        LIVE_VIEWS.refresh_stale()


def _configure_export(parser: MagicArgumentParser) -> None:
    parser.add_argument("notebook", nargs="?", metavar="NOTEBOOK", help=messages.ARG_HELP_NOTEBOOK)
    parser.add_argument("--to", metavar="PACKAGE_ROOT", help=messages.ARG_HELP_PACKAGE_ROOT)
    parser.add_argument("--module", metavar="NAME", help=messages.ARG_HELP_EXPORT_MODULE)


def _export(context: MagicContext, args: argparse.Namespace) -> None:
    from ...services.export import export_and_record, find_current_notebook
    from ...services.export import messages as export_messages

    notebook = args.notebook
    if notebook is None:
        notebook = find_current_notebook(user_ns=context.shell.user_ns)
        print(export_messages.UNSAVED_EDITS_REMINDER)
    result = export_and_record(notebook, package_root=args.to, module=args.module)
    after = result.after_export
    print(result.summary)
    print(messages.module_recorded(after.module_name, after.newly_unlocked))
    context.show_unlocks(after.newly_unlocked)
    advice = export_messages.fresh_imports_advice(after.fresh_imports)
    if advice:
        print(advice)
    LIVE_VIEWS.refresh_stale()


def _configure_reset(parser: MagicArgumentParser) -> None:
    parser.add_argument("--yes", "-y", action="store_true", help=messages.ARG_HELP_YES)


def _confirmed(prompt: str) -> bool:
    """The user's yes to `prompt`; without a way to ask (no stdin in this frontend) a `UsageError`."""
    try:
        answer = input(prompt)
    except (StdinNotImplementedError, EOFError, OSError):
        raise UsageError(messages.RESET_NEEDS_YES) from None
    return answer.strip().lower() in messages.YES_ANSWERS


def _reset(context: MagicContext, args: argparse.Namespace) -> None:
    tracker = MilestoneTracker()
    if not args.yes and not _confirmed(messages.RESET_PROMPT.format(path=tracker.progress_file)):
        print(messages.RESET_CANCELLED)
        return
    backup = tracker.reset()
    print(messages.progress_reset(tracker.progress_file, backup))
    LIVE_VIEWS.refresh_stale()


def _configure_help(parser: MagicArgumentParser) -> None:
    parser.add_argument("command", nargs="?", metavar="COMMAND", help=messages.ARG_HELP_COMMAND)


def _help(context: MagicContext, args: argparse.Namespace) -> None:
    if args.command is None:
        print(overview())
        return
    print(subcommand(args.command).parser().format_help())


COMMANDS: dict[str, Subcommand] = {
    command.name: command
    for command in (
        Subcommand("progress", _no_arguments, _progress),
        Subcommand("list", _no_arguments, _list),
        Subcommand("status", _configure_status, _status),
        Subcommand("complete", _configure_complete, _complete),
        Subcommand("run", _configure_run, _run),
        Subcommand("export", _configure_export, _export),
        Subcommand("reset", _configure_reset, _reset),
        Subcommand("class", configure_class, class_magic),
        Subcommand("grade", configure_grade, grade_magic),
        Subcommand("help", _configure_help, _help),
    )
}


def subcommand(name: str) -> Subcommand:
    """The subcommand called `name`; any other name is a one-line `UsageError` listing the valid ones."""
    if name not in COMMANDS:
        raise UsageError(messages.unknown_magic_command(name, list(COMMANDS)))
    return COMMANDS[name]


def overview() -> str:
    """`%milestones?` and `%milestones help`: usage, what each command does, where the details are."""
    width = max(len(name) for name in COMMANDS)
    lines = [messages.MAGIC_USAGE, "", messages.MAGIC_SUMMARY, "", messages.MAGIC_COMMANDS_TITLE]
    lines += [f"  {name:<{width}}  {command.help}" for name, command in COMMANDS.items()]
    lines += ["", messages.MAGIC_DETAILS]
    return "\n".join(lines)


def dispatch(context: MagicContext, line: str) -> Any:
    """Run the subcommand `line` names with the rest of `line` as its arguments; no name means progress."""
    words = split_line(line)
    name, rest = (words[0], words[1:]) if words else (DEFAULT_COMMAND, [])
    if name in HELP_FLAGS:
        name = "help"
    command = subcommand(name)
    try:
        args = command.parser().parse_args(rest)
    except HelpShown:
        return None
    try:
        return command.handle(context, args)
    except MilestoneError as error:
        raise UsageError(str(error)) from None
