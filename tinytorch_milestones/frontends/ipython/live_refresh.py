"""Keeping views true: after each cell, and every second on the kernel's IO loop while the kernel idles.

Both run on the kernel's main thread, the only one that may set widget values. The kernel's IO loop
exists only once the kernel has started, so when a startup file loads the extension earlier, the
periodic check starts at the end of the first cell. A terminal IPython has no IO loop to borrow:
there views refresh after each cell only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core import messages
from ..views.live import LIVE_VIEWS
from .hooks import FailureReporter

CHECK_INTERVAL_S = 1.0
CELL_EVENT = "post_run_cell"


class PeriodicCheck:
    """Calls `check` every `interval` seconds on a tornado IO loop until stopped."""

    def __init__(self, io_loop: Any, interval: float, check: Callable[[], None]) -> None:
        self._io_loop = io_loop
        self._interval = interval
        self._check = check
        self._timeout: Any = None

    @property
    def running(self) -> bool:
        return self._timeout is not None

    def start(self) -> None:
        if not self.running:
            self._schedule()

    def stop(self) -> None:
        if self._timeout is not None:
            self._io_loop.remove_timeout(self._timeout)
            self._timeout = None

    def _schedule(self) -> None:
        self._timeout = self._io_loop.call_later(self._interval, self._tick)

    def _tick(self) -> None:
        try:
            self._check()
        finally:
            self._schedule()


class LiveRefresh:
    """The cell hook and the periodic check that refresh stale views, installed on one shell."""

    def __init__(self, shell: Any, reporter: FailureReporter) -> None:
        self._shell = shell
        self._refresh = reporter.guard(messages.LIVE_REFRESH, LIVE_VIEWS.refresh_stale)
        self._after_cell = reporter.guard(messages.LIVE_REFRESH, self._after_cell_run)
        self.periodic: PeriodicCheck | None = None

    def _after_cell_run(self, result: Any) -> None:
        LIVE_VIEWS.refresh_stale()
        self._start_periodic_check()

    def _start_periodic_check(self) -> None:
        if self.periodic is None:
            io_loop = getattr(getattr(self._shell, "kernel", None), "io_loop", None)
            if io_loop is None:
                return
            self.periodic = PeriodicCheck(io_loop, CHECK_INTERVAL_S, self._refresh)
        self.periodic.start()

    def install(self) -> None:
        self._shell.events.register(CELL_EVENT, self._after_cell)
        self._start_periodic_check()

    def uninstall(self) -> None:
        """Remove the hook, stop the timer, and let every view stop updating."""
        if self._after_cell in self._shell.events.callbacks[CELL_EVENT]:
            self._shell.events.unregister(CELL_EVENT, self._after_cell)
        if self.periodic is not None:
            self.periodic.stop()
        LIVE_VIEWS.clear()
