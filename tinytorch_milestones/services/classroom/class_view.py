"""A class's progress: many students' progress files read into one row each, never written to.

Each file is read once, without its lock (the store replaces files atomically, so one read sees
one whole version). The core's reader keeps a damaged file's bytes beside it; a class view must
write nothing into a student's folder, so the core parses a private snapshot of the bytes read.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core import registry
from ...core.store import LIST_KEYS, ProgressStore
from ...core.tracker import milestone_status
from . import messages
from .roster import progress_files, student_name

SNAPSHOT_NAME = "progress.json"
SHARED_MEMORY = "/dev/shm"
MAX_PROGRESS_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ClassRow:
    """One student: modules done, each milestone's state ("locked" / "unlocked" / "completed") and
    when it got there (ISO 8601, UTC), their last verification, and a one-line `problem` or None."""

    student: str
    path: str
    problem: str | None
    completed_modules: list[str]
    milestones: dict[str, str]
    when: dict[str, str | None] = field(default_factory=dict)
    last_verification: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        """The row as `class --json` prints it."""
        return {
            "student": self.student,
            "path": self.path,
            "problem": self.problem,
            "completed_modules": list(self.completed_modules),
            "milestones": dict(self.milestones),
            "when": dict(self.when),
            "last_verification": self.last_verification,
        }

    @property
    def completed_count(self) -> int:
        return sum(state == "completed" for state in self.milestones.values())


def read_limited(path: Path, limit: int = MAX_PROGRESS_BYTES) -> bytes:
    """The bytes of the regular file at `path`; raises ValueError (a one-line problem) for anything
    else (a FIFO or a device such as /dev/zero behind a symlink would block or never end) or for a
    file over `limit` bytes, and OSError when it cannot be opened."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ValueError(messages.NOT_A_REGULAR_FILE)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(messages.too_large(limit))
    return data


def _problem_of(data: bytes) -> str | None:
    """Why `data` is not a usable progress file (one line), or None when it is one. A UTF-8
    byte-order mark is allowed, as the core's reader allows it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return messages.not_utf8(error.start)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return messages.not_json(messages.json_error(error.msg, error.lineno, error.colno))
    except RecursionError:
        return messages.not_json(messages.JSON_TOO_DEEP)
    if not isinstance(raw, dict):
        kind = {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(type(raw), "number")
        return messages.foreign_not_object(kind)
    if not any(key in raw for key in LIST_KEYS):
        return messages.foreign_file(messages.FOREIGN_NO_KEYS)
    return None


def _last_verification(verifications: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The most recent attempt over all milestones: {"milestone", "outcome", "at"}."""
    latest = None
    for milestone_id, attempts in verifications.items():
        for attempt in attempts:
            at = attempt.get("time") if isinstance(attempt.get("time"), str) else None
            if latest is None or (at or "") >= (latest["at"] or ""):
                latest = {"milestone": milestone_id, "outcome": str(attempt.get("outcome")), "at": at}
    return latest


class ClassReader:
    """Reads progress files into `ClassRow`s, parsing each through the core's store from a snapshot
    of its bytes in `scratch` (a folder of the reader's own; each snapshot is removed after use)."""

    def __init__(self, scratch: Path) -> None:
        self._scratch = scratch
        self._milestones = registry.milestones()
        self._count = 0

    def row(self, path: Path, student: str | None = None) -> ClassRow:
        """The row of the progress file at `path` (named `student`, else from the path)."""
        name = student if student is not None else student_name(path)
        try:
            data = read_limited(path)
        except OSError as error:
            return self._row(name, path, messages.unreadable(error.strerror or str(error)), None)
        except ValueError as error:
            return self._row(name, path, str(error), None)
        problem = _problem_of(data)
        self._count += 1
        snapshot = self._scratch / f"{self._count}-{SNAPSHOT_NAME}"  # a new name: replacing a file costs more
        snapshot.write_bytes(data)
        store = ProgressStore(snapshot, notify=lambda _line: None)
        try:
            state = store.load() if problem != messages.not_json(messages.JSON_TOO_DEEP) else None
        finally:
            snapshot.unlink()
        if problem is None and store.problem is not None:
            problem = messages.DAMAGED_FIELDS
        return self._row(name, path, problem, state)

    def _row(self, student: str, path: Path, problem: str | None, state: dict[str, Any] | None) -> ClassRow:
        milestones = self._milestones
        if state is None:
            return ClassRow(student, str(path), problem, [], {m.id: "locked" for m in milestones},
                            {m.id: None for m in milestones}, None)
        states = {m.id: milestone_status(state, m) for m in milestones}
        stamps = state["timestamps"]
        when = {m.id: stamps["completed"].get(m.id) if states[m.id] == "completed" else stamps["unlocked"].get(m.id)
                for m in milestones}
        return ClassRow(student, str(path), problem, list(state["completed_modules"]), states, when,
                        _last_verification(state["verifications"]))


def _scratch_parent() -> str | None:
    """A memory-backed folder for snapshots when the system has one (Linux's /dev/shm), else the default."""
    return SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) and os.access(SHARED_MEMORY, os.W_OK) else None


def read_rows(files: Sequence[Path], names: Sequence[str] | None = None) -> list[ClassRow]:
    """One row per progress file in `files` (named by `names`, else from each path)."""
    with tempfile.TemporaryDirectory(prefix="tinytorch-class-", dir=_scratch_parent()) as scratch:
        reader = ClassReader(Path(scratch))
        return [reader.row(file, names[index] if names else None) for index, file in enumerate(files)]


def class_rows(paths: Iterable[str]) -> list[ClassRow]:
    """The class view of `paths` (progress files, folders or globs): one row per student.

    Raises `MilestoneError` for a path that names nothing; a damaged, foreign or unreadable file is
    a row whose `problem` says why, in one line. Nothing is written to any student's folder.
    """
    return read_rows(progress_files(paths))


def milestone_totals(rows: Sequence[ClassRow]) -> dict[str, int]:
    """How many students completed each milestone, in milestone order."""
    return {m.id: sum(row.milestones.get(m.id) == "completed" for row in rows) for m in registry.milestones()}


CSV_FIXED_COLUMNS = ("student", "path", "problem", "completed_modules")


def csv_records(rows: Sequence[ClassRow]) -> tuple[list[str], list[list[str]]]:
    """The header and one record per student for `class --csv`: the fixed columns, then each
    milestone's state and its time (`<id>_at`), then the last verification (milestone, outcome, time)."""
    ids = [m.id for m in registry.milestones()]
    header = [*CSV_FIXED_COLUMNS, *(column for i in ids for column in (i, f"{i}_at")),
              "last_verification_milestone", "last_verification_outcome", "last_verification_at"]
    records = []
    for row in rows:
        last = row.last_verification or {}
        records.append([
            row.student, row.path, row.problem or "", " ".join(row.completed_modules),
            *(value for i in ids for value in (row.milestones.get(i, ""), row.when.get(i) or "")),
            last.get("milestone") or "", last.get("outcome") or "", last.get("at") or "",
        ])
    return header, records
