"""Which course module a notebook is, for the tracker: given, from the notebook's metadata, or its file name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinytorch_milestones.core.errors import ModuleNameError
from tinytorch_milestones.core.registry import normalize_module_name

from . import messages
from .errors import ExportError

METADATA_KEY = "tinytorch"
METADATA_FIELD = "module"


def course_module_name(notebook: Any, path: Path, shown: str, given: str | None = None) -> str:
    """The full course module name ("01_tensor") of the notebook at `path`, validated against the course.

    In order: `given`, the notebook's `metadata.tinytorch.module`, the file name's stem
    (`01_tensor.ipynb` -> "01_tensor"). An unknown name raises `ExportError` saying where it came from.
    """
    if given is not None:
        name, source = given, messages.NAME_GIVEN
    else:
        section = notebook.get("metadata", {}).get(METADATA_KEY)
        from_metadata = section.get(METADATA_FIELD) if isinstance(section, dict) else None
        if from_metadata is not None:
            name, source = from_metadata, messages.NAME_FROM_METADATA
        else:
            name, source = path.stem, messages.NAME_FROM_FILE_NAME
    try:
        return normalize_module_name(name)
    except ModuleNameError as error:
        raise ExportError(messages.bad_module_name(shown, source, str(error))) from None
