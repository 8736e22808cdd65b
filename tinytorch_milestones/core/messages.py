"""Every sentence the product says to a person, in one place: this package (export.py and verify.py hold
the export and verification wording).

Frontends (CLI, magics, widgets, tito) render these texts; none of them words a message itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registry import Milestone

UNLOCK_HEADER = "🔓 MILESTONE UNLOCKED!"
COMPLETED_HEADER = "🏆 MILESTONE COMPLETED!"
PROGRESS_TITLE = "🎯 TinyTorch Milestone Progress"
NEXT_TITLE = "📍 What's Next?"
UNLOCKED_TESTS_TITLE = "🔓 Unlocked Milestone Tests:"
NOTHING_UNLOCKED = "No milestones unlocked yet. Complete more modules!"
NOTHING_PENDING = "No unlocked milestone is waiting for verification. Complete more modules!"
ALL_DONE = "Every milestone is completed. Your tinytorch really learns. 🎓"
COMPLETED_BODY = "You've successfully verified that your implementation works!\nYour neural network actually learns. 🎓"

STATUS_LABELS = {"locked": "Locked", "unlocked": "Unlocked", "completed": "Completed"}
STATUS_ICONS = {"locked": "🔒", "unlocked": "🔓", "completed": "✅"}


def quoted_list(values: Sequence[str]) -> str:
    """Names joined by commas, or "(none)"; every message that lists names uses this."""
    return ", ".join(values) if values else "(none)"


def _did_you_mean(close: Sequence[str]) -> str:
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


# --- commands -----------------------------------------------------------------

def cli_run_command(milestone_id: str) -> str:
    """The terminal command that verifies a milestone."""
    return f"tinytorch-milestones run {milestone_id}"


def magic_run_command(milestone_id: str) -> str:
    """The notebook command that verifies a milestone."""
    return f"%milestones run {milestone_id}"


# --- unlocks, completions, progress ------------------------------------------

def status_text(status: str) -> str:
    """A status readable without colour or emoji, with its icon in front ("🔓 Unlocked")."""
    return f"{STATUS_ICONS[status]} {STATUS_LABELS[status]}"


def requirements_text(met: int, total: int) -> str:
    """How many required modules are done ("3/4 modules")."""
    return f"{met}/{total} modules"


def unlock_message(milestone: Milestone) -> str:
    """The text `check_module_export` returns for a newly unlocked milestone (API.md's format)."""
    return (
        f"{UNLOCK_HEADER}\n\n"
        f"{milestone.name}\n"
        f"{milestone.description}\n\n"
        f"{milestone.unlock_message}\n\n"
        f"Run: {cli_run_command(milestone.id)}\n"
        f"In a notebook: {magic_run_command(milestone.id)}"
    )


def completion_message(milestone: Milestone) -> str:
    """The text shown once a milestone's verification has passed."""
    return f"{COMPLETED_HEADER}\n\n{milestone.name}\n\n{COMPLETED_BODY}"


def next_step(milestone: Milestone | None, missing: Sequence[str], status: str | None) -> str:
    """One line saying what to do next: the nearest milestone and what it needs."""
    if milestone is None:
        return ALL_DONE
    if status == "unlocked":
        return f"Next: verify {milestone.name} with {magic_run_command(milestone.id)} (or {cli_run_command(milestone.id)})."
    return f"Next: {milestone.name} needs {quoted_list(missing)}."


def awaiting_text(awaiting: Sequence[str], any_completed: bool) -> str:
    """The heading of the list of milestones waiting for verification, or why the list is empty."""
    if awaiting:
        return UNLOCKED_TESTS_TITLE
    return NOTHING_PENDING if any_completed else NOTHING_UNLOCKED


def module_recorded(module_name: str, newly_unlocked: Sequence[str]) -> str:
    """Confirmation after a module is recorded as complete."""
    if newly_unlocked:
        return f"Recorded {module_name} as complete; unlocked: {quoted_list(newly_unlocked)}."
    return f"Recorded {module_name} as complete."


def milestone_locked(milestone: Milestone, missing: Sequence[str]) -> str:
    """Why a locked milestone cannot be verified yet."""
    return (
        f"{milestone.name} is locked: complete {quoted_list(missing)} first "
        f"(or pass --force to run its verification anyway)."
    )


def progress_reset(path: Any, backup: Any) -> str:
    """Confirmation after `reset`, naming where the old progress was kept."""
    if backup is None:
        return f"Progress reset ({path} had no progress to keep)."
    return f"Progress reset; the previous progress is kept at {backup}."


RESET_PROMPT = "Reset all milestone progress in {path}? [y/N] "
YES_ANSWERS = ("y", "yes")
RESET_CANCELLED = "Reset cancelled; nothing changed."
INTERRUPTED = "Interrupted; nothing more was changed."
RESET_NEEDS_YES = "reset: no terminal to ask on; pass --yes to reset without asking."


# --- the progress file --------------------------------------------------------

def corrupt_progress_file(path: Any, reason: str, backup: Any) -> str:
    """One line telling the user their damaged progress file was kept, not lost."""
    return (
        f"tinytorch-milestones: {path} could not be read as progress ({reason}); its bytes are kept at "
        f"{backup}; what could not be read counts as not done, and the next change rewrites the file."
    )


def progress_not_an_object(found: str) -> str:
    return f"expected a JSON object, found {found}"


def progress_field_not_names(key: str) -> str:
    return f"{key!r} is not a list of names"


def progress_field_not_object(key: str) -> str:
    return f"{key!r} is not an object of the expected form"


def progress_not_utf8(position: int) -> str:
    return f"not UTF-8 text at byte {position}"


def progress_invalid_json(line: int, column: int, problem: str) -> str:
    return f"invalid JSON at line {line} column {column}: {problem}"


def progress_file_unkept(path: Any, problem: str, reason: str) -> str:
    """A damaged progress file whose bytes could not be copied aside: nothing is touched."""
    return f"cannot read progress file {path}: {problem}; and its bytes could not be kept aside: {reason}"


def progress_file_unreadable(path: Any, reason: str) -> str:
    """The progress file exists but the operating system will not let us read it."""
    return f"cannot read progress file {path}: {reason}"


def progress_file_unwritable(path: Any, reason: str) -> str:
    """The progress file cannot be written; nothing was changed."""
    return f"cannot write progress file {path}: {reason}; nothing was changed"


def progress_file_locked(path: Any, seconds: float) -> str:
    """Another process has held the progress lock for too long."""
    return f"progress file {path} stayed locked by another process for {seconds:g} s; nothing was changed"


# --- bad input ----------------------------------------------------------------

def unknown_milestone(value: Any, close: Sequence[str], valid: Sequence[str]) -> str:
    """An id that names no milestone."""
    return f"unknown milestone {value!r}.{_did_you_mean(close)} Valid milestones: {quoted_list(valid)}"


def module_name_not_text(value: Any) -> str:
    """A module name that is not a string at all."""
    return f"module name must be text, got {type(value).__name__} {value!r}"


def malformed_module_name(value: str, problem: str, valid: Sequence[str]) -> str:
    """A module name that cannot be a module name (empty, a path, control characters, too long)."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    return f"invalid module name {shown!r}: {problem}. Valid modules: {quoted_list(valid)}"


NAME_EMPTY = "it is empty"
NAME_HAS_PATH_SEPARATOR = "it contains a path separator"
NAME_HAS_CONTROL_CHARACTER = "it contains a control character"
NAME_HAS_WHITESPACE = "it contains whitespace"


def name_too_long(length: int, limit: int) -> str:
    return f"it is {length} characters long (at most {limit})"


def unknown_module_name(value: str, close: Sequence[str], valid: Sequence[str]) -> str:
    """A well-formed module name that the course does not have."""
    return f"unknown module {value!r}.{_did_you_mean(close)} Valid modules: {quoted_list(valid)}"


# --- milestone definitions (for course maintainers) ---------------------------

def definition_not_a_dict(milestone_id: str) -> str:
    return f"milestone {milestone_id!r}: its definition must be a dict of fields"


def definition_missing_field(milestone_id: str, field: str) -> str:
    return f"milestone {milestone_id!r}: missing field {field!r}"


def definition_bad_text(milestone_id: str, field: str, value: Any) -> str:
    return f"milestone {milestone_id!r}: field {field!r} must be non-empty text, got {value!r}"


def definition_empty_requires(milestone_id: str, value: Any) -> str:
    return f"milestone {milestone_id!r}: field 'requires' must be a non-empty list of module names, got {value!r}"


def definition_bad_module(milestone_id: str, module: Any) -> str:
    return (
        f"milestone {milestone_id!r}: field 'requires' has {module!r}, "
        f"which is not a module name like '01_tensor'"
    )


def definition_duplicate_module(milestone_id: str, module: str) -> str:
    return f"milestone {milestone_id!r}: field 'requires' lists {module!r} twice"


def definition_shared_number(first: str, second: str) -> str:
    return f"modules {first!r} and {second!r} share a number, so a short form like '{first.split('_')[0]}' would be ambiguous"


def definition_shared_short_name(first: str, second: str) -> str:
    return f"modules {first!r} and {second!r} share a name, so a short form like '{first.split('_', 1)[1]}' would be ambiguous"


def definition_bad_order_entry(value: Any) -> str:
    return f"MILESTONE_ORDER has {value!r}, which is not a milestone id"


def definition_duplicate_id(milestone_id: str) -> str:
    return f"MILESTONE_ORDER lists milestone {milestone_id!r} twice"


def definition_not_in_dict(milestone_id: str) -> str:
    return f"MILESTONE_ORDER lists milestone {milestone_id!r}, which MILESTONES does not define"


# --- commands: the notebook extension and the command line --------------------

MAGIC = "%milestones"
MAGIC_SUMMARY = "TinyTorch milestones in the notebook: progress, unlocks, verification and export."
MAGIC_USAGE = "%milestones COMMAND [options]      (no COMMAND: progress)"
MAGIC_COMMANDS_TITLE = "Commands:"
MAGIC_DETAILS = "Details of one command: %milestones help COMMAND, or %milestones COMMAND --help."

# What each subcommand and argument does: one wording for the magic and the CLI (`_CLI`: where the CLI differs).
COMMAND_HELP = {
    "list": "list the unlocked milestones waiting for verification",
    "status": "show every milestone's state in detail (--json: the raw data)",
    "complete": "record modules as complete and show any unlocks",
    "run": "verify a milestone: run its learning test with live output and record the result",
    "reset": "forget all progress (the old file is kept as a backup)",
}
MAGIC_COMMAND_HELP = {
    "progress": "show the milestone progress; the view updates itself when progress changes",
    **COMMAND_HELP,
    "export": "export this notebook into the tinytorch package, record the module, show any unlocks",
    "help": "show this overview, or one command's help",
}
CLI_COMMAND_HELP = {
    "progress": "show the milestone progress table",
    **COMMAND_HELP,
    "export": "export a module's notebook into the tinytorch package, record the module, show any unlocks",
}
CLI_DESCRIPTION = "TinyTorch milestones: progress, unlocks, verification and export."


def cli_error(problem: Any) -> str:
    """A command-line error in argparse's form, for stderr; the CLI then exits 2."""
    return f"tinytorch-milestones: error: {problem}"


ARG_HELP_COMMAND = "the command to explain"
ARG_HELP_JSON = "print the whole state as JSON"
ARG_HELP_MODULE_CLI = "module name: 01_tensor, or a short form such as 01, 1 or tensor"
ARG_HELP_MODULE = f"{ARG_HELP_MODULE_CLI} (Tab completes)"
ARG_HELP_MILESTONE = "milestone id, e.g. perceptron (Tab completes)"
ARG_HELP_FORCE = "run the verification even if the milestone is still locked"
ARG_HELP_IN_KERNEL = "run the test inside this kernel (for tests defined in the notebook) instead of a fresh process"
ARG_HELP_TIMEOUT = "stop the verification after S seconds"
ARG_HELP_NOTEBOOK = "the notebook to export (default: this notebook, as last saved)"
ARG_HELP_NOTEBOOK_CLI = "the notebook to export (default: the only .ipynb in this folder)"
ARG_HELP_PACKAGE_ROOT = "the folder that holds (or will hold) tinytorch/ (default: found from the notebook's folder)"
ARG_HELP_EXPORT_MODULE = "the course module to record (default: from the notebook's metadata or file name)"
ARG_HELP_YES = "reset without asking"
ARG_HELP_PROGRESS_FILE = "progress file to use (default: $TINYTORCH_HOME/progress.json or ~/.tinytorch/progress.json)"

# --- notebook views -----------------------------------------------------------

BUTTON_VERIFY = "Verify"
BUTTON_VERIFYING = "Verifying…"
LABEL_RUN_VERIFICATION = "Run the verification:"
LABEL_IN_TERMINAL = "In a terminal:"
LABEL_IN_NOTEBOOK = "In a notebook:"
LABEL_PROGRESS_FILE = "Progress file"
LABEL_COMPLETED_MODULES = "Completed modules"
STATUS_TITLE = "🗂️ TinyTorch Milestone Status"
TABLE_HEADERS = ("Milestone", "Status", "Requirements", "Missing")
LIVE_REFRESH = "refreshing the milestone views"
VERIFY_INTERRUPTED = "Verification interrupted; nothing was recorded."
VERIFY_LOG_TITLE = "Output and details of the last run"


def unknown_magic_command(command: str, valid: Sequence[str]) -> str:
    """A `%milestones` subcommand that does not exist (jupysql's wording)."""
    return f"%milestones has no command {command!r}. Valid commands are: {quoted_list(valid)}"


def magic_usage_error(prog: str, problem: str) -> str:
    """A subcommand's arguments did not parse; `problem` is argparse's own one-line reason."""
    return f"{prog}: {problem}"


def magic_unsplittable_line(problem: str) -> str:
    """The magic's line cannot be split into arguments (an unclosed quote)."""
    return f"%milestones: cannot split the arguments: {problem}"


def verify_tooltip(milestone_id: str) -> str:
    """What the Verify button does, as the command it stands for."""
    return f"Runs {magic_run_command(milestone_id)}"


def missing_modules_text(missing: Sequence[str]) -> str:
    """The modules a milestone still needs, or nothing when none are missing."""
    return f"needs {quoted_list(missing)}" if missing else ""


def status_header_lines(progress_file: Any, completed_modules: Sequence[str]) -> list[str]:
    """The lines above the status view's table: where progress is kept and which modules are done."""
    return [
        f"{LABEL_PROGRESS_FILE}: {progress_file}",
        f"{LABEL_COMPLETED_MODULES}: {quoted_list(completed_modules)}",
    ]


def unlocked_at_text(when: str) -> str:
    return f"unlocked {when}"


def completed_at_text(when: str) -> str:
    return f"completed {when}"


def last_verification_text(attempt: dict[str, Any]) -> str:
    """The latest verification attempt in a few words ("last verification: failed, 2025-01-01T10:00:00+00:00")."""
    outcome = attempt.get("outcome", "unknown")
    when = attempt.get("time")
    return f"last verification: {outcome}, {when}" if when else f"last verification: {outcome}"


def hook_failed(what: str, error: BaseException) -> str:
    """Background work of the extension failed; shown once per kind of failure, never as a traceback."""
    return (
        f"tinytorch-milestones: {what} failed ({type(error).__name__}: {error}); "
        f"your cells are unaffected, and this is reported only once."
    )
