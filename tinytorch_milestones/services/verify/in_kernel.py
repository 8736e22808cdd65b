"""Run pytest inside this process (`pytest.main`), for tests defined in the notebook itself.

Stale `tinytorch` modules and the test module are dropped from `sys.modules` first, so the code on
disk is what gets imported. Such a run cannot be killed: there is no timeout, and the kernel's
stop button interrupts it as it would any cell. During the run pytest sees no `PYTEST_*` variable
of the student's (and auto-loads no plugin), and an `os._exit(0)` from student code ends the
process with `EXIT_NOT_PASSED` instead: an exit code never claims more than the recorded verdict.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from ..export.fresh_imports import purge_package_modules
from .subprocess_run import OUTPUT_TAIL_LINES, STRIPPED_PREFIXES
from .target import pytest_arguments
from .verdict import PytestRun

EXIT_NOT_PASSED = 1  # the command line's exit code for a verification that did not pass


class _LineSink(io.TextIOBase):
    """A text stream that hands each complete line to a callback and keeps the last few.

    The callback runs with the real stdout and stderr back in place, so `on_output=print` works.
    """

    def __init__(self, emit: Callable[[str], None], tail: deque[str]) -> None:
        super().__init__()
        self._emit = emit
        self._tail = tail
        self._pending = ""
        self._stdout = sys.stdout
        self._stderr = sys.stderr

    @property
    def encoding(self) -> str:
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        self._pending += text
        *complete, self._pending = self._pending.split("\n")
        for line in complete:
            self._tail.append(line)
            with contextlib.redirect_stdout(self._stdout), contextlib.redirect_stderr(self._stderr):
                self._emit(line)
        return len(text)

    def finish(self) -> None:
        """Hand over a last line that never got its newline."""
        if self._pending:
            self.write("\n")


def purge_stale_modules(test_file: Path) -> list[str]:
    """Forget every imported `tinytorch` module and any earlier import of the test file; return the names dropped.

    pytest imports a test file under its bare name ("test_x"), so a module of that name is
    dropped too, wherever it came from, or pytest would refuse the file as a mismatch.
    """
    target = test_file.resolve()
    stale = [name for name, module in list(sys.modules.items())
             if name == target.stem or _same_file(getattr(module, "__file__", None), target)]
    for name in stale:
        del sys.modules[name]
    return [*purge_package_modules(), *stale]


def _same_file(file: object, target: Path) -> bool:
    if not isinstance(file, str) or Path(file).name != target.name:
        return False
    try:
        return Path(file).resolve() == target
    except OSError:
        return False


@contextlib.contextmanager
def _project_first_on_path(folder: Path) -> Iterator[None]:
    """Import from `folder` first during the run; afterwards `sys.path` is as it was (pytest adds to it too)."""
    saved = list(sys.path)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path[:] = saved


@contextlib.contextmanager
def _pytest_environment() -> Iterator[None]:
    """Without the student's `PYTEST_*` and coverage variables, and without plugin auto-loading; restored afterwards."""
    saved = {name: value for name, value in os.environ.items()
             if name.upper().startswith(STRIPPED_PREFIXES) and not name.upper().startswith("PYTHON")}
    for name in saved:
        del os.environ[name]
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        os.environ.update(saved)


@contextlib.contextmanager
def _exit_claims_no_pass() -> Iterator[None]:
    """While running, `os._exit(0)` exits with `EXIT_NOT_PASSED`: nothing was recorded, so nothing passed."""
    real_exit = os._exit

    def guarded_exit(code: int) -> None:
        real_exit(code if code else EXIT_NOT_PASSED)

    os._exit = guarded_exit
    try:
        yield
    finally:
        os._exit = real_exit


def run_pytest_in_kernel(node_id: str, project_dir: Path, *,
                         on_output: Callable[[str], None] | None = None) -> PytestRun:
    """Run one pytest node id with `pytest.main` here; a KeyboardInterrupt during it is raised again."""
    import pytest

    from .plugin import ResultCollector

    purge_stale_modules(Path(node_id.partition("::")[0]))
    collector = ResultCollector()
    tail: deque[str] = deque(maxlen=OUTPUT_TAIL_LINES)
    sink = _LineSink(on_output or (lambda line: print(line, flush=True)), tail)
    start = time.monotonic()
    with _project_first_on_path(project_dir), _pytest_environment(), _exit_claims_no_pass(), \
            contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = pytest.main([*pytest_arguments(node_id), "-p", "no:faulthandler"], plugins=[collector])
        sink.finish()
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt
    return PytestRun(collector.results(), int(code), time.monotonic() - start, False, tuple(tail))
