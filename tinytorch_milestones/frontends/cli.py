"""The `tinytorch-milestones` command line, built from `frontends.commands`; `build_parser` and `run` let
tito mount it as `tito milestones`.

Exit codes: 0 ok, 1 a verification did not pass, 2 bad usage or input (one line on stderr, nothing
changed), 3 an unexpected error (one line; `--debug` shows the traceback), 130 interrupted (Ctrl-C).
Services and rich are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections import namedtuple

from ..core import messages
from ..core.errors import MilestoneError
from .commands import (
    COMMANDS,
    ClassroomCommand,
    DEFAULT_COMMAND,
    JsonDocument,
    MilestoneInfo,
    ModulesRecorded,
    NotebookExported,
    VerificationInterrupted,
    View,
    find_command,
)

TYPE_CHECKING = False  # typing costs a fresh process about 4 ms that `complete` and `status` need not pay
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn

PROG = messages.PROG
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
COMMAND_DEST = "milestones_command"
PARSERS_DEST = "milestones_parsers"


class CommandLineParser(argparse.ArgumentParser):
    """argparse's parser, except that a command line it cannot parse is one line on stderr (no usage
    block; the line says where `--help` is), as every refusal of this CLI is; exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, messages.usage_error(self.prog, message) + "\n")


class CommandsAction(argparse._SubParsersAction):  # argparse's own subcommand action, its parsers made on demand
    """argparse's subcommands, except that a command's parser is made when first needed (the command is
    chosen, or its help asked for), and an unknown name is one line naming the closest valid commands.

    The overview (`--help`) lists every command from `COMMANDS` without making a parser.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = None  # argparse would refuse an unknown name before `__call__`, without "did you mean"
        self._choices_actions.extend(
            self._ChoicesPseudoAction(name, (), command.help) for name, command in COMMANDS.items()
        )

    def parser_for(self, name: str) -> argparse.ArgumentParser:
        """Command `name`'s parser, made and configured on first use; raises `MilestoneError` for an unknown name."""
        command = find_command(name)
        if name not in self._name_parser_map:
            parser = self.add_parser(name, description=command.help)
            _global_options(parser, argparse.SUPPRESS)  # they may also follow the command
            command.configure(parser)
        return self._name_parser_map[name]

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        try:
            self.parser_for(values[0])
        except MilestoneError as error:
            raise argparse.ArgumentError(None, str(error)) from None
        super().__call__(parser, namespace, values, option_string)


class Parsers(namedtuple("Parsers", ("top", "commands"))):
    """The top-level parser (`top`) and its `CommandsAction` (`commands`), kept in the parsed arguments for `help`."""

    __slots__ = ()


class TerminalSession(namedtuple("TerminalSession", ("progress_file", "parsers", "user_ns"), defaults=(None,))):
    """What a command may use in a terminal: `progress_file` (a path or None for the default), `parsers`
    (`Parsers`, or None to build them for `help`) and `user_ns` (always None: there is no kernel)."""

    __slots__ = ()

    def confirm(self, prompt: str) -> bool:
        if not sys.stdin.isatty():
            raise MilestoneError(messages.RESET_NEEDS_YES)
        try:
            answer = input(prompt)
        except EOFError:
            print()
            return False
        return answer.strip().lower() in messages.YES_ANSWERS

    def on_output(self, line: str) -> None:
        print(line, flush=True)

    def help_text(self, command: str | None) -> str:
        parsers = self.parsers or _parsers_of(build_parser())
        parser = parsers.top if command is None else parsers.commands.parser_for(command)
        return parser.format_help().rstrip("\n")


def _global_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--progress-file", metavar="PATH", default=default, help=messages.ARG_HELP_PROGRESS_FILE)
    parser.add_argument("--course", metavar="NAME|PATH", default=default, help=messages.ARG_HELP_COURSE)
    parser.add_argument("--debug", action="store_true", default=default, help=messages.ARG_HELP_DEBUG)


def _choose_course(course: str | None) -> None:
    """Activate `--course`, and pass it on to verification children through `TINYTORCH_COURSE`."""
    if course is None:
        return
    from ..core import courses, registry

    os.environ[courses.ENV_VAR] = str(registry.use_course(courses.choose_course(course)).source)


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The CLI's parser; pass tito's `milestones` subparser to mount every command under it.

    Only the chosen command's parser is made (see `CommandsAction`), so a start pays for one command.
    """
    if parser is None:
        parser = CommandLineParser(prog=PROG, description=messages.CLI_DESCRIPTION, epilog=messages.CLI_EPILOG)
    _global_options(parser, None)
    commands = parser.add_subparsers(dest=COMMAND_DEST, metavar="COMMAND", action=CommandsAction)
    parser.set_defaults(**{PARSERS_DEST: Parsers(parser, commands)})
    return parser


def _parsers_of(parser: argparse.ArgumentParser) -> Parsers:
    return parser.parse_args([]).milestones_parsers


def _with_defaults(args: argparse.Namespace, name: str) -> argparse.Namespace:
    """`args` plus the defaults of command `name`'s own arguments (when no command was given)."""
    parser = argparse.ArgumentParser(add_help=False)
    COMMANDS[name].configure(parser)
    return argparse.Namespace(**{**vars(parser.parse_args([])), **vars(args)})


def _console() -> Any:
    from ..core.console_render import new_console

    return new_console()


def _terminal_status(progress_file: str | None) -> dict[str, Any]:
    """The core's `status()`, its what's-next line naming the terminal command."""
    from ..core.registry import get_milestone
    from ..core.tracker import MilestoneTracker

    status = MilestoneTracker(progress_file).status()
    upcoming = status["next"]
    if upcoming is not None:
        milestone = get_milestone(upcoming["id"])
        status["next_text"] = messages.next_step(milestone, upcoming["missing"], upcoming["status"], where=messages.TERMINAL)
    return status


def _show_view(kind: str, progress_file: str | None) -> None:
    status = _terminal_status(progress_file)
    if kind == "status":
        from .views.kinds import STATUS
        from .views.text import view_text

        print(view_text(STATUS, status))
        return
    from ..core import console_render

    show = console_render.print_progress if kind == "progress" else console_render.print_unlocked_tests
    show(_console(), status)


def _show_unlocks(milestone_ids: Sequence[str]) -> None:
    if milestone_ids:
        from ..core.console_render import print_unlock_panels
        from ..core.registry import get_milestone

        print_unlock_panels(_console(), [get_milestone(milestone_id) for milestone_id in milestone_ids],
                            where=messages.TERMINAL)


def show(session: TerminalSession, result: Any) -> int:
    """Print a handler's result in the terminal; return the exit code."""
    if isinstance(result, View):
        _show_view(result.kind, session.progress_file)
    elif isinstance(result, JsonDocument):
        import json

        print(json.dumps(result.data, indent=2, ensure_ascii=False))
    elif isinstance(result, ModulesRecorded):
        for record in result.records:
            print(messages.module_recorded(record.module_name, record.newly_unlocked), flush=True)
            _show_unlocks(record.newly_unlocked)
    elif isinstance(result, NotebookExported):
        after = result.result.after_export
        print(result.result.summary)
        print(messages.module_recorded(after.module_name, after.newly_unlocked), flush=True)
        _show_unlocks(after.newly_unlocked)
    elif isinstance(result, ClassroomCommand):
        from . import classroom

        return {"class": classroom.class_cli, "grade": classroom.grade_cli}[result.name](result.args)
    elif isinstance(result, MilestoneInfo):
        from .course_views import info_table

        _console().print(info_table(result.info))
    elif isinstance(result, str):
        print(result)
    elif result is not None:  # a verification's result card
        print()
        print(result)
        return EXIT_OK if result.passed else EXIT_FAILED
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Carry out parsed arguments (tito calls this after parsing with its mounted parser); returns the exit code."""
    name = getattr(args, COMMAND_DEST, None) or DEFAULT_COMMAND
    if getattr(args, COMMAND_DEST, None) is None:
        args = _with_defaults(args, name)
    session = TerminalSession(getattr(args, "progress_file", None), getattr(args, PARSERS_DEST, None))
    try:
        _choose_course(getattr(args, "course", None))
        return show(session, COMMANDS[name].handler(session, args))
    except MilestoneError as error:
        print(messages.cli_error(error), file=sys.stderr)
        return EXIT_USAGE
    except VerificationInterrupted as stop:
        print(stop, flush=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as error:
        if getattr(args, "debug", False):
            import traceback

            traceback.print_exc()
        print(messages.unexpected_error_cli(error), file=sys.stderr)
        return EXIT_UNEXPECTED


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `tinytorch-milestones` and `python -m tinytorch_milestones`."""
    if isinstance(sys.stdout, io.TextIOWrapper):  # an output that cannot show a character (an ASCII-only
        sys.stdout.reconfigure(errors="replace")  # locale, PYTHONIOENCODING=ascii) gets "?", not a failed command
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
