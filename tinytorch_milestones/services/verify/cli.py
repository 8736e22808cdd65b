"""The `run` subcommand, for the core CLI (and tito) to mount: `tinytorch-milestones run MILESTONE`.

Exit codes: 0 passed, 1 the verification did not pass, 2 bad input or a locked milestone
(raised as `MilestoneError` for the CLI to print), 130 interrupted.
"""

from __future__ import annotations

import argparse

from . import texts

EXIT_PASSED, EXIT_NOT_PASSED, EXIT_INTERRUPTED = 0, 1, 130
RUN_HELP = "verify that a milestone's network really learns, with your own tinytorch"


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `run`'s arguments to `parser`."""
    from .runner import DEFAULT_TIMEOUT_S

    parser.add_argument("milestone", metavar="MILESTONE", help="milestone id, e.g. perceptron")
    parser.add_argument("--force", action="store_true", help="run even if the milestone is still locked")
    parser.add_argument("--in-kernel", action="store_true",
                        help="run pytest inside this process instead of a fresh child process")
    parser.add_argument("--project-dir", metavar="PATH", default=None,
                        help="folder containing your exported tinytorch/ (default: the nearest from here up)")
    parser.add_argument("--timeout", metavar="SECONDS", type=float, default=DEFAULT_TIMEOUT_S,
                        help=f"stop a run that takes longer (default: {DEFAULT_TIMEOUT_S:g})")


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
        print(texts.INTERRUPTED, flush=True)
        return EXIT_INTERRUPTED
    print()
    print(result)
    return EXIT_PASSED if result.passed else EXIT_NOT_PASSED
