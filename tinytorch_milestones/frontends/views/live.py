"""The registry of views that keep themselves true to the progress file, held by weak reference.

A view is stale when its progress file's signature (inode, size, mtime) differs from the one it last
rendered; the extension's hooks call `LIVE_VIEWS.refresh_stale()` from the kernel's main thread.
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path
from typing import Protocol

Signature = tuple[int, int, int] | None


def file_signature(path: Path) -> Signature:
    """What changes whenever the file is replaced or rewritten; None when it does not exist (or cannot be seen)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class LiveView(Protocol):
    """Anything that can re-read the progress when its file changed."""

    def refresh_if_stale(self) -> bool: ...


class LiveViews:
    """Every live view not yet garbage-collected; refreshing only ever happens on the main thread."""

    def __init__(self) -> None:
        self._views: weakref.WeakSet[LiveView] = weakref.WeakSet()

    def add(self, view: LiveView) -> None:
        """Keep `view` up to date for as long as something else holds it."""
        self._views.add(view)

    def clear(self) -> None:
        """Forget every view: they keep showing what they show, and stop updating."""
        self._views.clear()

    def __len__(self) -> int:
        return len(self._views)

    def __contains__(self, view: object) -> bool:
        return view in self._views

    def refresh_stale(self) -> int:
        """Refresh every view whose progress file changed; returns how many did. A no-op off the main thread."""
        if threading.current_thread() is not threading.main_thread():
            return 0
        return sum(1 for view in list(self._views) if view.refresh_if_stale())


LIVE_VIEWS = LiveViews()
