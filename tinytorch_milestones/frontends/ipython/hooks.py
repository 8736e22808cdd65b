"""Guarding the extension's background work (cell hooks, timers): a failure is reported once, in one line.

Whatever goes wrong while refreshing views must never break, interrupt or clutter the user's cells.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from ...core import messages


class FailureReporter:
    """Swallows exceptions from guarded callables, printing each kind (what failed, exception type) once."""

    def __init__(self) -> None:
        self._reported: set[tuple[str, type[BaseException]]] = set()

    def guard(self, what: str, function: Callable[..., Any]) -> Callable[..., None]:
        """`function` wrapped so that an `Exception` it raises is reported, not raised; `what` names the work."""

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> None:
            try:
                function(*args, **kwargs)
            except Exception as error:
                self.report(what, error)

        return guarded

    def report(self, what: str, error: Exception) -> None:
        key = (what, type(error))
        if key in self._reported:
            return
        self._reported.add(key)
        print(messages.hook_failed(what, error), file=sys.stderr)
