"""The progress file: where it lives, how it is read, and how it is changed safely.

Every change happens under a cross-process `filelock` and lands by an atomic replace, so
concurrent kernels, the CLI and tito lose nothing and a reader never sees half a file. A file that
cannot be read as progress is kept byte for byte beside the original, and the user is told.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from . import messages
from .atomic_file import TEMP_SUFFIX, temp_prefix, write_atomically
from .errors import ProgressFileError

SCHEMA_VERSION = 2
LIST_KEYS = ("completed_modules", "unlocked_milestones", "completed_milestones")
TIMESTAMP_KEYS = ("modules", "unlocked", "completed")
LOCK_TIMEOUT_SECONDS = 30.0

T = TypeVar("T")

_reported_problems: set[tuple[Path, str]] = set()


def default_progress_path() -> Path:
    """`$TINYTORCH_HOME/progress.json`, else `~/.tinytorch/progress.json` (always absolute)."""
    home = os.environ.get("TINYTORCH_HOME")
    folder = Path(home).expanduser() if home else Path.home() / ".tinytorch"
    return folder.absolute() / "progress.json"


def resolve_progress_path(progress_file: str | os.PathLike[str] | None = None) -> Path:
    """The progress file to use: the one given, else the default; absolute, so a later chdir changes nothing."""
    return Path(progress_file).expanduser().absolute() if progress_file is not None else default_progress_path()


def now_iso() -> str:
    """The current time as an ISO 8601 string in UTC, second precision."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def empty_state() -> dict[str, Any]:
    """A progress document with nothing done yet."""
    return {
        "completed_modules": [],
        "unlocked_milestones": [],
        "completed_milestones": [],
        "schema_version": SCHEMA_VERSION,
        "timestamps": {key: {} for key in TIMESTAMP_KEYS},
        "verifications": {},
    }


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())


def _is_attempt_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(attempts, list) and all(isinstance(attempt, dict) for attempt in attempts)
        for attempts in value.values()
    )


def _conformed(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """`raw` shaped into a progress document, and what had to be dropped from it (empty when nothing).

    Each field is checked on its own, so one bad field never costs the others.
    """
    if not isinstance(raw, dict):
        return empty_state(), [messages.progress_not_an_object(type(raw).__name__)]
    state = {**empty_state(), **raw}
    problems = []
    for key in LIST_KEYS:
        if _is_names(state[key]):
            state[key] = list(dict.fromkeys(state[key]))
        else:
            problems.append(messages.progress_field_not_names(key))
            state[key] = []
    if not isinstance(state["timestamps"], dict):
        problems.append(messages.progress_field_not_object("timestamps"))
        state["timestamps"] = {}
    state["timestamps"] = dict(state["timestamps"])
    for key in TIMESTAMP_KEYS:
        if not _is_text_map(state["timestamps"].setdefault(key, {})):
            problems.append(messages.progress_field_not_object(f"timestamps.{key}"))
            state["timestamps"][key] = {}
    if not _is_attempt_map(state["verifications"]):
        problems.append(messages.progress_field_not_object("verifications"))
        state["verifications"] = {}
    state["schema_version"] = max(SCHEMA_VERSION, _int_or_zero(state.get("schema_version")))
    return state, problems


def _int_or_zero(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _parsed(data: bytes) -> tuple[Any, list[str]]:
    try:
        return json.loads(data.decode("utf-8")), []
    except UnicodeDecodeError as error:
        return None, [messages.progress_not_utf8(error.start)]
    except json.JSONDecodeError as error:
        return None, [messages.progress_invalid_json(error.lineno, error.colno, error.msg)]


class ProgressStore:
    """Reads and changes one progress file; safe to use from many processes at once.

    `problem` is None, or one line saying why the file as last read could not be used whole.
    """

    def __init__(self, progress_file: str | os.PathLike[str] | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.path = resolve_progress_path(progress_file)
        self.problem: str | None = None
        self._notify = notify or _print_to_stderr

    def load(self) -> dict[str, Any]:
        """The current progress; a missing file is empty progress, a damaged one is kept and reported."""
        self.problem = None
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return empty_state()
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unreadable(self.path, error.strerror or str(error))) from None
        raw, problems = _parsed(data)
        state, problems = (empty_state(), problems) if problems else _conformed(raw)
        if problems:
            self._keep_damaged_bytes(data, "; ".join(problems))
        return state

    def update(self, change: Callable[[dict[str, Any]], T]) -> T:
        """Apply `change` to the freshest progress under the lock and save it if it changed.

        `change` mutates the document it is given and returns what the caller wants back. When a
        lock-free read shows that `change` would change nothing, its answer stands without locking.
        """
        if self.path.exists():
            state = self.load()
            before = copy.deepcopy(state)
            outcome = change(state)
            if state == before and self.problem is None:
                return outcome
        with self._locked():
            state = self.load()
            before = copy.deepcopy(state)
            outcome = change(state)
            if state != before or self.problem is not None or not self.path.exists():
                self._write(state)
            return outcome

    def reset(self) -> Path | None:
        """Start over with empty progress; the old file's bytes are kept in a backup whose path is returned."""
        with self._locked():
            backup = None
            if self.path.exists():
                data = self._read_bytes()
                backup = self._backup_path("reset", data)
                self._write_file(backup, data)
            self._write(empty_state())
            return backup

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the cross-process lock beside the file; a lock held too long elsewhere is a clear error."""
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unwritable(self.path, error.strerror or str(error))) from None
        try:
            with FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS):
                yield
        except Timeout:
            raise ProgressFileError(messages.progress_file_locked(self.path, LOCK_TIMEOUT_SECONDS)) from None

    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unreadable(self.path, error.strerror or str(error))) from None

    def _write(self, state: dict[str, Any]) -> None:
        """Save `state` (only ever called under the lock, so leftover temp files are from dead writers)."""
        for leftover in self.path.parent.glob(f"{temp_prefix(self.path)}*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
        self._write_file(self.path, json.dumps(state, indent=2, ensure_ascii=False) + "\n")

    def _write_file(self, path: Path, data: bytes | str) -> None:
        try:
            write_atomically(path, data)
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unwritable(path, error.strerror or str(error))) from None

    def _backup_path(self, kind: str, data: bytes) -> Path:
        """`progress.json.<kind>-<time>-<hash>`: the same bytes always map to the same backup."""
        digest = hashlib.sha256(data).hexdigest()[:12]
        existing = sorted(self.path.parent.glob(f"{self.path.name}.{kind}-*-{digest}"))
        if existing:
            return existing[0]
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        return self.path.with_name(f"{self.path.name}.{kind}-{stamp}-{digest}")

    def _keep_damaged_bytes(self, data: bytes, problem: str) -> None:
        """Keep the damaged bytes beside the file (once per content) and say so once per process."""
        backup = self._backup_path("corrupt", data)
        if not backup.exists():
            try:
                write_atomically(backup, data)
            except OSError as error:
                raise ProgressFileError(messages.progress_file_unkept(self.path, problem, error.strerror or str(error))) from None
        self.problem = messages.corrupt_progress_file(self.path, problem, backup)
        if (self.path, backup.name) not in _reported_problems:
            _reported_problems.add((self.path, backup.name))
            self._notify(self.problem)


def _print_to_stderr(text: str) -> None:
    print(text, file=sys.stderr)
