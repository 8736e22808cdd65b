"""Run pytest in an isolated child of this interpreter: fresh imports, live output, a timeout, a stop that works.

The child (`child.py`) starts with `python -I` in its own process group and a cleaned environment,
and sends its results down a pipe whose descriptor it is told on stdin (never in argv or the
environment). The run ends when pytest's process ends: its results are collected, then the whole
process group is killed, so a background process started by student code can neither hold the run
open nor outlive it. A timeout or a KeyboardInterrupt (the kernel's stop button, Ctrl+C) ends the
group too.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from . import messages
from .plugin import MAX_REPORT_BYTES
from .target import pytest_arguments
from .verdict import PytestRun, ReportError, read_report

OUTPUT_TAIL_LINES = 40
MAX_LINE_CHARS = 10_000
MAX_OUTPUT_CHARS = 2_000_000
POLL_S = 0.05
KILL_GRACE_S = 2.0
CHILD_SCRIPT = str(Path(__file__).with_name("child.py"))
PACKAGE_PARENT = str(Path(__file__).resolve().parents[3])
STRIPPED_PREFIXES = ("PYTHON", "PYTEST_", "COV_CORE_", "_PYTEST")

OnOutput = Callable[[str], None]


def child_environment(project_dir: Path | None = None) -> dict[str, str]:
    """This environment without what would let a student's settings change a run.

    Every `PYTHON*` and `PYTEST_*` variable (PYTEST_ADDOPTS, PYTEST_PLUGINS...) and pytest-cov's
    `COV_CORE_*` are dropped; installed pytest plugins are not auto-loaded. `project_dir` is
    accepted for callers that run pytest themselves and is not used: the child gets its project
    folder on stdin.
    """
    env = {name: value for name, value in os.environ.items() if not name.upper().startswith(STRIPPED_PREFIXES)}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


def child_command(node_id: str) -> list[str]:
    """The child's command line: isolated Python, unbuffered UTF-8 output, then pytest's arguments."""
    return [sys.executable, "-I", "-u", "-X", "utf8", CHILD_SCRIPT, PACKAGE_PARENT, *pytest_arguments(node_id)]


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Move the child's output into `lines` line by line, each cut to `MAX_LINE_CHARS`; None at the end."""
    try:
        while True:
            line = stream.readline(MAX_LINE_CHARS)
            if not line:
                break
            lines.put(line.rstrip("\r\n"))
    except (OSError, ValueError):
        pass
    lines.put(None)


def _receive(fd: int, box: list[bytes]) -> None:
    """Read one line (the results) from the pipe `fd`, up to `MAX_REPORT_BYTES`, into `box`."""
    received = bytearray()
    try:
        while len(received) <= MAX_REPORT_BYTES and not received.endswith(b"\n"):
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            received += chunk
    except OSError:
        pass
    finally:
        os.close(fd)
    box.append(bytes(received))


def stop_process_group(process: subprocess.Popen[str]) -> None:
    """End the child and everything left in its process group: politely while it runs, then by force."""
    if sys.platform == "win32":
        if process.poll() is None:
            process.kill()
        process.wait()
        return
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=KILL_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(process.pid, signal.SIGKILL)
    process.wait()


def _signal_group(group: int, sig: int) -> None:
    try:
        os.killpg(group, sig)
    except (ProcessLookupError, PermissionError):
        pass


class _Output:
    """The child's output as it arrives: handed to `on_output`, last lines kept, all capped in size."""

    def __init__(self, on_output: OnOutput | None) -> None:
        self.tail: deque[str] = deque(maxlen=OUTPUT_TAIL_LINES)
        self._on_output = on_output
        self._chars = 0

    def add(self, line: str) -> None:
        if self._chars > MAX_OUTPUT_CHARS:
            return
        self._chars += len(line) + 1
        if self._chars > MAX_OUTPUT_CHARS:
            line = messages.output_cut(MAX_OUTPUT_CHARS)
        self.tail.append(line)
        if self._on_output is not None:
            self._on_output(line)


def _until_exit(process: subprocess.Popen[str], lines: queue.Queue[str | None], deadline: float | None,
                output: _Output) -> bool:
    """Pass output on until pytest's process ends (not until its pipe closes); True if the deadline passed first."""
    while process.poll() is None:
        if deadline is not None and time.monotonic() >= deadline:
            return True
        try:
            line = lines.get(timeout=POLL_S)
        except queue.Empty:
            continue
        if line is not None:
            output.add(line)
    return False


def _drain(lines: queue.Queue[str | None], output: _Output) -> None:
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            return
        if line is not None:
            output.add(line)


def _results(box: list[bytes]) -> tuple[dict[str, Any] | None, str | None]:
    """The results the child sent (None if none), or why they cannot be used."""
    if not box or not box[0]:
        return None, None
    try:
        return read_report(box[0]), None
    except ReportError as error:
        return None, str(error)


def run_pytest_subprocess(node_id: str, project_dir: Path, *, timeout_s: float | None = None,
                          on_output: OnOutput | None = None, memory_limit_bytes: int | None = None) -> PytestRun:
    """Run one pytest node id in an isolated child from `project_dir`; results come back on a hidden pipe."""
    read_fd, write_fd = os.pipe()
    start = time.monotonic()
    try:
        process = subprocess.Popen(
            child_command(node_id), cwd=project_dir, env=child_environment(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", errors="replace", bufsize=1, pass_fds=(write_fd,),
            start_new_session=sys.platform != "win32",
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    box: list[bytes] = []
    receiver = threading.Thread(target=_receive, args=(read_fd, box), daemon=True)
    receiver.start()
    lines: queue.Queue[str | None] = queue.Queue()
    pump = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    pump.start()
    output = _Output(on_output)
    deadline = start + timeout_s if timeout_s else None
    settings = {"fd": write_fd, "project_dir": str(project_dir), "memory_limit_bytes": memory_limit_bytes}
    timed_out = False
    try:
        try:
            process.stdin.write(json.dumps(settings) + "\n")
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        timed_out = _until_exit(process, lines, deadline, output)
    finally:
        stop_process_group(process)
        receiver.join(timeout=KILL_GRACE_S)
        pump.join(timeout=KILL_GRACE_S)
        if not pump.is_alive():
            process.stdout.close()
        _drain(lines, output)
    duration = time.monotonic() - start
    results, problem = (None, None) if timed_out else _results(box)
    return PytestRun(results, process.returncode, duration, timed_out, tuple(output.tail), problem)
