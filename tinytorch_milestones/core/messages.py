"""Every sentence the product says to a person, in one place: this package (export.py and verify.py hold
the export and verification wording).

Frontends (CLI, magics, widgets, tito) render these texts; none of them words a message itself.
"""

from __future__ import annotations

from collections.abc import Sequence
TYPE_CHECKING = False  # typing costs a fresh process ~10 ms; annotations are strings here
if TYPE_CHECKING:
    from typing import Any
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

TERMINAL, NOTEBOOK = "terminal", "notebook"


def cli_run_command(milestone_id: str) -> str:
    """The terminal command that verifies a milestone."""
    return f"tinytorch-milestones run {milestone_id}"


def magic_run_command(milestone_id: str) -> str:
    """The notebook command that verifies a milestone."""
    return f"%milestones run {milestone_id}"


def run_command(milestone_id: str, where: str) -> str:
    """The command that verifies a milestone where the user is: `TERMINAL` or `NOTEBOOK`."""
    return cli_run_command(milestone_id) if where == TERMINAL else magic_run_command(milestone_id)


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


def next_step(milestone: Milestone | None, missing: Sequence[str], status: str | None, where: str | None = None) -> str:
    """One line saying what to do next: the nearest milestone and what it needs.

    `where` (`TERMINAL` or `NOTEBOOK`) names only that place's command; None names both.
    """
    if milestone is None:
        return ALL_DONE
    if status == "unlocked":
        if where is not None:
            return f"Next: verify {milestone.name} with {run_command(milestone.id, where)}."
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


def progress_not_utf8(position: int, dropped: int | None = None) -> str:
    found = f"not UTF-8 text at byte {position}"
    return found if dropped is None else f"{found}; the {dropped} value(s) holding such bytes were left out"


def progress_invalid_json(line: int, column: int, problem: str) -> str:
    return f"invalid JSON at line {line} column {column}: {problem}"


def progress_unparseable(problem: str) -> str:
    return f"the JSON parser could not take it ({problem})"


def progress_too_deep(levels: int, dropped: int) -> str:
    return f"nested more than {levels} levels deep; the {dropped} value(s) below that depth were left out"


PROGRESS_PARSER_TOO_DEEP = "nested too deeply"

PROGRESS_WAY_OUT = "to keep progress elsewhere, set TINYTORCH_HOME to a folder on a local disk you can write to"


def progress_file_unkept(path: Any, problem: str, reason: str) -> str:
    """A damaged progress file whose bytes could not be copied aside: nothing is touched."""
    return f"cannot read progress file {path}: {problem}; and its bytes could not be kept aside: {reason}"


def progress_file_unreadable(path: Any, reason: str) -> str:
    """The progress file exists but the operating system will not let us read it."""
    return f"cannot read progress file {path}: {reason}"


NOT_A_REGULAR_FILE = (
    "it is not a regular file (a device, a pipe or a folder); point --progress-file or TINYTORCH_HOME at a file"
)
LOCK_NOT_A_REGULAR_FILE = "it is not a regular file (a symbolic link, a pipe, a device or a folder), so remove it"


def progress_file_unwritable(path: Any, reason: str) -> str:
    """The progress file cannot be written; nothing was changed."""
    return f"cannot write progress file {path}: {reason}; nothing was changed ({PROGRESS_WAY_OUT})"


def progress_file_unlockable(path: Any, lock_path: Any, reason: str) -> str:
    """The lock beside the progress file cannot be taken (permissions, a file system without locks...)."""
    return f"cannot lock progress file {path} (lock {lock_path}): {reason}; nothing was changed ({PROGRESS_WAY_OUT})"


def progress_file_locked(path: Any, seconds: float) -> str:
    """Another process has held the progress lock for too long."""
    return f"progress file {path} stayed locked by another process for {seconds:g} s; nothing was changed"


def progress_file_newer(path: Any, found: Any, supported: int) -> str:
    """The progress file was written by a newer version: it is read, never rewritten."""
    return (
        f"progress file {path} was written by a newer version of tinytorch-milestones (schema_version {found!r}; "
        f"this version writes {supported}): upgrade tinytorch-milestones to change it; nothing was changed"
    )


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


def definition_bad_aliases(milestone_id: str, value: Any) -> str:
    return f"milestone {milestone_id!r}: field 'aliases' must be a list of ids without spaces or slashes, got {value!r}"


def definition_bad_year(milestone_id: str, value: Any) -> str:
    return f"milestone {milestone_id!r}: field 'year' must be a year such as 1957, got {value!r}"


def definition_ambiguous_id(typed: str, first: str, second: str) -> str:
    return f"milestones {first!r} and {second!r} both answer to {typed!r} (an id, a number or an alias): give each its own"


# --- courses -----------------------------------------------------------------

COURSE_NEEDS_NAME = "it needs a [course] table with a non-empty name"
COURSE_NEEDS_MODULES = "it needs at least one [[modules]] entry"
COURSE_NEEDS_MILESTONES = "it needs at least one [[milestones]] entry"
COURSE_INFO_LABELS = {
    "course": "Course", "id": "Id", "aliases": "Also", "year": "Year", "status": "Status",
    "requires": "Requires", "missing": "Missing", "test": "Verification", "run": "Run",
}


def bad_course_file(path: Any, problem: str) -> str:
    """A course file that is not a valid course: the file, then what is wrong."""
    return f"course file {str(path)!r}: {problem}"


def course_file_unreadable(path: Any, reason: str) -> str:
    return f"course file {str(path)!r} cannot be read: {reason}"


def course_file_not_toml(path: Any, reason: str) -> str:
    return f"course file {str(path)!r} is not valid TOML: {reason}"


def course_unknown_key(key: str, valid: Sequence[str]) -> str:
    return f"unknown key {key!r}; valid keys: {quoted_list(valid)}"


def course_bad_value(key: str, value: Any) -> str:
    return f"{key!r} has {value!r}, which is not valid there"


def course_bad_module_entry(position: int, entry: Any) -> str:
    return f"[[modules]] entry {position} must have exactly 'name' and 'exports', got {entry!r}"


def course_bad_module_name(position: int, name: Any) -> str:
    return f"[[modules]] entry {position} has name {name!r}, which is not a module name like '01_tensor'"


def course_bad_exports(module: str, exports: Any) -> str:
    return f"module {module!r}: 'exports' must be a dotted module path like 'tinytorch.core.tensor', got {exports!r}"


def course_milestone_needs_id(position: int) -> str:
    return f"[[milestones]] entry {position} needs a non-empty text 'id'"


def course_milestone_unknown_key(milestone_id: str, key: str, valid: Sequence[str]) -> str:
    return f"milestone {milestone_id!r}: unknown field {key!r}; valid fields: {quoted_list(valid)}"


def course_requires_unknown_module(milestone_id: str, module: str, valid: Sequence[str]) -> str:
    return f"milestone {milestone_id!r} requires {module!r}, which is not one of the course's modules: {quoted_list(valid)}"


def course_bad_contract_entry(name: str, entry: Any) -> str:
    return f"contract {name!r} must be {{ modules = [dotted module paths], export = module name }}, got {entry!r}"


def course_contract_unknown_module(name: str, module: Any, valid: Sequence[str]) -> str:
    return f"contract {name!r} exports from {module!r}, which is not one of the course's modules: {quoted_list(valid)}"


def course_name_reserved(name: str, shipped: Sequence[str]) -> str:
    return f"the name {name!r} belongs to a shipped course ({quoted_list(shipped)}): give your course its own name"


def unknown_course(value: str, origin: str, shipped: Sequence[str]) -> str:
    """A course name or path that names no course; `origin` says where it was given."""
    where = "" if origin == "default" else f" (from {origin})"
    return f"unknown course {value!r}{where}: valid courses are {quoted_list(shipped)}, or a path to a course file (.toml)"


def course_setting_unreadable(path: Any, reason: str) -> str:
    return f"cannot read the course setting in {str(path)!r}: {reason}"


def course_setting_not_text(path: Any, value: Any) -> str:
    return f"{str(path)!r}: 'course' must be a course name or a path, got {value!r}"


def course_mismatch(path: Any, recorded: str, active: str) -> str:
    """The progress file belongs to another course: say both, and the two ways out."""
    return (
        f"progress file {str(path)!r} belongs to course {recorded!r}, but the active course is {active!r}: "
        f"choose course {recorded!r} (--course, TINYTORCH_COURSE or the project's setting), "
        f"or use another progress file (--progress-file or TINYTORCH_HOME)"
    )


def course_line(name: str, title: str) -> str:
    """Which course is active, for `info` and `status`."""
    return f"{title} ({name})" if title != name else name


ARG_HELP_TITO_PROJECT = "tito's project folder (default: the working folder); its .tito/ folder and progress.json are read"
ARG_HELP_APPLY = "write the merge (without it, only show what would change)"
ARG_HELP_COURSE = "the course: classic, tinytorch, or a path to a course file (default: the project's setting, else classic)"
ARG_HELP_MILESTONE_INFO = "milestone id, number or alias (e.g. 03, 3 or mlp in the tinytorch course)"
TITO_COMMAND_DESCRIPTION = "TinyTorch milestones: progress, unlocks and verification, shared with notebooks."


def tito_hook_failed(module: Any, problem: Any) -> str:
    """`module_completed` could not record a module: one line, and tito goes on."""
    return (f"milestones: could not record module {str(module)!r} ({problem}); your module is complete, "
            f"and `tinytorch-milestones import-tito` can record it later")


# --- commands: the notebook extension and the command line --------------------

PROG = "tinytorch-milestones"
MAGIC = "%milestones"
MAGIC_SUMMARY = "TinyTorch milestones in the notebook: progress, unlocks, verification and export."
MAGIC_USAGE = "%milestones COMMAND [options]      (no COMMAND: progress)"
MAGIC_COMMANDS_TITLE = "Commands:"
MAGIC_DETAILS = "Details of one command: %milestones help COMMAND, or %milestones COMMAND --help."
CLI_DESCRIPTION = "TinyTorch milestones: progress, unlocks, verification and export."
CLI_EPILOG = (
    "Details of one command: tinytorch-milestones help COMMAND, or tinytorch-milestones COMMAND --help. "
    "Exit codes: 0 ok, 1 a verification did not pass, 2 bad usage or input, 3 an unexpected error "
    "(--debug shows its traceback), 130 interrupted."
)

# What each command does: one wording for the magic and the command line.
COMMAND_HELP = {
    "progress": "show the milestone progress (in a notebook the view updates itself; --json: the raw data)",
    "list": "list the unlocked milestones waiting for verification (--json: the raw data)",
    "status": "show every milestone's state in detail (--json: the raw data)",
    "complete": "record modules as complete and show any unlocks",
    "run": "verify a milestone: run its learning test with live output and record the result",
    "export": "export a notebook into the tinytorch package, record its module, show any unlocks",
    "reset": "forget all progress (the old file is kept as a backup)",
    "class": "show a class's progress from many progress files (a table, a chart in a notebook, CSV or JSON)",
    "grade": "re-verify submissions' milestones in isolated processes and compare with what each claims",
    "info": "show one milestone: what it needs, how it is verified, and its state",
    "import-tito": "merge tito's progress files into the progress file (a dry run unless --apply)",
    "help": "show the overview of commands, or one command's help",
}

ARG_HELP_COMMAND = "the command to explain"
ARG_HELP_JSON = "print the whole state as JSON"
ARG_HELP_MODULE = "module name: 01_tensor, or a short form such as 01, 1 or tensor"
ARG_HELP_MILESTONE = "milestone id, e.g. perceptron"
ARG_HELP_FORCE = "run the verification even if the milestone is still locked"
ARG_HELP_IN_KERNEL = "run the test inside this process (for tests defined in the notebook) instead of a fresh one"
ARG_HELP_TIMEOUT = "stop the verification after S seconds (default: the runner's limit)"
ARG_HELP_PROJECT_DIR = "the project folder holding tinytorch/ (default: the nearest such folder upwards from here)"
ARG_HELP_NOTEBOOK = (
    "the notebook to export (default: the notebook this kernel runs, "
    "else the only .ipynb in the working folder); quote a path with spaces"
)
ARG_HELP_PACKAGE_ROOT = "the folder that holds (or will hold) tinytorch/ (default: found from the notebook's folder)"
ARG_HELP_EXPORT_MODULE = "the course module to record (default: from the notebook's metadata or file name)"
ARG_HELP_YES = "reset without asking"
ARG_HELP_PROGRESS_FILE = "progress file to use (default: $TINYTORCH_HOME/progress.json or ~/.tinytorch/progress.json)"
ARG_HELP_DEBUG = "show the full traceback of an unexpected error"


def cli_error(problem: Any) -> str:
    """A command-line error in argparse's form, for stderr; the CLI then exits 2."""
    return f"{PROG}: error: {problem}"


def usage_error(prog: str, problem: str) -> str:
    """A command line argparse could not parse, in one line (`prog` is "tinytorch-milestones complete", ...)."""
    return f"{prog}: error: {problem} (see {prog} --help)"


def unknown_command(command: str, close: Sequence[str], valid: Sequence[str]) -> str:
    """A command name that does not exist, in the CLI or after `%milestones`."""
    return f"unknown command {command!r}.{_did_you_mean(close)} Valid commands: {quoted_list(valid)}"


def unexpected_error_cli(error: BaseException) -> str:
    """An error the command line did not expect: one line, for stderr; the CLI then exits 3."""
    return f"{PROG}: unexpected error: {type(error).__name__}: {error} (--debug shows the traceback)"


def unexpected_error_magic(error: BaseException) -> str:
    """An error a `%milestones` command did not expect: one line; `%tb` shows the traceback."""
    return f"{MAGIC}: unexpected error: {type(error).__name__}: {error} (%tb shows the traceback)"


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
