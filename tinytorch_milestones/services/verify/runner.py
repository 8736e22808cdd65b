"""The one verification runner: `%milestones run`, the progress view's button, the CLI and tito call it.

`run_verification` refuses a locked milestone (unless forced), runs the milestone's pytest test
against the student's own exported `tinytorch`, records the attempt, and marks the milestone
completed on a pass. `verify_milestone` is the run alone: no progress file, no lock check.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable
from dataclasses import replace

from ...core import messages, registry
from . import messages as verify_messages
from ...core.errors import MilestoneError
from ...core.tracker import MilestoneTracker
from .result import VerificationResult
from .target import node_id_for, project_dir_for
from .verdict import build_result

DEFAULT_TIMEOUT_S = 600.0
SUBPROCESS_MODE = "subprocess"
IN_KERNEL_MODE = "in-kernel"


def checked_timeout(timeout: object) -> float | None:
    """None (no timeout) or a finite number of seconds above 0; anything else (nan, inf, 0, -1, "5")
    raises `MilestoneError` naming the value."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real) or not (math.isfinite(timeout) and timeout > 0):
        raise MilestoneError(verify_messages.bad_timeout(timeout))
    return float(timeout)


def verify_milestone(
    milestone_id: str,
    project_dir: str | os.PathLike[str] | None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT_S,
    on_output: Callable[[str], None] | None = None,
    memory_limit_bytes: int | None = None,
) -> VerificationResult:
    """Run `milestone_id`'s test against `project_dir`'s `tinytorch` in an isolated child; return the verdict.

    Reads and writes no progress file and checks no lock (class grading builds on this). The child
    is `python -I` from `project_dir` (None: the project folder seen from the working one), with
    only `tinytorch` imported from the project; it gets `memory_limit_bytes` of address space when
    given (an `RLIMIT_AS`, bytes); each output line goes to `on_output` as it appears (output is
    capped: `subprocess_run.MAX_OUTPUT_CHARS`); after `timeout` seconds (None: never) the run is
    stopped, and when pytest ends its whole process group is killed. Raises `MilestoneError` for an
    unknown milestone, a missing project folder or test file, a timeout that is not a finite number
    above 0, or a memory limit that is not a whole number above 0.
    """
    from .subprocess_run import run_pytest_subprocess

    milestone = registry.get_milestone(milestone_id)
    timeout = checked_timeout(timeout)
    memory_limit_bytes = checked_memory_limit(memory_limit_bytes)
    project = project_dir_for(project_dir)
    node_id = node_id_for(milestone, project)
    run = run_pytest_subprocess(node_id, project, timeout_s=timeout, on_output=on_output,
                                memory_limit_bytes=memory_limit_bytes)
    return build_result(milestone, node_id, run, SUBPROCESS_MODE, timeout)


def checked_memory_limit(limit: object) -> int | None:
    """None (no limit) or a whole number of bytes above 0; anything else raises `MilestoneError` naming the value."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit <= 0:
        raise MilestoneError(verify_messages.bad_memory_limit(limit))
    return int(limit)


def run_verification(
    milestone_id: str,
    *,
    force: bool = False,
    in_kernel: bool = False,
    project_dir: str | os.PathLike[str] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT_S,
    on_output: Callable[[str], None] | None = None,
    progress_file: str | os.PathLike[str] | None = None,
) -> VerificationResult:
    """Verify `milestone_id` and return its result card; a pass marks the milestone completed.

    The lock check, then `verify_milestone`, then the record:

    - A locked milestone raises `MilestoneError` naming the missing modules, unless `force`.
    - By default pytest runs in an isolated child (see `verify_milestone`) from `project_dir`
      (default: the project folder seen from the working one, by the rule export uses: the nearest
      folder upwards with a `tinytorch/` folder or a project marker such as `pyproject.toml` or
      `.git`, else the working folder itself); each output line goes to `on_output` (without its
      newline) as it appears; after `timeout` seconds (None: never) the run is stopped. A timeout
      that is not a finite number above 0 raises `MilestoneError`.
    - `in_kernel=True` runs `pytest.main` in this process instead (no timeout, no isolation).
    - Every finished attempt is recorded in the progress file. A KeyboardInterrupt stops the run
      and propagates; the interrupted attempt is not recorded, so progress stays unchanged.
    """
    milestone = registry.get_milestone(milestone_id)
    timeout = checked_timeout(timeout)
    tracker = MilestoneTracker(progress_file)
    if not force:
        missing = tracker.missing_modules(milestone.id)
        if missing:
            raise MilestoneError(messages.milestone_locked(milestone, missing))
    if in_kernel:
        from .in_kernel import run_pytest_in_kernel

        project = project_dir_for(project_dir)
        node_id = node_id_for(milestone, project)
        run = run_pytest_in_kernel(node_id, project, on_output=on_output)
        result = build_result(milestone, node_id, run, IN_KERNEL_MODE, None)
    else:
        result = verify_milestone(milestone.id, project_dir, timeout=timeout, on_output=on_output)
    tracker.record_verification(milestone.id, result.attempt())
    if not result.passed:
        return result
    newly_completed = tracker.mark_milestone_complete(milestone.id)
    return replace(result, newly_completed=newly_completed, completion_text=messages.completion_message(milestone))
