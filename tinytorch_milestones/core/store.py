"""The progress file: where it lives, how it is read, and how it is changed safely.

Every change happens under a cross-process lock (`zc.lockfile`) and lands by an atomic replace, so
concurrent kernels, the CLI and tito lose nothing and a reader never sees half a file. Reading
takes no lock. A file that cannot be read whole is kept byte for byte beside the original, the user
is told, and only what could not be read is left out: a stray byte costs the value it sits in. A
file written by a newer version is read but never rewritten.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

from . import messages
from .atomic_file import write_atomically
from .errors import ModuleNameError, ProgressFileError

SCHEMA_VERSION = 2
LIST_KEYS = ("completed_modules", "unlocked_milestones", "completed_milestones")
TIMESTAMP_KEYS = ("modules", "unlocked", "completed")
LOCK_TIMEOUT_SECONDS = 30.0
LOCK_POLL_SECONDS = 0.005
_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_LOCK_TAKEN = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK})
"""What the OS says when another process holds the lock (flock's EWOULDBLOCK; msvcrt's EDEADLK on Windows)."""
MAX_DEPTH = 100
"""Values nested deeper than this many levels are left out (and reported), so no reader or writer
of the document can run out of stack."""


_reported_problems: set[tuple[Path, str]] = set()
_default_paths: dict[tuple[str | None, str | None], Path] = {}
"""`default_progress_path()` by what it depends on, TINYTORCH_HOME and HOME, when that is an absolute folder."""
_clean_read: tuple[Path, dict[str, Any], bytes] | None = None
"""The last file read that needed nothing left out and no course to conform: its path, state and
bytes. Reading the same bytes again reuses a copy of that state instead of parsing them again."""
_UNPARSED = object()
_to_json = json.JSONEncoder(ensure_ascii=False).encode
"""`json.dumps(value, ensure_ascii=False)` without a new encoder per call."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_FULL_MODULE_NAME = re.compile(r"[0-9]{2,}_[a-z][a-z0-9_]*")


def default_progress_path() -> Path:
    """`$TINYTORCH_HOME/progress.json`, else `~/.tinytorch/progress.json` (always absolute)."""
    home = os.environ.get("TINYTORCH_HOME")
    key = (home, os.environ.get("HOME"))
    path = _default_paths.get(key)
    if path is None:
        folder = Path(home).expanduser() if home else Path.home() / ".tinytorch"
        path = folder.absolute() / "progress.json"
        if folder.is_absolute():  # a relative folder depends on the working folder too: not kept
            _default_paths[key] = path
    return path


def resolve_progress_path(progress_file: str | os.PathLike[str] | None = None) -> Path:
    """The progress file to use: the one given, else the default; absolute, so a later chdir changes nothing."""
    return Path(progress_file).expanduser().absolute() if progress_file is not None else default_progress_path()


def now_iso() -> str:
    """The current time as an ISO 8601 string in UTC, second precision ("2026-12-02T07:14:15+00:00")."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


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


def _module_name(name: str) -> str:
    """The catalog's full name for a module name someone typed ("tensor", "02"); unknown names as they are.

    Full names ("01_tensor") are taken as they are without asking the registry, so loading stays cheap.
    """
    if _FULL_MODULE_NAME.fullmatch(name):
        return name
    from .registry import normalize_module_name

    try:
        return normalize_module_name(name)
    except ModuleNameError:
        return name


def _names_are_full(raw: dict[str, Any]) -> bool:
    """Whether every module name of a (well-formed) document is a full name, so conforming it asked no course."""
    timestamps = raw.get("timestamps")
    modules = timestamps.get("modules", {}) if isinstance(timestamps, dict) else {}
    return (all(_FULL_MODULE_NAME.fullmatch(name) for name in raw.get("completed_modules", []))
            and all(_FULL_MODULE_NAME.fullmatch(name) for name in modules))


def _conformed(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """`raw` shaped into a progress document, and what had to be left out of it (empty when nothing).

    Each field is checked on its own, so one bad field never costs the others; unknown top-level keys
    are kept as they are. Module names are brought to their full form ("tensor" -> "01_tensor").
    """
    if not isinstance(raw, dict):
        return empty_state(), [messages.progress_not_an_object(type(raw).__name__)]
    state = {**empty_state(), **raw}
    problems = []
    for key in LIST_KEYS:
        if _is_names(state[key]):
            names = state[key] if key != "completed_modules" else [_module_name(name) for name in state[key]]
            state[key] = list(dict.fromkeys(names))
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
    modules = state["timestamps"]["modules"]
    if not all(_FULL_MODULE_NAME.fullmatch(name) for name in modules):
        renamed: dict[str, str] = {}
        for name, stamp in modules.items():
            renamed.setdefault(_module_name(name), stamp)
        state["timestamps"]["modules"] = renamed
    if not _is_attempt_map(state["verifications"]):
        problems.append(messages.progress_field_not_object("verifications"))
        state["verifications"] = {}
    state["schema_version"] = max(SCHEMA_VERSION, _int_or_zero(state.get("schema_version")))
    return state, problems


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_or_zero(value: Any) -> int:
    return value if _is_int(value) else 0


def _decoded(data: bytes) -> tuple[str, int | None]:
    """`data` as text (a UTF-8 byte-order mark dropped) and where its first non-UTF-8 byte is (None: nowhere).

    Bytes that are not UTF-8 become lone surrogates, which `_pruned` then leaves out.
    """
    try:
        text, bad_at = data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        text, bad_at = data.decode("utf-8", "surrogateescape"), error.start
    return text.removeprefix("\ufeff"), bad_at


def _has_lone_surrogate(text: str) -> bool:
    """Whether `text` holds a lone surrogate (a byte that was not UTF-8, or an escaped half of a pair)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _pruned(document: Any) -> tuple[Any, int, int]:
    """`document` without text that is not Unicode and without values nested deeper than `MAX_DEPTH`.

    Returns the document and how many values of each kind were left out. Walks without recursion,
    so any depth the parser could take is safe here.
    """
    undecodable = too_deep = 0

    def kept(value: Any, depth: int) -> bool:
        nonlocal undecodable, too_deep
        if isinstance(value, str) and _has_lone_surrogate(value):
            undecodable += 1
            return False
        if isinstance(value, (dict, list)) and depth > MAX_DEPTH:
            too_deep += 1
            return False
        return True

    if not kept(document, 0):
        return None, undecodable, too_deep
    pending = [(document, 1)]
    while pending:
        container, depth = pending.pop()
        if isinstance(container, dict):
            for key, value in list(container.items()):
                if not (kept(key, depth) and kept(value, depth)):
                    del container[key]
                elif isinstance(value, (dict, list)):
                    pending.append((value, depth + 1))
        else:
            container[:] = [value for value in container if kept(value, depth)]
            pending.extend((value, depth + 1) for value in container if isinstance(value, (dict, list)))
    return document, undecodable, too_deep


def _parsed(data: bytes) -> tuple[Any, list[str]]:
    """The JSON document in `data` (or `_UNPARSED`) and what had to be left out of it."""
    text, bad_at = _decoded(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problems = [] if bad_at is None else [messages.progress_not_utf8(bad_at)]
        return _UNPARSED, [*problems, messages.progress_invalid_json(error.lineno, error.colno, error.msg)]
    except RecursionError:
        return _UNPARSED, [messages.progress_unparseable(messages.PROGRESS_PARSER_TOO_DEEP)]
    except (ValueError, MemoryError) as error:
        return _UNPARSED, [messages.progress_unparseable(str(error))]
    if bad_at is None and not _SURROGATE_ESCAPE.search(text) and data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return document, []
    document, undecodable, too_deep = _pruned(document)
    problems = []
    if bad_at is not None or undecodable:
        problems.append(messages.progress_not_utf8(bad_at if bad_at is not None else 0, undecodable))
    if too_deep:
        problems.append(messages.progress_too_deep(MAX_DEPTH, too_deep))
    return document, problems


class ProgressStore:
    """Reads and changes one progress file; safe to use from many processes at once.

    `problem` is None, or one line saying why the file as last read could not be used whole.
    `newer_schema` is None, or the `schema_version` of a file written by a newer version, which
    this store reads but refuses to change (`ProgressFileError`).
    """

    def __init__(self, progress_file: str | os.PathLike[str] | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        self.path = resolve_progress_path(progress_file)
        self.problem: str | None = None
        self.newer_schema: int | None = None
        self._pristine: dict[str, Any] | None = None  # an unchanged copy of the state `_state_of` last gave, if kept
        self._notify = notify or _print_to_stderr

    def load(self) -> dict[str, Any]:
        """The current progress; a missing file is empty progress, a damaged one is kept and reported.

        Takes no lock. Raises `ProgressFileError` when the file exists but cannot be read.
        """
        return self._state_of(self._read())

    def update(self, change: Callable[[dict[str, Any]], T]) -> T:
        """Apply `change` to the freshest progress under the lock and save it if it changed.

        `change` mutates the document it is given and returns what the caller wants back. When a
        lock-free read shows that `change` would change nothing, its answer stands without locking;
        when the file is unchanged once the lock is held, that read's result is saved as it is (one
        parse per write). Raises `ProgressFileError` when the file cannot be locked or written, or
        was written by a newer version (then nothing is changed).
        """
        data = self._read()
        state = self._state_of(data)
        outcome, changed = _applied(change, state, data is not None, self._pristine)
        if data is not None and not changed and self.problem is None:
            return outcome
        self._refuse_if_newer()
        with self._locked() as target:
            fresh = self._read()
            if fresh != data:
                state = self._state_of(fresh)
                outcome, changed = _applied(change, state, fresh is not None, self._pristine)
                if fresh is not None and not changed and self.problem is None:
                    return outcome
                self._refuse_if_newer()
            self._write(state, target)
            return outcome

    def reset(self) -> Path | None:
        """Start over with empty progress; the old file's bytes are kept in a backup whose path is returned.

        Raises `ProgressFileError` for a file written by a newer version, or one that cannot be locked or written.
        """
        with self._locked() as target:
            backup = None
            data = self._read()
            if data is not None:
                self._state_of(data)
                self._refuse_if_newer()
                backup = self._backup_path("reset", data)
                self._write_file(backup, data)
            self._write(empty_state(), target)
            return backup

    def _read(self) -> bytes | None:
        """The file's bytes, or None when there is no file; anything but a regular file (a device such
        as /dev/null, a pipe, a folder) raises `ProgressFileError` and is never opened or replaced.

        The check comes before the open, which then may wait (for a pipe it never could return; a
        file lease held by a file server is waited for, as any reader does)."""
        try:
            self._refuse_if_not_a_file()
            fd = os.open(self.path, _READ)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unreadable(self.path, error.strerror or str(error))) from None
        try:
            size = os.fstat(fd).st_size
            data = os.read(fd, size + 1)  # one read: a short read is the end of a regular file
            if len(data) > size:  # it grew since fstat: read on to the end
                chunks = [data]
                while chunk := os.read(fd, 1 << 16):
                    chunks.append(chunk)
                data = b"".join(chunks)
            return data
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unreadable(self.path, error.strerror or str(error))) from None
        finally:
            os.close(fd)

    def _refuse_if_not_a_file(self) -> None:
        """Raise `ProgressFileError` when the path leads to something other than a regular file;
        a missing file raises `FileNotFoundError`."""
        if not stat.S_ISREG(os.stat(self.path).st_mode):
            raise ProgressFileError(messages.progress_file_unreadable(self.path, messages.NOT_A_REGULAR_FILE))

    def _state_of(self, data: bytes | None) -> dict[str, Any]:
        """The progress document in `data`; sets `problem` and `newer_schema` to what was found."""
        self.problem = None
        self.newer_schema = None
        self._pristine = None
        if data is None:
            return empty_state()
        global _clean_read
        kept = _clean_read  # one read of the global: another thread may replace it
        if kept is not None and kept[0] == self.path and kept[2] == data:
            self._pristine = kept[1]
            return _containers_copied(self._pristine)
        document, problems = _parsed(data)
        if document is _UNPARSED:
            state = empty_state()
        else:
            state, more = _conformed(document)
            problems.extend(more)
            found = document.get("schema_version") if isinstance(document, dict) else None
            if state["schema_version"] > SCHEMA_VERSION or (found is not None and not _is_int(found)):
                self.newer_schema = state["schema_version"] if state["schema_version"] > SCHEMA_VERSION else found
                return state  # a version this one cannot read ("99", 1e400, 2.5) is never rewritten
        if problems:
            self._keep_damaged_bytes(data, "; ".join(problems))
        elif _names_are_full(document):
            _clean_read = (self.path, _containers_copied(state), data)
        return state

    def _remember_written(self, data: bytes) -> None:
        """Keep the state a read of `data` would give, so the next read of the same bytes needs no parse.

        `data` was just written from a conformed state (one `_state_of` gave, changed by the tracker's
        rules, or `empty_state()`), in UTF-8 with no escaped surrogate, so its plain JSON parse is that
        state: `_conformed` would change nothing (tests/core/test_store_properties.py checks this).
        """
        global _clean_read
        document = json.loads(data)
        if _names_are_full(document) and document["schema_version"] <= SCHEMA_VERSION:
            _clean_read = (self.path, document, data)

    def _refuse_if_newer(self) -> None:
        if self.newer_schema is not None:
            raise ProgressFileError(messages.progress_file_newer(self.path, self.newer_schema, SCHEMA_VERSION))

    def _target(self) -> tuple[Path, bool]:
        """Where the file's bytes really live (a progress file that is a symbolic link stays one), and
        whether a file is there; anything but a regular file raises `ProgressFileError`."""
        try:
            found = os.lstat(self.path)
            if stat.S_ISLNK(found.st_mode):
                self._refuse_if_not_a_file()
                return Path(os.path.realpath(self.path)), True
        except FileNotFoundError:
            return Path(os.path.realpath(self.path)), False
        except OSError as error:  # a loop of links, a file where a folder should be, no permission
            raise ProgressFileError(messages.progress_file_unreadable(self.path, error.strerror or str(error))) from None
        if not stat.S_ISREG(found.st_mode):
            raise ProgressFileError(messages.progress_file_unreadable(self.path, messages.NOT_A_REGULAR_FILE))
        return self.path, True

    @contextmanager
    def _locked(self) -> Iterator[Path]:
        """Hold the cross-process lock beside the file, yielding `_target()`; a lock that cannot be had is one clear error."""
        target, exists = self._target()
        if not exists:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ProgressFileError(messages.progress_file_unwritable(self.path, error.strerror or str(error))) from None
        lock = self._take_lock(target.with_name(target.name + ".lock"))
        try:
            yield target
        finally:
            lock.close()

    def _take_lock(self, lock_path: Path) -> Any:
        """`zc.lockfile`'s lock on `lock_path` (an open `SimpleLockFile`; `close()` lets go).

        It is `flock` on the file (a byte lock on Windows), the same lock `filelock` takes, so every
        version of this store excludes every other. Nothing is written to the lock file, and anything
        there but a regular file (a symbolic link, a pipe, a folder) is refused, so a planted link
        cannot lead the lock to another file. A taken lock is tried again every `LOCK_POLL_SECONDS`
        for `LOCK_TIMEOUT_SECONDS`. Raises `ProgressFileError` (one line) when it cannot be had.
        """
        from zc.lockfile import LockError, SimpleLockFile

        def unlockable(reason: str) -> ProgressFileError:
            return ProgressFileError(messages.progress_file_unlockable(self.path, lock_path, reason))

        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                if not stat.S_ISREG(os.lstat(lock_path).st_mode):
                    raise unlockable(messages.LOCK_NOT_A_REGULAR_FILE)
            except FileNotFoundError:
                pass
            try:
                return SimpleLockFile(str(lock_path))
            except LockError as error:
                cause = error.__context__  # the OSError zc.lockfile turned into LockError
                if not isinstance(cause, OSError) or cause.errno not in _LOCK_TAKEN:
                    raise unlockable(getattr(cause, "strerror", None) or str(cause or error)) from None
            except OSError as error:
                raise unlockable((error.strerror or str(error)).rstrip(".")) from None
            if time.monotonic() >= deadline:
                raise ProgressFileError(messages.progress_file_locked(self.path, LOCK_TIMEOUT_SECONDS))
            time.sleep(LOCK_POLL_SECONDS)

    def _write(self, state: dict[str, Any], target: Path) -> None:
        """Save `state` to `target` (`_target()`). Only ever called under the lock, so the temporary
        file has one fixed name, and a dead writer's leftover is replaced rather than piling up."""
        data = _serialized(state).encode("utf-8")
        self._write_file(self.path, data, target)
        self._remember_written(data)

    def _write_file(self, path: Path, data: bytes | str, target: Path | None = None) -> None:
        """`data` written atomically to `target`, the progress file's own place under the lock (`exclusive`);
        else to where `path` leads (a backup). Errors name `path`."""
        try:
            if target is None:
                write_atomically(path, data, follow_symlinks=True)
            else:
                write_atomically(target, data, exclusive=True)
        except OSError as error:
            raise ProgressFileError(messages.progress_file_unwritable(path, error.strerror or str(error))) from None

    def _backup_path(self, kind: str, data: bytes) -> Path:
        """`progress.json.<kind>-<time>-<hash>`: the same bytes always map to the same backup."""
        import hashlib

        digest = hashlib.sha256(data).hexdigest()[:12]
        existing = sorted(self.path.parent.glob(f"{self.path.name}.{kind}-*-{digest}"))
        if existing:
            return existing[0]
        stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime())
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


def _serialized(state: dict[str, Any]) -> str:
    """`state` as JSON text with one top-level key per line: readable, and written by json's C encoder
    (an `indent` would switch it to the pure-Python one, several times slower)."""
    fields = ",\n".join(f"  {_to_json(key)}: {_to_json(value)}" for key, value in state.items())
    return "{\n" + fields + "\n}\n"


def _applied(change: Callable[[dict[str, Any]], T], state: dict[str, Any], compare: bool,
             before: dict[str, Any] | None = None) -> tuple[T, bool]:
    """What `change` returns on `state`, and whether it changed `state` (True when not asked to `compare`).

    `before` is an unchanged copy of `state` when one is at hand; else one is made here."""
    if not compare:
        return change(state), True
    if before is None:
        before = _containers_copied(state)
    outcome = change(state)
    return outcome, state != before


def _containers_copied(value: Any) -> Any:
    """A copy of a JSON document's dicts and lists; its text, numbers and other leaves are shared, not copied."""
    if type(value) is dict:
        return {key: _containers_copied(item) for key, item in value.items()}
    if type(value) is list:
        return [_containers_copied(item) for item in value]
    return value


def _print_to_stderr(text: str) -> None:
    print(text, file=sys.stderr)
