"""Grading: re-verify every (submission, milestone) and set it beside what the submission claims.

Each cell runs through a `concurrent.futures.Executor` (a local process pool, or Dask's) in its own
limited child process (`grading_cell`). Cells whose package and verification are unchanged come
from the grading cache; byte-identical packages in one run share one verification. Ctrl-C stops the running cells, keeps (and caches) what finished, and marks
the rest not run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core import registry
from ...core.errors import MilestoneError
from . import messages
from .class_view import ClassRow, read_rows
from .executors import dask_address, open_executor
from .grading_cache import GradingCache, cell_key, default_cache_path, package_hash, verification_hash
from .grading_cell import CellOutcome, CellTask, run_cell
from .limits import DEFAULT_MEMORY_LIMIT_BYTES, DEFAULT_TIMEOUT_S, MAX_MEMORY_BYTES, MAX_TIMEOUT_S, MIN_MEMORY_BYTES
from .roster import expanded, progress_file_in


@dataclass(frozen=True)
class CellResult:
    """One milestone of one submission: `claimed` (its progress file says completed), `verified`
    (True / False, None when not run) and the one-line `reason` when not verified."""

    claimed: bool
    verified: bool | None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"claimed": self.claimed, "verified": self.verified, "reason": self.reason}

    @property
    def disagrees(self) -> bool:
        """Claimed completed, but the student's code did not verify."""
        return self.claimed and self.verified is False


@dataclass
class GradeRow:
    """One submission: who, where, its progress file's problem (None when fine), and each milestone."""

    student: str
    path: str
    problem: str | None
    milestones: dict[str, CellResult] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The row as `grade --json` prints it."""
        return {"student": self.student, "path": self.path, "problem": self.problem,
                "milestones": {milestone_id: cell.as_json() for milestone_id, cell in self.milestones.items()}}


@dataclass(frozen=True)
class GradingProgress:
    """Counts for a progress bar: students and cells done of all, cells not verified, cells from cache."""

    students_done: int
    students_total: int
    cells_done: int
    cells_total: int
    failures: int
    cached: int


@dataclass(frozen=True)
class GradeReport:
    """Every submission's row, in the order given, and how the grading went."""

    rows: list[GradeRow]
    milestone_ids: list[str]
    ran: int
    cached: int
    interrupted: bool
    cache_path: Path

    @property
    def failures(self) -> int:
        return sum(cell.verified is False for row in self.rows for cell in row.milestones.values())

    @property
    def disagreements(self) -> int:
        return sum(cell.disagrees for row in self.rows for cell in row.milestones.values())

    def summary(self) -> str:
        cells = sum(len(row.milestones) for row in self.rows)
        return messages.grading_summary(cells, self.ran, self.cached, self.failures, self.disagreements)


def submission_folders(arguments: Sequence[str]) -> list[Path]:
    """The submission folders the arguments name (folders or globs), absolute, each once.

    Raises `MilestoneError` for a path that names nothing or is not a folder.
    """
    folders: dict[Path, None] = {}
    for argument in arguments:
        for path in expanded(argument):
            if not path.is_dir():
                raise MilestoneError(messages.submission_not_found(path))
            folders.setdefault(path.absolute(), None)
    return list(folders)


def checked_milestones(milestone_ids: Sequence[str] | None) -> list[str]:
    """The milestones to grade (all by default), in course order; unknown ids raise `MilestoneError`."""
    valid = registry.milestone_ids()
    if not milestone_ids:
        return valid
    unknown = [value for value in milestone_ids if value not in valid]
    if unknown:
        raise MilestoneError(messages.unknown_milestones(unknown, valid))
    return [milestone_id for milestone_id in valid if milestone_id in milestone_ids]


def checked_cache_path(cache: str | os.PathLike[str] | None, submissions: list[Path]) -> Path:
    """The cache file to use; one inside a submission raises `MilestoneError` (never write there)."""
    path = Path(cache).expanduser().absolute() if cache is not None else default_cache_path(submissions)
    if path.exists() and not path.is_file():
        raise MilestoneError(messages.cache_not_a_file(path))
    resolved = path.resolve()
    for submission in submissions:
        if submission.resolve() in resolved.parents:
            raise MilestoneError(messages.cache_inside_submission(path, submission))
    return path


def _claims(submissions: list[Path]) -> list[ClassRow | None]:
    """Each submission's progress file read as a class row (read-only), None when it has none."""
    files = [progress_file_in(submission) for submission in submissions]
    present = [(index, file) for index, file in enumerate(files) if file is not None]
    rows = read_rows([file for _, file in present], [submissions[index].name for index, _ in present])
    found: list[ClassRow | None] = [None] * len(submissions)
    for (index, _), row in zip(present, rows):
        found[index] = row
    return found


class _Tally:
    """Cells finished so far, for the progress callback."""

    def __init__(self, rows: list[GradeRow], cells_per_row: int, on_progress: Callable[[GradingProgress], None] | None) -> None:
        self._rows = rows
        self._cells_per_row = cells_per_row
        self._on_progress = on_progress
        self.cached = 0
        self.ran = 0

    def report(self) -> None:
        if self._on_progress is None:
            return
        done = [len(row.milestones) for row in self._rows]
        self._on_progress(GradingProgress(
            students_done=sum(count == self._cells_per_row for count in done), students_total=len(self._rows),
            cells_done=sum(done), cells_total=len(self._rows) * self._cells_per_row,
            failures=sum(cell.verified is False for row in self._rows for cell in row.milestones.values()),
            cached=self.cached))


def grade(
    submissions: Sequence[str],
    *,
    milestones: Sequence[str] | None = None,
    jobs: int | None = None,
    executor: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES,
    cache: str | os.PathLike[str] | None = None,
    on_progress: Callable[[GradingProgress], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> GradeReport:
    """Grade `submissions` (folders or globs): each selected milestone verified in its own child process.

    - `jobs` local worker processes (default: the CPU count), or `executor="dask://HOST:PORT"`.
    - `timeout_s` seconds and `memory_limit_bytes` of address space per verification.
    - A milestone locked in a submission's (undamaged) progress file is not run (verified None); a
      submission without `tinytorch/` fails every milestone without running.
    - The cache file (`cache`, default beside the submissions, never inside one) skips unchanged cells.
    - `on_progress` is called with counts after every cell; `warn` gets one-line warnings.
    - Raises `MilestoneError` for bad arguments; Ctrl-C returns a report with `interrupted` set.
    """
    folders = submission_folders(submissions)
    milestone_ids = checked_milestones(milestones)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise MilestoneError(messages.bad_jobs(jobs))
    if (isinstance(memory_limit_bytes, bool) or not isinstance(memory_limit_bytes, int)
            or not MIN_MEMORY_BYTES <= memory_limit_bytes <= MAX_MEMORY_BYTES):
        raise MilestoneError(messages.bad_memory(memory_limit_bytes, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES))
    if executor is not None:
        dask_address(executor)
    from ..verify.runner import checked_timeout

    timeout_s = checked_timeout(timeout_s) or DEFAULT_TIMEOUT_S
    if timeout_s > MAX_TIMEOUT_S:
        raise MilestoneError(messages.timeout_too_long(timeout_s, MAX_TIMEOUT_S))
    cache_path = checked_cache_path(cache, folders)
    grading_cache = GradingCache(cache_path, warn or (lambda line: print(line, file=sys.stderr)))
    verifications = {milestone_id: verification_hash(milestone_id, timeout_s, memory_limit_bytes) for milestone_id in milestone_ids}

    claims = _claims(folders)
    rows = [GradeRow(folder.name, str(folder), claim.problem if claim else None) for folder, claim in zip(folders, claims)]
    tally = _Tally(rows, len(milestone_ids), on_progress)
    tasks: list[tuple[GradeRow, CellTask, bool]] = []
    for folder, row, claim in zip(folders, rows, claims):
        package = package_hash(folder)
        for milestone_id in milestone_ids:
            claimed = claim is not None and claim.milestones.get(milestone_id) == "completed"
            if claim is not None and claim.problem is None and claim.milestones.get(milestone_id) == "locked":
                requires = registry.get_milestone(milestone_id).requires
                missing = [module for module in requires if module not in claim.completed_modules]
                row.milestones[milestone_id] = CellResult(claimed, None, messages.not_run_locked(missing))
            elif package is None:
                row.milestones[milestone_id] = CellResult(claimed, False, messages.NO_PACKAGE)
            else:
                key = cell_key(package, verifications[milestone_id])
                hit = grading_cache.get(key)
                if hit is not None:
                    row.milestones[milestone_id] = CellResult(claimed, hit["verified"], hit.get("reason"))
                    tally.cached += 1
                else:
                    task = CellTask(row.student, str(folder), milestone_id, timeout_s, memory_limit_bytes, key)
                    tasks.append((row, task, claimed))
    interrupted = _run_tasks(tasks, jobs, executor, grading_cache, tally)
    order = {milestone_id: index for index, milestone_id in enumerate(milestone_ids)}
    for row in rows:
        row.milestones = dict(sorted(row.milestones.items(), key=lambda item: order[item[0]]))
    return GradeReport(rows, milestone_ids, tally.ran, tally.cached, interrupted, cache_path)


def _run_tasks(tasks: list[tuple[GradeRow, CellTask, bool]], jobs: int, executor: str | None,
               grading_cache: GradingCache, tally: _Tally) -> bool:
    """Run the cells, each distinct key once (byte-identical packages share one verification); True
    when Ctrl-C stopped the grading (the cells not finished are marked not run)."""
    if not tasks:
        tally.report()
        return False
    groups: dict[str, list[tuple[GradeRow, CellTask, bool]]] = {}
    for entry in tasks:
        groups.setdefault(entry[1].key, []).append(entry)
    pending: dict[Future[CellOutcome], list[tuple[GradeRow, CellTask, bool]]] = {}
    with open_executor(executor, jobs) as opened:
        tally.report()
        try:
            for group in groups.values():
                pending[opened.executor.submit(run_cell, group[0][1])] = group
            for future in as_completed(list(pending)):
                group = pending.pop(future)
                verified, reason = _finished(future, group[0][1], grading_cache)
                for row, task, claimed in group:
                    row.milestones[task.milestone_id] = CellResult(claimed, verified, reason)
                tally.ran += len(group)
                tally.report()
        except KeyboardInterrupt:
            for future in pending:
                future.cancel()
            opened.stop_running()
            for group in pending.values():
                for row, task, claimed in group:
                    row.milestones[task.milestone_id] = CellResult(claimed, None, messages.NOT_RUN_INTERRUPTED)
            tally.report()
            return True
    return False


def _finished(future: Future[CellOutcome], task: CellTask, grading_cache: GradingCache) -> tuple[bool | None, str | None]:
    """(verified, reason) of a finished future; a finished verification is cached."""
    try:
        outcome = future.result()
    except CancelledError:
        return None, messages.NOT_RUN_CANCELLED
    except Exception as error:  # the executor lost the worker (e.g. a Dask worker died): not the student's verdict
        return None, messages.executor_failed(error)
    if outcome.outcome is not None:
        grading_cache.put(task.key, outcome.verified, outcome.reason, outcome.outcome)
    return outcome.verified, outcome.reason
