"""Run pytest in a child of this interpreter: fresh imports, live output, a timeout, and a stop that works.

The child gets its own process group, so a timeout or a KeyboardInterrupt (the kernel's stop
button, Ctrl+C in a terminal) ends it and anything it started.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .target import pytest_arguments
from .verdict import PytestRun, ReportError, read_report

PLUGIN_MODULE = "tinytorch_milestones.services.verify.plugin"
OUTPUT_TAIL_LINES = 40
POLL_S = 0.1
KILL_GRACE_S = 2.0
PACKAGE_PARENT = str(Path(__file__).resolve().parents[3])

OnOutput = Callable[[str], None]


def child_environment(project_dir: Path) -> dict[str, str]:
    """This environment, with the project folder first on the import path and unbuffered output.

    Third-party pytest plugins are not auto-loaded, so a student's installed plugins or settings
    cannot change a verification.
    """
    env = dict(os.environ)
    paths = [str(project_dir), *filter(None, [env.get("PYTHONPATH")]), PACKAGE_PARENT]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\r\n"))
    lines.put(None)


def stop_process_group(process: subprocess.Popen[str]) -> None:
    """End the child and everything it started: politely, then by force."""
    if process.poll() is not None:
        return
    if sys.platform == "win32":
        process.kill()
        process.wait()
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=KILL_GRACE_S)
            return
        except subprocess.TimeoutExpired:
            continue


def _stream_until_done(process: subprocess.Popen[str], lines: queue.Queue[str | None], deadline: float | None,
                       tail: deque[str], on_output: OnOutput | None) -> bool:
    """Hand each line to `on_output` as it arrives; True if the deadline passed first."""
    while True:
        wait = POLL_S if deadline is None else max(0.0, min(POLL_S, deadline - time.monotonic()))
        try:
            line = lines.get(timeout=wait)
        except queue.Empty:
            if deadline is not None and time.monotonic() >= deadline:
                return True
            continue
        if line is None:
            break
        tail.append(line)
        if on_output is not None:
            on_output(line)
    try:
        process.wait(timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return True
    return False


def run_pytest_subprocess(node_id: str, project_dir: Path, *, timeout_s: float | None = None,
                          on_output: OnOutput | None = None) -> PytestRun:
    """Run one pytest node id in a child process from `project_dir`; results come from the plugin's file."""
    with tempfile.TemporaryDirectory(prefix="tinytorch-verify-") as folder:
        report = Path(folder) / "report.json"
        command = [
            sys.executable, "-m", "pytest", *pytest_arguments(node_id),
            "-p", PLUGIN_MODULE, "--milestone-report", str(report),
        ]
        start = time.monotonic()
        process = subprocess.Popen(
            command, cwd=project_dir, env=child_environment(project_dir),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", errors="replace", bufsize=1,
            start_new_session=sys.platform != "win32",
        )
        lines: queue.Queue[str | None] = queue.Queue()
        pump = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
        pump.start()
        tail: deque[str] = deque(maxlen=OUTPUT_TAIL_LINES)
        deadline = start + timeout_s if timeout_s else None
        try:
            timed_out = _stream_until_done(process, lines, deadline, tail, on_output)
        finally:
            stop_process_group(process)
            pump.join(timeout=KILL_GRACE_S)
            if not pump.is_alive():
                process.stdout.close()
        duration = time.monotonic() - start
        results, problem = None, None
        if not timed_out and report.exists():
            try:
                results = read_report(report)
            except ReportError as error:
                problem = str(error)
        return PytestRun(results, process.returncode, duration, timed_out, tuple(tail), problem)
