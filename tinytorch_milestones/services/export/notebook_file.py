"""Reading a notebook file as JSON and checking the parts an export uses, with one-line errors.

An export needs the cells, their types and sources, the metadata and the format's major version;
nothing else of the nbformat schema changes what is exported, so nbformat (whose jsonschema checks
cost about a second to import where JupyterLab is installed) is not imported here at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import messages
from .errors import ExportError

NOTEBOOK_SUFFIX = ".ipynb"
SUPPORTED_FORMAT = 4
CELL_TYPES = ("code", "markdown", "raw")


def existing_notebook_path(notebook: str | os.PathLike[str]) -> Path:
    """`notebook` as an absolute path, checked to be an existing regular `.ipynb` file (raises `ExportError`)."""
    path = Path(notebook).expanduser()
    try:
        if not path.exists():
            raise ExportError(messages.notebook_missing(notebook))
        if path.is_dir():
            raise ExportError(messages.notebook_is_folder(notebook))
        if not path.is_file():  # reading a pipe would wait for a writer that may never come
            raise ExportError(messages.notebook_not_a_regular_file(notebook))
        if path.suffix.lower() != NOTEBOOK_SUFFIX:
            raise ExportError(messages.not_a_notebook_file(notebook))
        return path.resolve(strict=True)
    except (OSError, RuntimeError) as error:  # a symlink loop, a name too long for the file system
        raise ExportError(messages.notebook_unreadable(os.fspath(notebook), getattr(error, "strerror", None) or str(error))) from None


def _json_document(path: Path, shown: str) -> Any:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(messages.notebook_not_utf8(shown, error.start)) from None
    except OSError as error:
        raise ExportError(messages.notebook_unreadable(shown, error.strerror or str(error))) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(messages.notebook_invalid_json(shown, error.lineno, error.colno, error.msg)) from None
    except RecursionError:
        raise ExportError(messages.notebook_too_deep(shown)) from None


def _is_text(source: Any) -> bool:
    return isinstance(source, str) or (isinstance(source, list) and all(isinstance(line, str) for line in source))


def _check_cell(cell: Any, where: str, shown: str) -> None:
    if not isinstance(cell, dict):
        raise ExportError(messages.notebook_invalid(shown, where, messages.CELL_NOT_AN_OBJECT))
    cell_type = cell.get("cell_type")
    if cell_type not in CELL_TYPES:
        raise ExportError(messages.notebook_invalid(shown, f"{where}.cell_type", messages.bad_cell_type(cell_type, CELL_TYPES)))
    if "source" not in cell:
        raise ExportError(messages.notebook_invalid(shown, where, messages.missing_field("source")))
    if not _is_text(cell["source"]):
        raise ExportError(messages.notebook_invalid(shown, f"{where}.source", messages.source_not_text(cell["source"])))


def _check_document(document: Any, shown: str) -> None:
    """What an export relies on: format 4, a list of cell objects with known types and text sources, metadata objects."""
    if not isinstance(document, dict) or "nbformat" not in document:
        raise ExportError(messages.notebook_without_format(shown))
    version = document["nbformat"]
    if version != SUPPORTED_FORMAT or isinstance(version, bool):
        raise ExportError(messages.notebook_unsupported_format(shown, version, SUPPORTED_FORMAT))
    if not isinstance(document.get("metadata", {}), dict):
        raise ExportError(messages.notebook_invalid(shown, "metadata", messages.NOT_AN_OBJECT))
    cells = document.get("cells")
    if not isinstance(cells, list):
        raise ExportError(messages.notebook_invalid(shown, "cells", messages.CELLS_NOT_A_LIST))
    for index, cell in enumerate(cells):
        _check_cell(cell, f"cells[{index}]", shown)


def read_notebook(path: Path, shown: str) -> dict[str, Any]:
    """The v4 notebook at `path` as its JSON document (a dict); `shown` is how errors name the file.

    A UTF-8 byte-order mark is accepted (editors on Windows write one). Raises `ExportError` in one
    line for a file that is unreadable, not UTF-8, not JSON, not format 4, or whose cells an export
    cannot read (not objects, an unknown cell type, a source that is not text).
    """
    document = _json_document(path, shown)
    _check_document(document, shown)
    return document


def cell_source(cell: Any) -> str:
    """A cell's source as one string (the file may store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source
