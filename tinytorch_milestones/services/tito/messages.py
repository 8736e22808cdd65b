"""The wording of `import-tito` (tito's progress files merged into ours)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...core.messages import quoted_list

DRY_RUN_NOTE = "Dry run: nothing was written. Run again with --apply to merge."
APPLIED_NOTE = "Merged into the progress file; tito's files are unchanged."
NOTHING_TO_MERGE = "Nothing to merge: the progress file already knows everything tito's files say."


def files_read(paths: Sequence[Path]) -> str:
    return f"Read tito's files: {quoted_list([str(p) for p in paths])}"


def no_tito_files(project: Path, looked_for: Sequence[str]) -> str:
    return f"no tito progress files in {str(project)!r} (looked for {quoted_list(list(looked_for))})"


def file_unreadable(path: Path, reason: str) -> str:
    return f"skipped {str(path)!r}: {reason}"


def value_skipped(path: Path, key: str, value: object, reason: str) -> str:
    return f"skipped {value!r} in {path.name} ({key}): {reason}"


def would_add(kind: str, names: Sequence[str], applied: bool) -> str:
    verb = "Added" if applied else "Would add"
    return f"{verb} {kind}: {quoted_list(list(names))}"


KINDS = {"modules": "completed modules", "unlocked": "unlocked milestones", "completed": "completed milestones"}
