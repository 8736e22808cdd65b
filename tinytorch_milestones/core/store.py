"""The progress file: where it lives, how it is read, and how it is changed safely.

Every change happens under a cross-process `filelock` and lands by an atomic replace (temp file,
fsync, `os.replace`, fsync of the folder), so concurrent kernels, the CLI and tito lose nothing and
a reader never sees half a file. An unreadable file is kept byte for byte beside the original.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from . import messages
from .errors import ProgressFileError

SCHEMA_VERSION = 2
LIST_KEYS = ("completed_modules", "unlocked_milestones", "completed_milestones")
TIMESTAMP_KEYS = ("modules", "unlocked", "completed")
LOCK_TIMEOUT_SECONDS = 30.0

T = TypeVar("T")


def default_progress_path() -> Path:
    """`$TINYTORCH_HOME/progress.json`, else `~/.tinytorch/progress.json`."""
    home = os.environ.get("TINYTORCH_HOME")
    folder = Path(home).expanduser() if home else Path.home() / ".tinytorch"
    return folder / "progress.json"


def resolve_progress_path(progress_file: str | os.PathLike[str] | None = None) -> Path:
    """The progress file to use: the one given, else the default."""
    return Path(progress_file).expanduser() if progress_file is not None else default_progress_path()


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


def _conformed(raw: Any) -> tuple[dict[str, Any], str | None]:
    """`raw` shaped into a progress document, and what was wrong with it (None when nothing was)."""
    if not isinstance(raw, dict):
        return empty_state(), f"expected a JSON object, found {type(raw).__name__}"
    state = empty_state()
    state.update(raw)
    for key in LIST_KEYS:
        value = state[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return empty_state(), f"{key!r} is not a list of names"
        state[key] = list(dict.fromkeys(value))
    if not isinstance(state["timestamps"], dict):
        return empty_state(), "'timestamps' is not an object"
    for key in TIMESTAMP_KEYS:
        if not isinstance(state["timestamps"].setdefault(key, {}), dict):
            return empty_state(), f"'timestamps.{key}' is not an object"
    if not isinstance(state["verifications"], dict):
        return empty_state(), "'verifications' is not an object"
    state["schema_version"] = max(SCHEMA_VERSION, _int_or_zero(state.get("schema_version")))
    return state, None


def _int_or_zero(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _json_problem(data: bytes) -> tuple[Any, str | None]:
    try:
        return json.loads(data.decode("utf-8")), None
    except UnicodeDecodeError as error:
        return None, f"not UTF-8 text at byte {error.start}"
    except json.JSONDecodeError as error:
        return None, f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"


class ProgressStore:
    """Reads and changes one progress file; safe to use from many processes at once."""

    def __init__(self, progress_file: str | os.PathLike[str] | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.path = resolve_progress_path(progress_file)
        self._notify = notify or _print_to_stderr

    def load(self) -> dict[str, Any]:
        """The current progress; a missing file is empty progress, an unreadable one is kept and reported."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return empty_state()
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unreadable(self.path, error.strerror or str(error))) from None
        raw, problem = _json_problem(data)
        state, problem = (empty_state(), problem) if problem else _conformed(raw)
        if problem:
            self._keep_corrupt_bytes(data, problem)
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
            if state == before:
                return outcome
        with self._locked():
            state = self.load()
            before = copy.deepcopy(state)
            outcome = change(state)
            if state != before or not self.path.exists():
                self._remove_abandoned_temp_files()
                self._write_atomically(state)
            return outcome

    def reset(self) -> Path | None:
        """Start over with empty progress, keeping the old file as a timestamped backup (returned)."""
        with self._locked():
            backup = None
            if self.path.exists():
                stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
                backup = self.path.with_name(f"{self.path.name}.reset-{stamp}")
                os.replace(self.path, backup)
            self._write_atomically(empty_state())
            return backup

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the cross-process lock beside the file; a lock held too long elsewhere is a clear error."""
        from filelock import FileLock, Timeout

        self._ensure_folder()
        try:
            with FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS):
                yield
        except Timeout:
            raise ProgressFileError(messages.progress_file_locked(self.path, LOCK_TIMEOUT_SECONDS)) from None

    def _ensure_folder(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unwritable(self.path, error.strerror or str(error))) from None

    def _temp_prefix(self) -> str:
        return f".{self.path.name}."

    def _remove_abandoned_temp_files(self) -> None:
        """Delete temp files of writers killed mid-write; only called under the lock, so none is live."""
        for leftover in self.path.parent.glob(f"{self._temp_prefix()}*.tmp"):
            leftover.unlink(missing_ok=True)

    def _write_atomically(self, state: dict[str, Any]) -> None:
        import tempfile

        text = json.dumps(state, indent=2, ensure_ascii=False) + "\n"
        folder = self.path.parent
        try:
            fd, temp_name = tempfile.mkstemp(prefix=self._temp_prefix(), suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as temp:
                    temp.write(text)
                    temp.flush()
                    os.fsync(temp.fileno())
                os.replace(temp_name, self.path)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
            _fsync_folder(folder)
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unwritable(self.path, error.strerror or str(error))) from None

    def _keep_corrupt_bytes(self, data: bytes, problem: str) -> None:
        """Copy the unreadable bytes beside the file once per distinct content, and say where."""
        import hashlib
        import tempfile

        digest = hashlib.sha256(data).hexdigest()[:12]
        existing = sorted(self.path.parent.glob(f"{self.path.name}.corrupt-*-{digest}"))
        if existing:
            backup = existing[0]
        else:
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{digest}")
            try:
                fd, temp_name = tempfile.mkstemp(prefix=f".{backup.name}.", dir=self.path.parent)
                with os.fdopen(fd, "wb") as temp:
                    temp.write(data)
                    temp.flush()
                    os.fsync(temp.fileno())
                os.replace(temp_name, backup)
            except OSError as error:
                raise ProgressFileError(
                    messages.progress_file_unreadable(self.path, f"{problem}; and its bytes could not be kept: {error}")
                ) from None
            self._notify(messages.corrupt_progress_file(self.path, problem, backup))


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _print_to_stderr(text: str) -> None:
    print(text, file=sys.stderr)
