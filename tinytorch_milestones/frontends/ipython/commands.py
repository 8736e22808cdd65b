"""`%milestones`: the commands of `frontends.commands`, parsed from the magic's line and shown in the notebook.

A `MilestoneError` (bad module, unknown id, locked milestone, bad notebook) becomes a one-line
`UsageError`, raised before anything changes. Any other exception fails the cell with one line;
`%tb` then shows its full traceback.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from IPython.core.error import StdinNotImplementedError, UsageError
from IPython.display import display

from ...core import messages
from ...core.errors import MilestoneError
from ..commands import (
    COMMANDS,
    ClassroomCommand,
    DEFAULT_COMMAND,
    Command,
    JsonDocument,
    MilestoneInfo,
    ModulesRecorded,
    NotebookExported,
    VerificationInterrupted,
    View,
    find_command,
)
from ..views.live import LIVE_VIEWS
from ..views.milestones_view import MilestonesView
from ..views.mode import Mode, shell_mode
from ..views.unlock_panel import UnlockPanel
from .parser import HelpShown, MagicArgumentParser, split_line

HELP_FLAGS = ("-h", "--help")
LIVE_FRONTEND_VARIABLE = "JPY_SESSION_NAME"  # set by Jupyter's server when a frontend opens the notebook
VSCODE_NOTEBOOK_NAME = "__vsc_ipynb_file__"


class CellStopped(Exception):
    """The cell fails (so a Run All stops there) with this one line and no traceback."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


class UnexpectedCommandError(CellStopped):
    """An error no command expected: one line; afterwards `%tb` shows the traceback of its cause."""

    def _render_traceback_(self) -> list[str]:
        cause = self.__cause__
        if cause is not None:  # %tb shows sys.last_*: let that be the real error, not this summary
            sys.last_type, sys.last_value, sys.last_traceback = type(cause), cause, cause.__traceback__
        return [str(self)]


@dataclass(frozen=True)
class KernelSession:
    """What a command may use in IPython: the shell, its namespace, and so the display mode (widgets or text)."""

    shell: Any
    progress_file: str | None = None

    @property
    def user_ns(self) -> dict[str, Any]:
        return self.shell.user_ns

    @property
    def mode(self) -> Mode:
        return shell_mode(self.shell)

    @property
    def has_live_frontend(self) -> bool:
        """Whether an editor holds the notebook open (so it may have unsaved edits); False in headless runs."""
        return bool(os.environ.get(LIVE_FRONTEND_VARIABLE)) or VSCODE_NOTEBOOK_NAME in self.shell.user_ns

    def confirm(self, prompt: str) -> bool:
        try:
            answer = input(prompt)
        except (StdinNotImplementedError, EOFError, OSError):
            raise MilestoneError(messages.RESET_NEEDS_YES) from None
        return answer.strip().lower() in messages.YES_ANSWERS

    def on_output(self, line: str) -> None:
        print(line)

    def help_text(self, command: str | None) -> str:
        return overview() if command is None else magic_parser(COMMANDS[command]).format_help().rstrip("\n")

    def show_unlocks(self, milestone_ids: tuple[str, ...]) -> None:
        """Display one unlock panel per newly unlocked milestone."""
        for milestone_id in milestone_ids:
            display(UnlockPanel(milestone_id, mode=self.mode))


def magic_parser(command: Command) -> MagicArgumentParser:
    """`command`'s parser, as `%milestones NAME`."""
    parser = MagicArgumentParser(prog=f"{messages.MAGIC} {command.name}", description=command.help)
    command.configure(parser)
    return parser


def overview() -> str:
    """`%milestones?` and `%milestones help`: usage, what each command does, where the details are."""
    width = max(len(name) for name in COMMANDS)
    lines = [messages.MAGIC_USAGE, "", messages.MAGIC_SUMMARY, "", messages.MAGIC_COMMANDS_TITLE]
    lines += [f"  {name:<{width}}  {command.help}" for name, command in COMMANDS.items()]
    lines += ["", messages.MAGIC_DETAILS]
    return "\n".join(lines)


def show(session: KernelSession, result: Any) -> Any:
    """Show a handler's result in the notebook; return what the cell should display as its value."""
    if isinstance(result, View):
        return MilestonesView(result.kind, mode=session.mode)
    if isinstance(result, JsonDocument):
        print(json.dumps(result.data, indent=2, ensure_ascii=False))
    elif isinstance(result, ModulesRecorded):
        for record in result.records:
            print(messages.module_recorded(record.module_name, record.newly_unlocked))
            session.show_unlocks(record.newly_unlocked)
    elif isinstance(result, NotebookExported):
        _show_export(session, result)
    elif isinstance(result, ClassroomCommand):
        from .. import classroom

        {"class": classroom.class_magic, "grade": classroom.grade_magic}[result.name](session, result.args)
    elif isinstance(result, MilestoneInfo):
        from ..course_views import info_table

        return info_table(result.info)
    elif isinstance(result, str):
        print(result)
    else:
        return result  # a verification's result card, or None
    return None


def _show_export(session: KernelSession, exported: NotebookExported) -> None:
    from ...services.export import messages as export_messages

    after = exported.result.after_export
    if exported.found_notebook and session.has_live_frontend:
        print(export_messages.UNSAVED_EDITS_REMINDER)
    print(exported.result.summary)
    session.show_unlocks(after.newly_unlocked)
    advice = export_messages.fresh_imports_advice(after.fresh_imports)
    if advice:
        print(advice)


def dispatch(shell: Any, line: str) -> Any:
    """Run the command `line` names with the rest of `line` as its arguments; no name means progress."""
    session = KernelSession(shell)
    try:
        words = split_line(line)
        name, rest = (words[0], words[1:]) if words else (DEFAULT_COMMAND, [])
        command = find_command("help" if name in HELP_FLAGS else name)
        try:
            args = magic_parser(command).parse_args(rest)
        except HelpShown:
            return None
        return show(session, command.handler(session, args))
    except MilestoneError as error:
        raise UsageError(str(error)) from None
    except VerificationInterrupted as stop:
        raise CellStopped(str(stop)) from None
    except (UsageError, KeyboardInterrupt):
        raise
    except Exception as error:
        raise UnexpectedCommandError(messages.unexpected_error_magic(error)) from error
    finally:
        LIVE_VIEWS.refresh_stale()
