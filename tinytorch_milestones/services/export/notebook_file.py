"""Reading a notebook file and checking it against the nbformat schema, with one-line errors.

nbformat is imported inside the function that needs it: it pulls in jsonschema, which is slow to
import, and nothing else on the CLI's or tito's start-up path should pay for it.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

from . import messages
from .errors import ExportError

NOTEBOOK_SUFFIX = ".ipynb"
SUPPORTED_FORMAT = 4


def existing_notebook_path(notebook: str | os.PathLike[str]) -> Path:
    """`notebook` as an absolute path, checked to be an existing `.ipynb` file."""
    path = Path(notebook).expanduser()
    if not path.exists():
        raise ExportError(messages.notebook_missing(notebook))
    if path.is_dir():
        raise ExportError(messages.notebook_is_folder(notebook))
    if path.suffix.lower() != NOTEBOOK_SUFFIX:
        raise ExportError(messages.not_a_notebook_file(notebook))
    return path.resolve()


def _json_document(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ExportError(messages.notebook_not_utf8(shown, error.start)) from None
    except OSError as error:
        raise ExportError(messages.notebook_unreadable(shown, error.strerror or str(error))) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError(messages.notebook_invalid_json(shown, error.lineno, error.colno, error.msg)) from None


def _check_shape(document: Any, shown: str) -> None:
    """The structure nbformat's validator assumes before it can report anything useful."""
    if not isinstance(document, dict) or "nbformat" not in document:
        raise ExportError(messages.notebook_without_format(shown))
    version = document["nbformat"]
    if version != SUPPORTED_FORMAT:
        raise ExportError(messages.notebook_unsupported_format(shown, version, SUPPORTED_FORMAT))
    cells = document.get("cells")
    if not isinstance(cells, list):
        raise ExportError(messages.notebook_invalid(shown, "cells", messages.CELLS_NOT_A_LIST))
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise ExportError(messages.notebook_invalid(shown, f"cells[{index}]", messages.CELL_NOT_AN_OBJECT))


def _schema_location(path: Any) -> str:
    """A JSON path as people write it: ["cells", 2, "source"] -> "cells[2].source"."""
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
    return where.lstrip(".") or messages.SCHEMA_TOP_LEVEL


def _validated(document: dict[str, Any], shown: str) -> Any:
    import nbformat
    from nbformat.warnings import MissingIDFieldWarning

    notebook = nbformat.from_dict(document)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingIDFieldWarning)  # v4.4 notebooks have no cell ids, rightly
        try:
            nbformat.validate(notebook)
        except nbformat.ValidationError as error:
            problem = messages.schema_problem(error.message, error.instance, error.validator)
            raise ExportError(messages.notebook_invalid(shown, _schema_location(error.absolute_path), problem)) from None
    return notebook


def read_notebook(path: Path, shown: str) -> Any:
    """The validated v4 notebook at `path` (an nbformat `NotebookNode`); `shown` is how errors name the file."""
    document = _json_document(path, shown)
    _check_shape(document, shown)
    return _validated(document, shown)


def cell_source(cell: Any) -> str:
    """A cell's source as one string (the file may store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source
