"""argparse for a magic: errors become one-line `UsageError`s and `--help` prints help without exiting.

After jupysql's `CmdParser` (`error()` raises `UsageError`); IPython shows a `UsageError` as one line,
with no traceback.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from IPython.core.error import UsageError
from IPython.utils.process import arg_split

from ...core import messages


class HelpShown(Exception):
    """`--help` printed the help; the command stops there without doing anything."""


class MagicArgumentParser(argparse.ArgumentParser):
    """A parser whose bad input raises `UsageError` and whose exit (after `--help`) raises `HelpShown`."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(messages.magic_usage_error(self.prog, message))

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            raise UsageError(messages.magic_usage_error(self.prog, message.strip()))
        raise HelpShown


def split_line(line: str) -> list[str]:
    """The magic's line split as this system's shell splits a command line (IPython's `arg_split`: shlex's
    POSIX rules, or Windows' own): quotes group words and are removed, so `export "My Drive/01 tensor.ipynb"`
    is one path and `complete "02"` names 02; an unclosed quote is a `UsageError`."""
    try:
        return arg_split(line, posix=True, strict=True)
    except ValueError as error:
        raise UsageError(messages.magic_unsplittable_line(str(error))) from None
