"""Reading TOML: the standard library's parser, and the parse of a shipped course file kept beside it.

`tomllib` is pure Python: importing it and parsing a course costs a fresh process several
milliseconds, on every command line start. So the parse of a shipped course file is kept as JSON
where Python keeps a module's bytecode (`__pycache__/` beside it, or under `PYTHONPYCACHEPREFIX`),
valid while the file's modification time and size are unchanged, as bytecode is. The course is
still validated from that parse on every load; only the TOML parsing is saved. Nothing is kept
where bytecode is not written (`PYTHONDONTWRITEBYTECODE`) or the folder cannot be written.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import ModuleType

TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

KEPT_PARSE_FORMAT = 1
"""Changes when what a kept parse holds changes, so an older one is parsed again."""


def toml() -> ModuleType:
    """The TOML parser module: `tomllib` (Python 3.11+) or `tomli`, imported on first need."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    return tomllib


def kept_parse_path(path: Path) -> Path:
    """Where the parse of the course file `path` is kept: `<file name>.json` in the folder Python
    would keep its bytecode in (`importlib.util.cache_from_source`)."""
    from importlib.util import cache_from_source

    return Path(cache_from_source(str(path))).with_name(f"{path.name}.json")


def _source_key(found: os.stat_result) -> list[int]:
    return [KEPT_PARSE_FORMAT, found.st_mtime_ns, found.st_size]


def kept_parse(path: Path, found: os.stat_result) -> dict[str, Any] | None:
    """The kept parse of `path` when it was made from the file as it is now (`found`: its `os.stat`), else None."""
    try:
        kept = json.loads(kept_parse_path(path).read_bytes())
    except (OSError, ValueError):
        return None
    if isinstance(kept, dict) and kept.get("source") == _source_key(found) and isinstance(kept.get("data"), dict):
        return kept["data"]
    return None


def keep_parse(path: Path, found: os.stat_result, raw: dict[str, Any]) -> None:
    """Keep `raw`, the parse of `path` as it was when `found` (its `os.stat`) was taken; silently
    nothing where bytecode is not written, the folder cannot be written, or the parse is not plain JSON data."""
    from ..atomic_file import write_atomically

    if sys.dont_write_bytecode:
        return
    try:
        text = json.dumps({"source": _source_key(found), "data": raw}, ensure_ascii=False)
    except (TypeError, ValueError):  # a TOML date or time has no JSON form
        return
    target = kept_parse_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text)
    except OSError:
        return
