"""Whether views should offer widgets (a Jupyter kernel) or terminal text (terminal IPython, plain Python)."""

from __future__ import annotations

import sys
from typing import Any, Literal

Mode = Literal["widgets", "text"]
WIDGETS: Mode = "widgets"
TEXT: Mode = "text"


def shell_mode(shell: Any) -> Mode:
    """WIDGETS for a kernel's shell (it has a `kernel`, as ipykernel's ZMQInteractiveShell does), else TEXT."""
    return WIDGETS if getattr(shell, "kernel", None) is not None else TEXT


def current_mode() -> Mode:
    """The mode of the running IPython, if any; plain Python gets TEXT. Never imports IPython itself."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell_mode(shell)
