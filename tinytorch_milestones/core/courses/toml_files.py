"""Reading TOML: the standard library's parser, and the parse of a shipped course file kept beside it.

`tomllib` is pure Python: importing it and parsing a course costs a fresh process several
milliseconds, on every command line start. So the parse of a shipped course file is kept as JSON
where Python keeps a module's bytecode (`__pycache__/` beside it, or under `PYTHONPYCACHEPREFIX`),
beside the text it was parsed from: it is used only while the file holds that very text (as a
hash-checked .pyc is), however the file's time or size were kept. The course is still validated
from that parse on every load; only the TOML parsing is saved. Nothing is kept where bytecode is
not written (`PYTHONDONTWRITEBYTECODE`) or the folder cannot be written; a kept parse that is not
a regular file (a pipe) or not readable is ignored.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from types import ModuleType

TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

KEPT_PARSE_FORMAT = 2
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


def kept_parse(path: Path, text: str) -> dict[str, Any] | None:
    """The kept parse of `path` when it was made from `text` (the file's text now), else None."""
    data = _read_regular_file(kept_parse_path(path))
    if data is None:
        return None
    try:
        kept = json.loads(data)
    except ValueError:
        return None
    if (isinstance(kept, dict) and kept.get("format") == KEPT_PARSE_FORMAT and kept.get("text") == text
            and isinstance(kept.get("data"), dict)):
        return kept["data"]
    return None


def keep_parse(path: Path, text: str, raw: dict[str, Any]) -> None:
    """Keep `raw`, the parse of `text` (the course file `path`'s text); silently nothing where bytecode
    is not written, the folder cannot be written, or the parse is not plain JSON data."""
    from ..atomic_file import write_atomically

    if sys.dont_write_bytecode:
        return
    try:
        kept = json.dumps({"format": KEPT_PARSE_FORMAT, "text": text, "data": raw}, ensure_ascii=False)
    except (TypeError, ValueError):  # a TOML date or time has no JSON form
        return
    target = kept_parse_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, kept)
    except OSError:
        return


def _read_regular_file(path: Path) -> bytes | None:
    """`path`'s bytes when it is a regular file that can be read at once, else None (never waits on a pipe)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
