"""Every sentence the instructors' service says: the class view, grading, and their commands' help.

Frontends lay these out (table, CSV, progress bar) and add no wording of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# --- finding progress files -----------------------------------------------------------------

PROGRESS_FILE_NAMES = ("progress.json", ".tinytorch/progress.json")


def path_not_found(path: Any) -> str:
    """A PATH argument that names nothing (or a glob that matches nothing)."""
    return f"no such file, folder or match: {path}"


def folder_without_progress(folder: Any) -> str:
    """A folder with no progress file in it or in any folder directly under it."""
    names = " or ".join(PROGRESS_FILE_NAMES)
    return f"no progress file in {folder} (looked for {names} there and in each folder directly under it)"


# --- a progress file's one-line problem ------------------------------------------------------

UNREAD_COUNTS_AS_NOT_DONE = "what could not be read counts as not done"


def unreadable(reason: str) -> str:
    return f"cannot read: {reason}"


def not_json(reason: str) -> str:
    return f"damaged: not JSON progress ({reason}); {UNREAD_COUNTS_AS_NOT_DONE}"


JSON_TOO_DEEP = "nested too deeply"
NOT_A_REGULAR_FILE = "cannot read: not a regular file"


def too_large(limit: int) -> str:
    return f"not a progress file: larger than {limit // (1024 * 1024)} MB"


def cache_unwritable(cache: Any, reason: str) -> str:
    return f"grading cache {cache} could not be written ({reason}); grading goes on without caching"


def cache_not_a_file(cache: Any) -> str:
    return f"the cache path {cache} is not a file; choose another --cache"


def json_error(problem: str, line: int, column: int) -> str:
    return f"{problem} at line {line} column {column}"


def not_utf8(position: int) -> str:
    return f"damaged: not UTF-8 text at byte {position}; {UNREAD_COUNTS_AS_NOT_DONE}"


def foreign_file(found: str) -> str:
    return f"not a progress file: {found}"


FOREIGN_NOT_OBJECT = "a JSON {kind}, not an object"
FOREIGN_NO_KEYS = "none of the keys completed_modules, unlocked_milestones, completed_milestones"
DAMAGED_FIELDS = f"damaged: some fields could not be read; {UNREAD_COUNTS_AS_NOT_DONE}"


def foreign_not_object(kind: str) -> str:
    return foreign_file(FOREIGN_NOT_OBJECT.format(kind=kind))


# --- the class table ----------------------------------------------------------------------

COLUMN_STUDENT = "Student"
COLUMN_MODULES = "Modules"
COLUMN_LAST_VERIFICATION = "Last verification"
COLUMN_PROBLEM = "Problem"
COLUMN_PATH = "Path"
TOTALS = "Completed"
CLASS_TITLE = "Class progress ({count} students)"
STATE_MARKS = {"completed": "✔", "unlocked": "○", "locked": "·"}
STATE_LEGEND = "✔ completed   ○ unlocked, not verified   · locked"


def modules_done(done: int, total: int) -> str:
    return f"{done}/{total}"


def last_verification(milestone_id: str, outcome: str, at: str | None) -> str:
    return f"{milestone_id} {outcome}" + (f" ({at})" if at else "")


def totals_cell(count: int, students: int) -> str:
    return f"{count}/{students}"


# --- the class chart ------------------------------------------------------------------------

CHART_PER_STUDENT_TITLE = "Milestones completed per student"
CHART_PER_MILESTONE_TITLE = "Students who completed each milestone"
CHART_MILESTONES_AXIS = "milestones completed"
CHART_STUDENTS_AXIS = "students"
CHART_HISTOGRAM_TITLE = "Students by milestones completed"
CHART_NEEDS_MATPLOTLIB = "The chart needs matplotlib: pip install 'tinytorch-milestones[instructors]'"


# --- grading ------------------------------------------------------------------------------

GRADE_TITLE = "Grading ({count} submissions)"
COLUMN_CLAIMED = "claimed"
COLUMN_VERIFIED = "verified"
COLUMN_REASON = "reason"
VERIFIED_MARKS = {True: "✔ verified", False: "✘ failed", None: "– not run"}
CLAIM_MARKS = {True: "claimed", False: "not claimed"}
DISAGREES = "claimed but not verified"

NOT_RUN_INTERRUPTED = "not run: grading was interrupted"
NOT_RUN_CANCELLED = "not run: the executor cancelled it"
NO_PACKAGE = "no tinytorch/ package in the submission"


def not_run_locked(missing: Sequence[str]) -> str:
    return f"not run: locked in the submission's progress file (missing {', '.join(missing)})"


def verification_failed(outcome: str, message: str | None) -> str:
    """A failed cell's one-line reason: the verification's outcome and the first line of its message."""
    first_line = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
    text = f"{outcome}: {first_line}" if first_line else outcome
    return text if len(text) <= 300 else text[:297] + "..."


def cell_crashed(returncode: int | None, detail: str) -> str:
    detail = detail.strip().splitlines()[-1] if detail.strip() else ""
    return f"error: the grading process ended with exit code {returncode}" + (f" ({detail[:200]})" if detail else "")


def cell_hung(seconds: float) -> str:
    return f"timeout: the grading process did not finish within {seconds:g} s and was stopped"


def cell_failed_to_start(reason: str) -> str:
    return f"error: could not start the grading process: {reason}"


def executor_failed(error: BaseException) -> str:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"not run: the executor failed ({type(error).__name__}{': ' + detail[:200] if detail else ''})"


def submission_not_found(path: Any) -> str:
    return f"submission is not a folder: {path}"


def cache_inside_submission(cache: Any, submission: Any) -> str:
    return f"the cache file {cache} would be inside the submission {submission}; choose another --cache"


def cache_unreadable(cache: Any, reason: str) -> str:
    return f"grading cache {cache} could not be read ({reason}); grading everything again"


CACHE_NOT_OURS = "not a grading cache of this version"


def bad_executor(url: str) -> str:
    return f"unknown executor {url!r}: use dask://HOST:PORT (or leave it out for a local process pool)"


def executor_unreachable(url: str, reason: str) -> str:
    return f"cannot reach the executor at {url}: {reason}"


def dask_missing(url: str) -> str:
    return f"--executor {url} needs Dask's distributed scheduler: pip install 'tinytorch-milestones[instructors]'"


def bad_jobs(value: Any) -> str:
    return f"--jobs must be a whole number of at least 1, not {value!r}"


def bad_memory(value: Any, minimum_bytes: int, maximum_bytes: int) -> str:
    """A memory limit (in bytes) that is not a whole number between the bounds."""
    mb = 1024 * 1024
    shown = f"{value / mb:g} MB" if isinstance(value, (int, float)) and not isinstance(value, bool) else repr(value)
    return (f"the memory limit (--memory-mb) must be a whole number from {minimum_bytes // mb} "
            f"to {maximum_bytes // mb} MB, not {shown}")


def timeout_too_long(value: float, maximum_s: float) -> str:
    return f"the timeout (--timeout) must be at most {maximum_s:g} seconds, not {value:g}"


def unknown_milestones(values: Sequence[str], valid: Sequence[str]) -> str:
    return f"unknown milestone {', '.join(values)}; valid milestones are: {', '.join(valid)}"


# progress bar fields (the frontend lays them out)
PROGRESS_DESCRIPTION = "Grading"
PROGRESS_STUDENTS = "students {done}/{total}"
PROGRESS_CELLS = "milestones {done}/{total}"
PROGRESS_FAILURES = "failures {count}"
PROGRESS_CACHED = "from cache {count}"
GRADING_INTERRUPTED = "Grading interrupted: what finished is kept (and cached); the rest is marked not run."


def grading_summary(cells: int, ran: int, cached: int, failures: int, disagreements: int) -> str:
    return (f"{cells} milestone checks: {ran} run, {cached} from cache; {failures} not verified; "
            f"{disagreements} claimed but not verified")


# --- command help -------------------------------------------------------------------------

ARG_HELP_CLASS_PATHS = ("progress files, folders or globs (e.g. '/home/*/.tinytorch/progress.json'); "
                        "a folder means its progress file, or those of the folders directly under it")
ARG_HELP_CSV = "print CSV (one row per student) for a gradebook"
ARG_HELP_JSON = "print JSON (a list with one object per student)"
ARG_HELP_SUBMISSIONS = ("submission folders (each with tinytorch/ and optionally progress.json or "
                        ".tinytorch/progress.json), or globs")
ARG_HELP_JOBS = "grading processes at once on this machine (default: {default})"
ARG_HELP_EXECUTOR = "run on a Dask cluster instead: dask://HOST:PORT (a running scheduler)"
ARG_HELP_TIMEOUT = "seconds each verification may take (default: {default:g})"
ARG_HELP_MEMORY = "memory limit of each verification in MB (address space; default: {default})"
ARG_HELP_MILESTONE = "grade only this milestone (repeat for several; default: all)"
ARG_HELP_CACHE = ("the grading cache file (default: .tinytorch-grading-cache.json in the folder holding "
                  "the submissions; never inside a submission)")
ARG_HELP_NO_CHART = "show the table only, without the chart"
