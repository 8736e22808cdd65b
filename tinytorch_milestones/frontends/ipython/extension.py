"""`%load_ext tinytorch_milestones`: install the magic, its completer and the live-refresh hooks; undo all of it.

One installation per shell: loading again is a no-op, unloading removes exactly what was installed.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from .completion import milestones_matcher
from .hooks import FailureReporter
from .live_refresh import LiveRefresh
from .magics import MAGIC_NAME, MilestonesMagics


@dataclass
class Installation:
    """What the extension added to one shell, so that unloading can take exactly that away."""

    shell: Any
    magics: MilestonesMagics
    live_refresh: LiveRefresh

    @classmethod
    def install(cls, shell: Any) -> Installation:
        installation = cls(shell, MilestonesMagics(shell), LiveRefresh(shell, FailureReporter()))
        shell.register_magics(installation.magics)
        shell.Completer.custom_matchers.append(milestones_matcher)
        installation.live_refresh.install()
        return installation

    def uninstall(self) -> None:
        self.live_refresh.uninstall()
        matchers = self.shell.Completer.custom_matchers
        while milestones_matcher in matchers:
            matchers.remove(milestones_matcher)
        self._remove_magic()

    def _remove_magic(self) -> None:
        manager = self.shell.magics_manager
        line_magics = manager.magics["line"]
        if getattr(line_magics.get(MAGIC_NAME), "__self__", None) is self.magics:
            del line_magics[MAGIC_NAME]
        if manager.registry.get(type(self.magics).__name__) is self.magics:
            del manager.registry[type(self.magics).__name__]


_INSTALLATIONS: weakref.WeakKeyDictionary[Any, Installation] = weakref.WeakKeyDictionary()


def is_loaded(shell: Any) -> bool:
    """Whether the extension is installed on `shell`."""
    return shell in _INSTALLATIONS


def load(shell: Any) -> None:
    """Install the extension on `shell`, and make the project's exported `tinytorch` importable from a module's
    own folder (`services.export.make_project_importable`); a second call changes nothing."""
    if shell not in _INSTALLATIONS:
        from ...services.export.importable import make_project_importable

        _INSTALLATIONS[shell] = Installation.install(shell)
        make_project_importable()


def unload(shell: Any) -> None:
    """Remove the magic, the completer and every hook from `shell`; live views stop updating."""
    installation = _INSTALLATIONS.pop(shell, None)
    if installation is not None:
        installation.uninstall()
