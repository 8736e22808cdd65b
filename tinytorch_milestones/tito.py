"""What tito calls: `module_completed` after `tito module complete NN`, and `MilestonesCommand` for
`tito milestones`. Importing this module pulls in neither IPython, ipywidgets, nbformat nor pytest.

In tito (API.md's "Fail gracefully" pattern, with or without this package installed):

    try:
        from tinytorch_milestones.tito import module_completed
    except ImportError:
        module_completed = None
    if module_completed is not None:
        module_completed(module_number, console=self.console)
"""

from __future__ import annotations

import sys
from typing import Any

from .core import messages
from .frontends.tito_command import MilestonesCommand

__all__ = ["MilestonesCommand", "module_completed"]


def _default_to_titos_course() -> None:
    """Where no course is chosen (no --course, TINYTORCH_COURSE or project setting), tito's module
    numbers are the 20-module course's: "02" is 02_activations there, not classic's 02_autograd."""
    from .core import courses, registry

    choice = courses.choose_course()
    if choice.is_default:
        registry.use_course(courses.CourseChoice(courses.TITO_COURSE, "tito", choice.base))


def module_completed(module: str | int, console: Any = None) -> dict[str, list[str]]:
    """Record `module` ("01_tensor", "01", "tensor" or 1) as complete and show any unlock on `console`.

    With no course chosen, tito's own course (the 20-module `tinytorch`) is used.
    Returns API.md's `{'newly_unlocked': [...], 'messages': [...]}`. Never raises into tito (only
    Ctrl-C passes): any failure is one line on `console` (else stderr) and an empty result.
    """
    from .core.tracker import check_module_export

    try:
        _default_to_titos_course()
        return check_module_export(str(module), console=console)
    except Exception as error:  # tito's workflow must go on whatever fails here
        line = messages.tito_hook_failed(module, str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
        if console is not None:
            try:
                console.print(line, markup=False, highlight=False, soft_wrap=True)
                return {"newly_unlocked": [], "messages": []}
            except Exception:  # a broken console must not break tito either
                pass
        print(line, file=sys.stderr)
        return {"newly_unlocked": [], "messages": []}
