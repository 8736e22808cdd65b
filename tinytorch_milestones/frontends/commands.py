"""Every command, defined once: its name, arguments, help and handler. The CLI and `%milestones` are built from it.

A handler takes the `Session` (what the frontend offers: the progress file, the kernel's namespace, how
to ask a question, where live output goes) and the parsed arguments, and returns data or a renderable
(one of the result types below, a `VerificationResult`, a string, or None); the frontend shows it.
Services are imported inside handlers, so building a parser imports none of them. The records are
named tuples (`collections.namedtuple`, as the core's `Milestone`) rather than dataclasses or
`typing.NamedTuple`: every command line start defines them, a dataclass costs about ten times more to
define (each generated method is compiled apart), and `typing` costs a start about 4 ms that
`complete` and `status` otherwise never pay.

Adding a command is one `Command(...)` entry in `COMMANDS` plus its help line in `core.messages.COMMAND_HELP`:

    Command("class", _classroom("class"), configure_more=_configure_classroom("class")),
    Command("grade", _classroom("grade"), configure_more=_configure_classroom("grade")),
    Command("info", _info, (arg("milestone", completes=MILESTONE, metavar="ID", help=messages.ARG_HELP_MILESTONE),))

An option every CLI command takes (`--progress-file`, `--debug`) is added in `cli._global_options`.
"""

from __future__ import annotations

import argparse
from collections import namedtuple

from ..core import messages
from ..core.errors import MilestoneError

TYPE_CHECKING = False  # typing costs a fresh process about 4 ms; annotations are strings here
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, Protocol

    class Session(Protocol):
        """What a frontend offers a handler (`cli.TerminalSession`, `ipython.commands.KernelSession`); for type checkers only."""

        progress_file: str | None
        user_ns: Mapping[str, Any] | None  # the kernel's namespace, None outside IPython

        def confirm(self, prompt: str) -> bool:
            """The user's yes to `prompt`; raises `MilestoneError` when there is no way to ask."""

        def on_output(self, line: str) -> None:
            """Show one line of live output (a verification's log) as it appears."""

        def help_text(self, command: str | None) -> str:
            """This frontend's overview of commands (None), or one command's help."""


# What an argument's value is, for Tab completion.
MODULE, MILESTONE, COMMAND, PATH = "module", "milestone", "command", "path"
DEFAULT_COMMAND = "progress"


class Arg(namedtuple("Arg", ("names", "options", "completes"), defaults=(None,))):
    """One argument: `names` (tuple of str) and `options` (a mapping) as `argparse.ArgumentParser.add_argument`
    takes them; `completes` says what Tab completes for its value (MODULE, MILESTONE, COMMAND, PATH, or None).
    """

    __slots__ = ()

    @property
    def is_option(self) -> bool:
        return self.names[0].startswith("-")


def arg(*names: str, completes: str | None = None, **options: Any) -> Arg:
    """An `Arg`, written as `add_argument` is called: `arg("--to", completes=PATH, metavar="DIR", help=...)`."""
    return Arg(names, options, completes)


class Command(namedtuple("Command", ("name", "handler", "arguments", "configure_more"), defaults=((), None))):
    """One command: its `name`, the `handler` that carries it out (`(Session, argparse.Namespace) -> result`),
    its `arguments` (a tuple of `Arg`, default none) and `configure_more` (None, or a function adding to an
    `argparse.ArgumentParser` what `Arg` can't say, such as argument groups).
    """

    __slots__ = ()

    @property
    def help(self) -> str:
        """Its one-line help, from `core.messages.COMMAND_HELP`."""
        return messages.COMMAND_HELP[self.name]

    def configure(self, parser: argparse.ArgumentParser) -> None:
        """Add this command's arguments to `parser` (the CLI's subparser or the magic's parser)."""
        for argument in self.arguments:
            parser.add_argument(*argument.names, **argument.options)
        if self.configure_more is not None:
            self.configure_more(parser)

    def positionals(self) -> list[Arg]:
        return [argument for argument in self.arguments if not argument.is_option]

    def option_arg(self, option: str) -> Arg | None:
        """The option argument called `option` ("--module"), or None."""
        return next((argument for argument in self.arguments if option in argument.names), None)


# --- what handlers return ------------------------------------------------------------------------

class View(namedtuple("View", ("kind",))):
    """A view of the progress to show: `kind` is "progress", "list" or "status"."""

    __slots__ = ()


class JsonDocument(namedtuple("JsonDocument", ("data",))):
    """`data` to print as JSON (the core's `status()`)."""

    __slots__ = ()


class Recorded(namedtuple("Recorded", ("module_name", "newly_unlocked"))):
    """A module recorded as complete (`module_name`), and the milestones that unlocked with it (`newly_unlocked`,
    a tuple of ids)."""

    __slots__ = ()


class ModulesRecorded(namedtuple("ModulesRecorded", ("records",))):
    """`complete`'s answer: `records`, a tuple of `Recorded`, each module once, in the order given."""

    __slots__ = ()


class NotebookExported(namedtuple("NotebookExported", ("result", "found_notebook"))):
    """`export`'s answer: `result`, the export service's `ExportResult`, and `found_notebook`, True when the
    notebook was not given but found."""

    __slots__ = ()


class MilestoneInfo(namedtuple("MilestoneInfo", ("info",))):
    """`info`'s answer: `info`, the core's `MilestoneTracker.milestone_info` (a dict) for one milestone."""

    __slots__ = ()


class ClassroomCommand(namedtuple("ClassroomCommand", ("name", "args"))):
    """`class` or `grade` (`name`) with its parsed `args`: `frontends.classroom` shows it (table, chart, progress bar)."""

    __slots__ = ()


class VerificationInterrupted(Exception):
    """Ctrl+C or the stop button ended a verification; nothing was recorded."""


# --- handlers ---------------------------------------------------------------------------------

def _status(session: Session) -> dict[str, Any]:
    from ..core.tracker import MilestoneTracker

    return MilestoneTracker(session.progress_file).status()


def _view(kind: str) -> Callable[[Session, argparse.Namespace], View | JsonDocument]:
    def handler(session: Session, args: argparse.Namespace) -> View | JsonDocument:
        return JsonDocument(_status(session)) if args.json else View(kind)

    return handler


def _complete(session: Session, args: argparse.Namespace) -> ModulesRecorded:
    from ..core.registry import normalize_module_name
    from ..core.tracker import MilestoneTracker

    names = list(dict.fromkeys(normalize_module_name(module) for module in args.modules))
    tracker = MilestoneTracker(session.progress_file)
    return ModulesRecorded(tuple(
        Recorded(name, tuple(tracker.mark_module_complete(name)["newly_unlocked"])) for name in names
    ))


def _run(session: Session, args: argparse.Namespace) -> Any:
    from ..services.verify import run_verification

    timeout = {} if args.timeout is None else {"timeout": args.timeout}
    try:
        return run_verification(args.milestone, force=args.force, in_kernel=args.in_kernel,
                                project_dir=args.project_dir, on_output=session.on_output,
                                progress_file=session.progress_file, **timeout)
    except KeyboardInterrupt:
        raise VerificationInterrupted(messages.VERIFY_INTERRUPTED) from None


def _export(session: Session, args: argparse.Namespace) -> NotebookExported:
    from ..services.export import export_and_record, find_current_notebook

    notebook = args.notebook if args.notebook is not None else find_current_notebook(user_ns=session.user_ns)
    result = export_and_record(notebook, package_root=args.package_root, module=args.module,
                               progress_file=session.progress_file)
    return NotebookExported(result, found_notebook=args.notebook is None)


def _reset(session: Session, args: argparse.Namespace) -> str:
    from ..core.tracker import MilestoneTracker

    tracker = MilestoneTracker(session.progress_file)
    if not args.yes and not session.confirm(messages.RESET_PROMPT.format(path=tracker.progress_file)):
        return messages.RESET_CANCELLED
    return messages.progress_reset(tracker.progress_file, tracker.reset())


def _info(session: Session, args: argparse.Namespace) -> MilestoneInfo:
    from ..core.tracker import MilestoneTracker

    return MilestoneInfo(MilestoneTracker(session.progress_file).milestone_info(args.milestone))


def _import_tito(session: Session, args: argparse.Namespace) -> str:
    """Merge tito's files; with no course chosen anywhere, tito's own course is the one meant."""
    from pathlib import Path

    from ..core import courses, registry
    from ..core.tracker import MilestoneTracker
    from ..services.tito import import_tito

    choice = courses.choose_course(None, start=Path(args.project).absolute() if args.project else None)
    if choice.is_default:
        registry.use_course(courses.CourseChoice(courses.TITO_COURSE, "import-tito", choice.base))
    report = import_tito(args.project, apply=args.apply, tracker=MilestoneTracker(session.progress_file))
    return "\n".join(report.lines())


def _classroom(name: str) -> Callable[[Session, argparse.Namespace], ClassroomCommand]:
    def handler(session: Session, args: argparse.Namespace) -> ClassroomCommand:
        return ClassroomCommand(name, args)

    return handler


def _configure_classroom(name: str) -> Callable[[argparse.ArgumentParser], None]:
    def configure(parser: argparse.ArgumentParser) -> None:
        from . import classroom

        {"class": classroom.configure_class, "grade": classroom.configure_grade}[name](parser)

    return configure


def _help(session: Session, args: argparse.Namespace) -> str:
    return session.help_text(None if args.help_topic is None else find_command(args.help_topic).name)


_JSON = arg("--json", action="store_true", help=messages.ARG_HELP_JSON)

COMMANDS: dict[str, Command] = {command.name: command for command in (
    Command("progress", _view("progress"), (_JSON,)),
    Command("list", _view("list"), (_JSON,)),
    Command("status", _view("status"), (_JSON,)),
    Command("complete", _complete, (
        arg("modules", completes=MODULE, nargs="+", metavar="MODULE", help=messages.ARG_HELP_MODULE),
    )),
    Command("run", _run, (
        arg("milestone", completes=MILESTONE, metavar="ID", help=messages.ARG_HELP_MILESTONE),
        arg("--force", action="store_true", help=messages.ARG_HELP_FORCE),
        arg("--in-kernel", action="store_true", help=messages.ARG_HELP_IN_KERNEL),
        arg("--timeout", type=float, metavar="S", help=messages.ARG_HELP_TIMEOUT),
        arg("--project-dir", completes=PATH, metavar="PATH", help=messages.ARG_HELP_PROJECT_DIR),
    )),
    Command("export", _export, (
        arg("notebook", completes=PATH, nargs="?", metavar="NOTEBOOK", help=messages.ARG_HELP_NOTEBOOK),
        arg("--to", completes=PATH, dest="package_root", metavar="PACKAGE_ROOT", help=messages.ARG_HELP_PACKAGE_ROOT),
        arg("--module", completes=MODULE, metavar="NAME", help=messages.ARG_HELP_EXPORT_MODULE),
    )),
    Command("reset", _reset, (arg("--yes", "-y", action="store_true", help=messages.ARG_HELP_YES),)),
    Command("class", _classroom("class"), configure_more=_configure_classroom("class")),
    Command("grade", _classroom("grade"), configure_more=_configure_classroom("grade")),
    Command("info", _info, (
        arg("milestone", completes=MILESTONE, metavar="ID", help=messages.ARG_HELP_MILESTONE_INFO),
    )),
    Command("import-tito", _import_tito, (
        arg("project", completes=PATH, nargs="?", metavar="PROJECT", help=messages.ARG_HELP_TITO_PROJECT),
        arg("--apply", action="store_true", help=messages.ARG_HELP_APPLY),
    )),
    Command("help", _help, (
        # not "command": tito, which mounts these commands, keeps its own command's name there
        arg("help_topic", completes=COMMAND, nargs="?", metavar="COMMAND", help=messages.ARG_HELP_COMMAND),
    )),
)}


def find_command(name: str) -> Command:
    """The command called `name`; any other name raises `MilestoneError` with the closest valid names."""
    if name in COMMANDS:
        return COMMANDS[name]
    import difflib

    close = difflib.get_close_matches(name, list(COMMANDS), n=2, cutoff=0.6)
    raise MilestoneError(messages.unknown_command(name, close, list(COMMANDS)))

