"""Tab completion for `%milestones`: subcommands, their options, milestone ids and module names.

A matcher of IPython's completion API v2, added to and removed from `shell.Completer.custom_matchers`.
"""

from __future__ import annotations

import re

from IPython.core.completer import CompletionContext, SimpleCompletion, SimpleMatcherResult, context_matcher

from ...core import registry
from ...core.errors import MilestoneError
from ..commands import COMMAND, COMMANDS, MILESTONE, MODULE, PATH, Arg, Command

MATCHER_ID = "tinytorch_milestones.magic"
_MAGIC_LINE = re.compile(r"^\s*%milestones\s")
_HELP_OPTIONS = ("--help", "-h")


def _modules_matching(prefix: str) -> list[str]:
    """Full module names whose full name, number or short name starts with `prefix`."""
    key = prefix.lower()
    return [module.full_name for module in registry.course_modules()
            if module.full_name.startswith(key) or module.short_name.startswith(key) or str(module.number) == key]


def _values(completes: str | None, current: str) -> list[str] | None:
    """What Tab offers for a value of kind `completes`; None means a path (the file matcher answers)."""
    if completes == PATH:
        return None
    if completes == MODULE:
        return _modules_matching(current)
    if completes == MILESTONE:
        return [milestone_id for milestone_id in registry.milestone_ids() if milestone_id.startswith(current)]
    if completes == COMMAND:
        return [name for name in COMMANDS if name.startswith(current)]
    return []


def _options(command: Command) -> list[str]:
    """Every option of `command`, long forms first."""
    options = [name for argument in command.arguments if argument.is_option for name in argument.names]
    return sorted([*options, *_HELP_OPTIONS], key=lambda option: (not option.startswith("--"), option))


def _takes_value(argument: Arg | None) -> bool:
    return argument is not None and argument.options.get("action") not in ("store_true", "store_false")


def _positional_at(command: Command, given: int) -> Arg | None:
    """The positional argument after `given` positional values, or None when every one is filled."""
    positionals = command.positionals()
    if given < len(positionals):
        return positionals[given]
    if positionals and positionals[-1].options.get("nargs") in ("+", "*"):
        return positionals[-1]
    return None


def candidates(words: list[str], current: str) -> list[str] | None:
    """What may follow `words` (the line's words after `%milestones`) when the cursor is on `current`.

    None means "a path goes here": other matchers (files) should answer instead.
    """
    if not words:
        return _values(COMMAND, current)
    command = COMMANDS.get(words[0])
    if command is None:
        return []
    if current.startswith("-"):
        return [option for option in _options(command) if option.startswith(current)]
    previous = command.option_arg(words[-1])
    if _takes_value(previous):
        return _values(previous.completes, current)
    given, skip = 0, False
    for word in words[1:]:
        if skip or word.startswith("-"):
            skip = not skip and _takes_value(command.option_arg(word))
            continue
        given += 1
    positional = _positional_at(command, given)
    return [] if positional is None else _values(positional.completes, current)


@context_matcher(identifier=MATCHER_ID)
def milestones_matcher(context: CompletionContext) -> SimpleMatcherResult:
    """Complete the word under the cursor on a `%milestones` line; stay silent on any other line."""
    line = context.text_until_cursor
    if not _MAGIC_LINE.match(line):
        return {"completions": [], "suppress": False}
    words = line.split()[1:]
    current = "" if line[-1:].isspace() else words.pop()
    try:
        found = candidates(words, current)
    except MilestoneError:
        found = []
    if found is None:
        return {"completions": [], "suppress": False}
    return {
        "completions": [SimpleCompletion(text=text, type="milestones") for text in found],
        "matched_fragment": current,
        "suppress": True,
    }
