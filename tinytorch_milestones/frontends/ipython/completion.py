"""Tab completion for `%milestones`: subcommands, their options, milestone ids and module names.

A matcher of IPython's completion API v2, added to and removed from `shell.Completer.custom_matchers`.
"""

from __future__ import annotations

import re

from IPython.core.completer import CompletionContext, SimpleCompletion, SimpleMatcherResult, context_matcher

from ...core import registry
from ...core.errors import MilestoneError
from .commands import COMMANDS
from .parser import MagicArgumentParser

MATCHER_ID = "tinytorch_milestones.magic"
_MAGIC_LINE = re.compile(r"^\s*%milestones\s")
_MODULE_OPTIONS = ("--module",)
_PATH_OPTIONS = ("--to",)


def _modules_matching(prefix: str) -> list[str]:
    """Full module names whose full name, number or short name starts with `prefix`."""
    key = prefix.lower()
    return [module.full_name for module in registry.course_modules()
            if module.full_name.startswith(key) or module.short_name.startswith(key) or str(module.number) == key]


def _options(command: str) -> list[str]:
    parser: MagicArgumentParser = COMMANDS[command].parser()
    return parser.option_strings()


def candidates(words: list[str], current: str) -> list[str] | None:
    """What may follow `words` (the line's words after `%milestones`) when the cursor is on `current`.

    None means "a path goes here": other matchers (files) should answer instead.
    """
    if not words:
        return [name for name in COMMANDS if name.startswith(current)]
    command, previous = words[0], words[-1]
    if command not in COMMANDS:
        return []
    if current.startswith("-"):
        return [option for option in _options(command) if option.startswith(current)]
    if previous in _PATH_OPTIONS:
        return None
    if previous in _MODULE_OPTIONS or command == "complete":
        return _modules_matching(current)
    positional = [word for word in words[1:] if not word.startswith("-")]
    if command == "run" and not positional:
        return [milestone_id for milestone_id in registry.milestone_ids() if milestone_id.startswith(current)]
    if command == "help" and not positional:
        return [name for name in COMMANDS if name.startswith(current)]
    if command == "export" and not positional:
        return None
    return []


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
