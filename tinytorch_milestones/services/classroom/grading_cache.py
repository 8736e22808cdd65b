"""The grading cache: a cell whose student package and verification are unchanged is not run again.

A cell's key is the SHA-256 of the student's `tinytorch/` package (every file's relative path and
bytes, `__pycache__` left out) and of the verification (this package's version, the milestone's
definition, the verify service's files, the grading cell, the timeout and the memory limit). The
cache is one JSON file the grader chooses, replaced atomically after each finished cell.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ... import __version__
from ...core import registry
from ...core.atomic_file import write_atomically
from . import messages

PACKAGE_NAME = "tinytorch"
SKIPPED_PARTS = ("__pycache__",)
VERIFY_SERVICE = Path(__file__).resolve().parents[1] / "verify"
GRADING_CELL = Path(__file__).resolve().parent / "grading_cell.py"
CACHE_FILE_NAME = ".tinytorch-grading-cache.json"
CACHE_FORMAT = 1


def _digest_files(digest: Any, root: Path, files: list[Path]) -> None:
    """Each file's relative path and bytes; a symbolic link's target text instead of what it points
    to (which may be /dev/zero or a huge file), so hashing a hostile package always ends."""
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(b"link:" + os.fsencode(os.readlink(file)) if file.is_symlink() else file.read_bytes())
        except OSError as error:
            digest.update(f"unreadable: {error.strerror}".encode())
        digest.update(b"\0")


def _tree(root: Path) -> list[Path]:
    """The regular files and symbolic links under `root`, sorted, `__pycache__` left out."""
    return sorted(path for path in root.rglob("*")
                  if (path.is_symlink() or path.is_file())
                  and not any(part in SKIPPED_PARTS for part in path.relative_to(root).parts))


def package_hash(project_dir: Path) -> str | None:
    """The SHA-256 (hex) of `project_dir/tinytorch/`, or None when the submission has no package."""
    package = project_dir / PACKAGE_NAME
    if not package.is_dir():
        return None
    digest = hashlib.sha256()
    _digest_files(digest, package, _tree(package))
    return digest.hexdigest()


def verification_hash(milestone_id: str, timeout_s: float, memory_limit_bytes: int) -> str:
    """The SHA-256 (hex) of what verifying `milestone_id` runs and under which limits."""
    milestone = registry.get_milestone(milestone_id)
    digest = hashlib.sha256()
    definition = [__version__, milestone.id, list(milestone.requires), milestone.test, milestone.test_file,
                  timeout_s, memory_limit_bytes, CACHE_FORMAT]
    digest.update(json.dumps(definition).encode())
    _digest_files(digest, VERIFY_SERVICE, _tree(VERIFY_SERVICE))
    _digest_files(digest, GRADING_CELL.parent, [GRADING_CELL])
    for path in filter(None, [milestone.test_file, milestone.test.partition("::")[0] if "::" in milestone.test else None]):
        file = Path(path).expanduser()
        if file.is_file():
            _digest_files(digest, file.parent, [file])
    return digest.hexdigest()


def cell_key(package: str, verification: str) -> str:
    """The cache key of one cell."""
    return f"{package}:{verification}"


def default_cache_path(submissions: list[Path]) -> Path:
    """`.tinytorch-grading-cache.json` in the folder holding the submissions (their common parent)."""
    return Path(os.path.commonpath([str(submission.absolute().parent) for submission in submissions])) / CACHE_FILE_NAME


class GradingCache:
    """The cache file: `get` a finished cell's entry by key, `put` one (saved at once)."""

    def __init__(self, path: Path, warn: Callable[[str], None]) -> None:
        self.path = path
        self._warn = warn
        self._writable = True
        self._entries: dict[str, dict[str, Any]] = {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            warn(messages.cache_unreadable(path, getattr(error, "strerror", None) or str(error).splitlines()[0]))
            return
        entries = raw.get("cells") if isinstance(raw, dict) and raw.get("format") == CACHE_FORMAT else None
        if not isinstance(entries, dict):
            warn(messages.cache_unreadable(path, messages.CACHE_NOT_OURS))
            return
        self._entries = {key: value for key, value in entries.items()
                         if isinstance(value, dict) and isinstance(value.get("verified"), bool)}

    def get(self, key: str) -> dict[str, Any] | None:
        """{"verified": bool, "reason": str | None, "outcome": str | None} for `key`, or None."""
        return self._entries.get(key)

    def put(self, key: str, verified: bool, reason: str | None, outcome: str | None) -> None:
        """Remember a finished cell and save the file atomically (a file that cannot be written is
        reported once, and grading goes on without it)."""
        self._entries[key] = {"verified": verified, "reason": reason, "outcome": outcome}
        if not self._writable:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps({"format": CACHE_FORMAT, "cells": self._entries}, indent=1) + "\n")
        except OSError as error:
            self._writable = False
            self._warn(messages.cache_unwritable(self.path, error.strerror or str(error)))
