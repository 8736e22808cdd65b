"""The unlock and completion rules, and the public API that tito, the CLI and the notebook call.

A milestone unlocks when all its required modules are complete, in `MILESTONE_ORDER`; it is
completed when its verification passes. All reads and writes go through `ProgressStore`. The
progress file records its course (`"course"`: the course's name) and is refused, in one line, by
another course; a file without one is the classic course's when it holds progress (the original
tracker wrote it), and anyone's when empty.
"""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable
TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

from . import messages, registry
from .errors import CourseMismatchError
from .registry import Milestone
from .store import ProgressStore, now_iso

MAX_ATTEMPTS_KEPT = 20


def _newly_unlocked(state: dict[str, Any]) -> list[Milestone]:
    """Mark every milestone whose requirements are now met as unlocked; return those that were not."""
    completed = set(state["completed_modules"])
    already = set(state["unlocked_milestones"])
    unlocked = []
    for milestone in registry.milestones():
        if milestone.id not in already and completed.issuperset(milestone.requires):
            state["unlocked_milestones"].append(milestone.id)
            state["timestamps"]["unlocked"][milestone.id] = now_iso()
            unlocked.append(milestone)
    return unlocked


COURSE_KEY = "course"
LEGACY_COURSE = "classic"


def recorded_course(state: dict[str, Any]) -> str | None:
    """The course a progress document belongs to: its `course`, else classic when it holds progress, else None."""
    recorded = state.get(COURSE_KEY)
    if recorded is not None:
        return recorded if isinstance(recorded, str) else repr(recorded)
    has_progress = any(state[key] for key in ("completed_modules", "unlocked_milestones", "completed_milestones"))
    return LEGACY_COURSE if has_progress else None


def _check_course(state: dict[str, Any], path: Path) -> None:
    """Refuse a document of another course with `CourseMismatchError` (one line)."""
    active = registry.active_course().name
    recorded = recorded_course(state)
    if recorded is not None and recorded != active:
        raise CourseMismatchError(messages.course_mismatch(path, recorded, active))


def milestone_status(state: dict[str, Any], milestone: Milestone) -> str:
    """"completed" once verified, else "unlocked" when every required module is complete, else "locked".

    The same rule decides whether a verification may run (`can_run_milestone`).
    """
    return _status_of(milestone, set(state["completed_milestones"]), set(state["completed_modules"]))


def _status_of(milestone: Milestone, completed_milestones: set[str], completed_modules: set[str]) -> str:
    if milestone.id in completed_milestones:
        return "completed"
    if completed_modules.issuperset(milestone.requires):
        return "unlocked"
    return "locked"


def _status_row(state: dict[str, Any], milestone: Milestone, completed_milestones: set[str],
                completed_modules: set[str]) -> dict[str, Any]:
    """One milestone's status as plain data, for views and `status --json` (the sets are the state's, made once)."""
    attempts = state["verifications"].get(milestone.id) or []
    return {
        "id": milestone.id,
        "name": milestone.name,
        "year": milestone.year,
        "title": milestone.title,
        "description": milestone.description,
        "status": _status_of(milestone, completed_milestones, completed_modules),
        "requires": list(milestone.requires),
        "met": [module for module in milestone.requires if module in completed_modules],
        "missing": [module for module in milestone.requires if module not in completed_modules],
        "test": milestone.test,
        "aliases": list(milestone.aliases),
        "unlocked_at": state["timestamps"]["unlocked"].get(milestone.id),
        "completed_at": state["timestamps"]["completed"].get(milestone.id),
        "last_verification": attempts[-1] if attempts else None,
    }


class MilestoneTracker:
    """Progress through the course's modules and milestones, kept in one progress file."""

    def __init__(self, progress_file: str | os.PathLike[str] | None = None) -> None:
        self.store = ProgressStore(progress_file)
        self.progress_file = self.store.path

    @property
    def progress(self) -> dict[str, Any]:
        """A fresh snapshot of the progress file's contents; raises `CourseMismatchError` for another course's file."""
        state = self.store.load()
        _check_course(state, self.progress_file)
        return state

    def update(self, change: Callable[[dict[str, Any]], T]) -> T:
        """Apply `change` to the progress under the store's lock, after checking (and recording) the course."""
        course = registry.active_course().name

        def checked(state: dict[str, Any]) -> T:
            _check_course(state, self.progress_file)
            if recorded_course(state) is None:  # a file with progress and no course is classic's already
                state[COURSE_KEY] = course
            return change(state)

        return self.store.update(checked)

    def mark_module_complete(self, module_name: str, console: Any = None) -> dict[str, list[str]]:
        """Record a module as complete; returns `{'newly_unlocked': ids, 'messages': texts}`.

        The name may be a short form ("01", "tensor"); the full name is recorded. With a rich
        `console`, each unlock is printed as a panel.
        """
        full_name = registry.normalize_module_name(module_name)

        def record(state: dict[str, Any]) -> list[Milestone]:
            if full_name not in state["completed_modules"]:
                state["completed_modules"].append(full_name)
                state["timestamps"]["modules"][full_name] = now_iso()
            return _newly_unlocked(state)

        unlocked = self.update(record)
        result = {
            "newly_unlocked": [milestone.id for milestone in unlocked],
            "messages": [messages.unlock_message(milestone) for milestone in unlocked],
        }
        if console is not None:
            from .console_render import print_unlock_panels

            print_unlock_panels(console, unlocked)
        return result

    def can_run_milestone(self, milestone_id: str) -> bool:
        """Whether every module `milestone_id` requires is complete."""
        return not self.missing_modules(milestone_id)

    def missing_modules(self, milestone_id: str) -> list[str]:
        """The required modules of `milestone_id` not completed yet, in requirement order."""
        milestone = registry.get_milestone(milestone_id)
        completed = set(self.progress["completed_modules"])
        return [module for module in milestone.requires if module not in completed]

    def mark_milestone_complete(self, milestone_id: str, console: Any = None) -> bool:
        """Record that `milestone_id`'s verification passed; True if it was not completed before."""
        milestone = registry.get_milestone(milestone_id)

        def complete(state: dict[str, Any]) -> bool:
            if milestone.id in state["completed_milestones"]:
                return False
            if milestone.id not in state["unlocked_milestones"]:
                state["unlocked_milestones"].append(milestone.id)
                state["timestamps"]["unlocked"][milestone.id] = now_iso()
            state["completed_milestones"].append(milestone.id)
            state["timestamps"]["completed"][milestone.id] = now_iso()
            return True

        newly_completed = self.update(complete)
        if newly_completed and console is not None:
            from .console_render import print_completion_panel

            print_completion_panel(console, milestone)
        return newly_completed

    def record_verification(self, milestone_id: str, attempt: dict[str, Any]) -> None:
        """Append one verification attempt (time, outcome, duration, metrics, ...) to the file."""
        milestone = registry.get_milestone(milestone_id)
        entry = {"time": now_iso(), **attempt}

        def record(state: dict[str, Any]) -> None:
            attempts = state["verifications"].setdefault(milestone.id, [])
            attempts.append(entry)
            del attempts[:-MAX_ATTEMPTS_KEPT]

        self.update(record)

    def status(self) -> dict[str, Any]:
        """The whole state as plain data: the course, each milestone's status, needs and last attempt, and what's next."""
        state = self.progress
        course = registry.active_course()
        milestones = registry.milestones()
        completed_milestones, completed_modules = set(state["completed_milestones"]), set(state["completed_modules"])
        rows = [_status_row(state, milestone, completed_milestones, completed_modules) for milestone in milestones]
        pending = [(milestone, row) for milestone, row in zip(milestones, rows) if row["status"] != "completed"]
        if pending:
            upcoming, row = pending[0]
            next_text = messages.next_step(upcoming, row["missing"], row["status"])
            upcoming_summary = {"id": upcoming.id, "status": row["status"], "missing": row["missing"], "text": next_text}
        else:
            next_text = messages.next_step(None, [], None)
            upcoming_summary = None
        awaiting = [row["id"] for row in rows if row["status"] == "unlocked"]
        return {
            "progress_file": str(self.progress_file),
            "progress_file_problem": self.store.problem,
            "schema_version": state["schema_version"],
            "course": course.name,
            "course_title": course.title,
            "completed_modules": list(state["completed_modules"]),
            "modules": registry.module_names(),
            "milestones": rows,
            "next": upcoming_summary,
            "next_text": next_text,
            "awaiting_verification": awaiting,
            "awaiting_text": messages.awaiting_text(awaiting, any(row["status"] == "completed" for row in rows)),
        }

    def milestone_info(self, milestone_id: str) -> dict[str, Any]:
        """One milestone as plain data (`info ID`): its status row, its aliases, the test that verifies it
        and the commands that run it; raises `UnknownMilestoneError` for an unknown id."""
        state = self.progress
        milestone = registry.get_milestone(milestone_id)
        row = _status_row(state, milestone, set(state["completed_milestones"]), set(state["completed_modules"]))
        course = registry.active_course()
        return {
            **row,
            "course": course.name,
            "course_title": course.title,
            "unlock_message": milestone.unlock_message,
            "test_file": milestone.test_file,
            "run_command": messages.cli_run_command(milestone.id),
            "magic_command": messages.magic_run_command(milestone.id),
        }

    def import_progress(self, modules: dict[str, str | None], unlocked: dict[str, str | None],
                        completed: dict[str, str | None], *, apply: bool) -> dict[str, list[str]]:
        """Merge progress known elsewhere (tito's files): full module names and milestone ids, each with
        its time (ISO text) or None for now. Adds only what is missing, so merging twice changes
        nothing; unlocks follow from the modules as always. Returns what was (or, with `apply=False`,
        would be) added: `{"modules": [...], "unlocked": [...], "completed": [...]}`.
        """
        ids = {milestone_id: registry.get_milestone(milestone_id).id for milestone_id in [*unlocked, *completed]}

        def merge(state: dict[str, Any]) -> dict[str, list[str]]:
            added: dict[str, list[str]] = {"modules": [], "unlocked": [], "completed": []}
            have = set(state["completed_modules"])
            for name, when in modules.items():
                full_name = registry.normalize_module_name(name)
                if full_name not in have:
                    have.add(full_name)
                    state["completed_modules"].append(full_name)
                    state["timestamps"]["modules"][full_name] = when or now_iso()
                    added["modules"].append(full_name)
            unlocks = {typed: unlocked.get(typed) or completed.get(typed) for typed in {**unlocked, **completed}}
            for key, source in (("unlocked", unlocks), ("completed", completed)):
                present = set(state[f"{key}_milestones"])
                for typed, when in source.items():
                    milestone_id = ids[typed]
                    if milestone_id not in present:
                        present.add(milestone_id)
                        state[f"{key}_milestones"].append(milestone_id)
                        state["timestamps"][key][milestone_id] = when or now_iso()
                        added[key].append(milestone_id)
            added["unlocked"].extend(milestone.id for milestone in _newly_unlocked(state))
            return added

        if apply:
            return self.update(merge)
        return merge(self.progress)

    def reset(self) -> Path | None:
        """Forget all progress; the previous file is kept as a backup whose path is returned."""
        return self.store.reset()

    def show_progress(self, console: Any = None) -> None:
        """Print the progress table and what's next (API.md's `show_progress`)."""
        from .console_render import print_progress

        print_progress(console, self.status())

    def list_unlocked_tests(self, console: Any = None) -> None:
        """Print the unlocked, not yet completed milestones and how to verify each."""
        from .console_render import print_unlocked_tests

        print_unlocked_tests(console, self.status())


def check_module_export(module_name: str, console: Any = None,
                        progress_file: str | os.PathLike[str] | None = None) -> dict[str, list[str]]:
    """Record that `module_name` was exported; returns `{'newly_unlocked': [...], 'messages': [...]}`.

    With a rich `console` the unlock panels are printed; without one nothing is printed.
    """
    return MilestoneTracker(progress_file).mark_module_complete(module_name, console=console)


def show_progress(console: Any = None, progress_file: str | os.PathLike[str] | None = None) -> None:
    """Print the milestone progress table."""
    MilestoneTracker(progress_file).show_progress(console)


def list_tests(console: Any = None, progress_file: str | os.PathLike[str] | None = None) -> None:
    """Print the unlocked milestone tests and how to run them."""
    MilestoneTracker(progress_file).list_unlocked_tests(console)
