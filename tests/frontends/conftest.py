"""The frontends' tests share the extension tests' in-process shell (IPython's test shell, the extension loaded)."""

from ..ipython.conftest import shell

__all__ = ["shell"]
