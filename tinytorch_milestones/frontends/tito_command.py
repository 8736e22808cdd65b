"""`tito milestones`: the milestones command in tito's shape (`add_arguments(parser)`, `run(args) -> int`),
printing through the rich console it is given. Logic is the core's and the verify service's."""

from __future__ import annotations

import argparse
from typing import Any

from ..core import messages
from ..core.errors import MilestoneError

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
ACTIONS = ("list", "status", "progress", "run", "info")


class MilestonesCommand:
    """tito's `milestones` command: `list`, `status [--json]`, `progress`, `run ID`, `info ID`.

    tito constructs commands with its config; `console` (a rich Console) is where everything is
    printed (tito's own, or a new one). Exit codes: 0 ok, 1 a verification did not pass, 2 bad
    input (one line), 130 interrupted.
    """

    name = "milestones"
    description = messages.TITO_COMMAND_DESCRIPTION

    def __init__(self, config: Any = None, console: Any = None) -> None:
        self.config = config
        if console is None:
            from ..core.console_render import new_console

            console = new_console()
        self.console = console

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the actions and their arguments to tito's `milestones` subparser, from the one command table."""
        from .commands import COMMANDS

        parser.add_argument("--course", metavar="NAME|PATH", default=None, help=messages.ARG_HELP_COURSE)
        parser.add_argument("--progress-file", metavar="PATH", default=None, help=messages.ARG_HELP_PROGRESS_FILE)
        actions = parser.add_subparsers(dest="milestones_action", metavar="ACTION")
        for action in ACTIONS:
            command = COMMANDS[action]
            command.configure(actions.add_parser(action, help=command.help, description=command.help))

    def run(self, args: argparse.Namespace) -> int:
        """Carry out the parsed action; a bad id or course is one line on the console and exit code 2."""
        try:
            return self._dispatch(args)
        except MilestoneError as error:
            self.console.print(messages.cli_error(error), markup=False, highlight=False, soft_wrap=True)
            return EXIT_USAGE
        except KeyboardInterrupt:
            self.console.print(messages.INTERRUPTED, markup=False, highlight=False, soft_wrap=True)
            return EXIT_INTERRUPTED

    def _dispatch(self, args: argparse.Namespace) -> int:
        from ..core import registry
        from ..core.tracker import MilestoneTracker

        if getattr(args, "course", None):
            registry.use_course(args.course)
        tracker = MilestoneTracker(getattr(args, "progress_file", None))
        action = getattr(args, "milestones_action", None) or "progress"
        if action == "progress":
            tracker.show_progress(self.console)
        elif action == "list":
            tracker.list_unlocked_tests(self.console)
        elif action == "status":
            self._status(tracker, getattr(args, "json", False))
        elif action == "info":
            from .course_views import info_table

            self.console.print(info_table(tracker.milestone_info(args.milestone)))
        else:
            return self._run(args, tracker)
        return EXIT_OK

    def _status(self, tracker: Any, as_json: bool) -> None:
        status = tracker.status()
        if as_json:
            import json

            self.console.print(json.dumps(status, indent=2, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
            return
        from .views.kinds import STATUS
        from .views.text import view_text

        self.console.print(view_text(STATUS, status), markup=False, highlight=False, soft_wrap=True)

    def _run(self, args: argparse.Namespace, tracker: Any) -> int:
        from ..services.verify.runner import run_verification

        result = run_verification(
            args.milestone, force=args.force, in_kernel=args.in_kernel, project_dir=args.project_dir,
            progress_file=tracker.progress_file, **({} if args.timeout is None else {"timeout": args.timeout}),
            on_output=lambda line: self.console.print(line, markup=False, highlight=False, soft_wrap=True),
        )
        self.console.print()
        self.console.print(str(result), markup=False, highlight=False, soft_wrap=True)
        return EXIT_OK if result.passed else 1
