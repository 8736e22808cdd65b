"""One grading cell (a student and a milestone): a verification in its own limited child process.

`run_cell` is what an executor runs (a local process-pool worker or a Dask worker). It starts this
module as a separate process (`python -I -m ...grading_cell`, in its own session, working in a
fresh temporary folder), which lowers its own address-space limit, verifies the milestone against
the submission (pytest in a grandchild that inherits the limit) and prints one JSON line. So the
student's code never runs in the grader's or the executor's process; a hang is stopped at the
timeout, a crash or a 50 MB print costs only this cell.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from ..verify.runner import verify_milestone
from . import messages

START_GRACE_S = 30.0
RESULT_PREFIX = "tinytorch-grading-result: "
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class CellTask:
    """What to verify: `milestone_id` against the submission folder `project_dir`; `key` names the
    cell in the grading cache; the limits are seconds and bytes."""

    student: str
    project_dir: str
    milestone_id: str
    timeout_s: float
    memory_limit_bytes: int
    key: str


@dataclass(frozen=True)
class CellOutcome:
    """How a cell ended: `verified` (True / False), a one-line `reason` when not verified, and the
    verification's own outcome ("passed", "failed", "error", "timeout") when it finished at all."""

    task: CellTask
    verified: bool
    reason: str | None
    outcome: str | None
    duration_s: float


def _child_pids() -> list[int]:
    """This process's children, from /proc (each verification child leads its own process group)."""
    me, found = os.getpid(), []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stream:
                    fields = stream.read().rpartition(b")")[2].split()
            except OSError:
                continue
            if len(fields) > 1 and int(fields[1]) == me:
                found.append(int(entry.name))
    return found


def _end_children_and_exit(signum: int, _frame: Any) -> None:
    """SIGTERM (the grader stopping): kill each child's whole process group at once, then exit. Found
    from /proc rather than from the runner's state, so a child that is only being started goes too."""
    if not os.path.isdir("/proc"):
        raise KeyboardInterrupt  # elsewhere the runner's own clean-up ends its child
    for pid in _child_pids():
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    os._exit(128 + signum)


def _child_main(milestone_id: str, project_dir: str, timeout_s: str, memory_limit_bytes: str) -> int:
    """The cell process: limit itself, verify, print the result line. SIGTERM ends pytest's group too."""
    import resource

    signal.signal(signal.SIGTERM, _end_children_and_exit)
    limit = int(memory_limit_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    result = verify_milestone(milestone_id, project_dir, timeout=float(timeout_s))
    print(RESULT_PREFIX + json.dumps({"outcome": result.outcome, "message": result.message}), flush=True)
    return 0


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({name: "1" for name in THREAD_VARIABLES})
    return env


def _parsed_result(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            try:
                found = json.loads(line[len(RESULT_PREFIX):])
            except ValueError:
                return None
            return found if isinstance(found, dict) else None
    return None


def run_cell(task: CellTask) -> CellOutcome:
    """Verify one cell in a separate limited process and say how it ended (never raises for the
    student's doings: a crash, a hang or garbage output is a failed cell with its reason)."""
    from ..verify.subprocess_run import stop_process_group

    start = time.monotonic()
    command = [sys.executable, "-I", "-m", __name__, task.milestone_id, task.project_dir,
               repr(task.timeout_s), str(task.memory_limit_bytes)]
    with tempfile.TemporaryDirectory(prefix="tinytorch-grade-") as folder:
        try:
            process = subprocess.Popen(command, cwd=folder, env=_child_environment(), stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       encoding="utf-8", errors="replace", start_new_session=True)
        except OSError as error:
            return CellOutcome(task, False, messages.cell_failed_to_start(error.strerror or str(error)), None, 0.0)
        global _running
        _running = process
        try:
            stdout, stderr = process.communicate(timeout=task.timeout_s + START_GRACE_S)
        except subprocess.TimeoutExpired:
            stop_process_group(process)
            process.communicate()
            return CellOutcome(task, False, messages.cell_hung(task.timeout_s + START_GRACE_S), "timeout",
                               time.monotonic() - start)
        finally:
            stop_process_group(process)
            _running = None
    duration = time.monotonic() - start
    found = _parsed_result(stdout)
    if process.returncode != 0 or found is None:
        return CellOutcome(task, False, messages.cell_crashed(process.returncode, stderr), None, duration)
    outcome = str(found.get("outcome"))
    if outcome == "passed":
        return CellOutcome(task, True, None, outcome, duration)
    message = found.get("message") if isinstance(found.get("message"), str) else None
    return CellOutcome(task, False, messages.verification_failed(outcome, message), outcome, duration)


_running: subprocess.Popen[str] | None = None


def _stop_worker(signum: int, _frame: Any) -> None:
    from ..verify.subprocess_run import stop_process_group

    if _running is not None:
        stop_process_group(_running)
    os._exit(128 + signum)


def ignore_interrupts_in_worker() -> None:
    """Process-pool worker initializer: Ctrl-C is the grader's to handle; SIGTERM (the grader
    stopping its workers) stops the running cell's process group, then ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)


if __name__ == "__main__":
    sys.exit(_child_main(*sys.argv[1:5]))
