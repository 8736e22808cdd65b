"""The `run` subcommand, for the core CLI (and tito) to mount: `tinytorch-milestones run MILESTONE`.

Exit codes: 0 passed, 1 the verification did not pass, 2 bad input or a locked milestone
(raised as `MilestoneError` for the CLI to print), 130 interrupted.
"""

from __future__ import annotations

import argparse

from ...core import messages
from . import messages as verify_messages
from ...core.project import PROJECT_MARKERS

EXIT_PASSED, EXIT_NOT_PASSED, EXIT_INTERRUPTED = 0, 1, 130


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `run`'s arguments to `parser`."""
    from .runner import DEFAULT_TIMEOUT_S

    parser.add_argument("milestone", metavar="MILESTONE", help=verify_messages.ARG_HELP_RUN_MILESTONE)
    parser.add_argument("--force", action="store_true", help=messages.ARG_HELP_FORCE)
    parser.add_argument("--in-kernel", action="store_true", help=verify_messages.ARG_HELP_RUN_IN_KERNEL)
    parser.add_argument("--project-dir", metavar="PATH", default=None,
                        help=verify_messages.arg_help_run_project_dir(PROJECT_MARKERS))
    parser.add_argument("--timeout", metavar="SECONDS", type=float, default=DEFAULT_TIMEOUT_S,
                        help=verify_messages.arg_help_run_timeout(DEFAULT_TIMEOUT_S))


def run_command(args: argparse.Namespace) -> int:
    """Run the verification with live output, then print its result card; returns the exit code."""
    from .runner import run_verification

    try:
        result = run_verification(
            args.milestone,
            force=args.force,
            in_kernel=args.in_kernel,
            project_dir=args.project_dir,
            timeout=args.timeout,
            on_output=lambda line: print(line, flush=True),
            progress_file=getattr(args, "progress_file", None),
        )
    except KeyboardInterrupt:
        print(messages.VERIFY_INTERRUPTED, flush=True)
        return EXIT_INTERRUPTED
    print()
    print(result)
    return EXIT_PASSED if result.passed else EXIT_NOT_PASSED
