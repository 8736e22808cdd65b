"""`import-tito`: read tito's three progress files (COURSES.md) and merge them through the tracker.

tito keeps `<project>/progress.json` (`completed_modules`, strings like "01"), `.tito/milestones.json`
(`completed_milestones` with `completion_dates`, `unlocked_milestones` with `unlock_dates`) and
`.tito/progress.json`. They are only read, never changed. Names our course does not know are
reported and skipped; everything else is merged by `MilestoneTracker.import_progress`, which adds
only what is missing (so nothing is lost or duplicated, however often it runs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core import registry
from ...core.errors import MilestoneError
from ...core.project import find_project_root
from ...core.tracker import MilestoneTracker
from . import messages

ROOT_PROGRESS = "progress.json"
TITO_MILESTONES = ".tito/milestones.json"
TITO_PROGRESS = ".tito/progress.json"
TITO_FILES = (ROOT_PROGRESS, TITO_MILESTONES, TITO_PROGRESS)


@dataclass
class MigrationReport:
    """What `import-tito` read, skipped and (would have) added; `lines()` words it."""

    project: Path
    applied: bool
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changes(self) -> bool:
        """Whether anything was (or would be) added."""
        return any(self.added.values())

    def lines(self) -> list[str]:
        """The report as lines of text: files read, skipped values, additions, and what happens next."""
        lines = [messages.files_read(self.files), *self.skipped]
        lines += [messages.would_add(messages.KINDS[kind], names, self.applied)
                  for kind, names in self.added.items() if names]
        if not self.changes:
            lines.append(messages.NOTHING_TO_MERGE)
        elif self.applied:
            lines.append(messages.APPLIED_NOTE)
        else:
            lines.append(messages.DRY_RUN_NOTE)
        return lines


@dataclass
class _Known:
    modules: dict[str, str | None] = field(default_factory=dict)
    unlocked: dict[str, str | None] = field(default_factory=dict)
    completed: dict[str, str | None] = field(default_factory=dict)


def _read_json(path: Path, report: MigrationReport) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        report.skipped.append(messages.file_unreadable(path, str(error)))
        return None
    if not isinstance(data, dict):
        report.skipped.append(messages.file_unreadable(path, type(data).__name__))
        return None
    report.files.append(path)
    return data


def _names(data: dict[str, Any], key: str, path: Path, report: MigrationReport) -> list[str]:
    values = data.get(key, [])
    if not isinstance(values, list):
        report.skipped.append(messages.value_skipped(path, key, values, type(values).__name__))
        return []
    return [str(value) for value in values if isinstance(value, (str, int)) and not isinstance(value, bool)]


def _dates(data: dict[str, Any], key: str) -> dict[str, str]:
    dates = data.get(key, {})
    return {str(k): v for k, v in dates.items() if isinstance(v, str)} if isinstance(dates, dict) else {}


def _add_modules(known: _Known, data: dict[str, Any], path: Path, report: MigrationReport) -> None:
    for value in _names(data, "completed_modules", path, report):
        try:
            known.modules.setdefault(registry.normalize_module_name(value), None)
        except MilestoneError as error:
            report.skipped.append(messages.value_skipped(path, "completed_modules", value, str(error)))


def _add_milestones(known: _Known, data: dict[str, Any], path: Path, report: MigrationReport) -> None:
    for key, dates_key, target in (("unlocked_milestones", "unlock_dates", known.unlocked),
                                   ("completed_milestones", "completion_dates", known.completed)):
        dates = _dates(data, dates_key)
        for value in _names(data, key, path, report):
            try:
                milestone_id = registry.get_milestone(value).id
            except MilestoneError as error:
                report.skipped.append(messages.value_skipped(path, key, value, str(error)))
                continue
            if target.get(milestone_id) is None:
                target[milestone_id] = dates.get(value)


def import_tito(project: str | Path | None = None, *, apply: bool = False,
                tracker: MilestoneTracker | None = None) -> MigrationReport:
    """Read tito's files in `project` (default: the working folder) and merge them into the progress file.

    `<project root>/progress.json` is read from the nearest folder upwards with a project marker;
    `.tito/` from `project` itself. A dry run (`apply=False`) changes nothing. Raises
    `MilestoneError` (one line) when none of tito's files exists or the progress file is another course's.
    """
    folder = Path(project).expanduser().absolute() if project is not None else Path.cwd()
    tracker = tracker or MilestoneTracker()
    report = MigrationReport(project=folder, applied=apply)
    known = _Known()
    root = find_project_root(folder) or folder
    for path in dict.fromkeys([root / ROOT_PROGRESS, folder / TITO_PROGRESS, folder / TITO_MILESTONES]):
        data = _read_json(path, report)
        if data is None:
            continue
        _add_modules(known, data, path, report)
        _add_milestones(known, data, path, report)
    if not report.files and not report.skipped:
        raise MilestoneError(messages.no_tito_files(folder, TITO_FILES))
    report.added = tracker.import_progress(known.modules, known.unlocked, known.completed, apply=apply)
    return report
