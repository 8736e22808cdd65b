"""Loading, reloading and unloading the extension; hook failures never reach the user's cells."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import tornado.ioloop

import tinytorch_milestones
from tinytorch_milestones.core import messages
from tinytorch_milestones.core.tracker import MilestoneTracker
from tinytorch_milestones.frontends.ipython import extension
from tinytorch_milestones.frontends.ipython.completion import milestones_matcher
from tinytorch_milestones.frontends.ipython.live_refresh import PeriodicCheck
from tinytorch_milestones.frontends.views.live import LIVE_VIEWS

from .conftest import EXTENSION, completions


def our_hooks(shell) -> list:
    return [hook for hook in shell.events.callbacks["post_run_cell"]
            if getattr(hook, "__module__", "").startswith("tinytorch_milestones")]


def installed_parts(shell) -> tuple[int, int, int]:
    """How many magics, cell hooks and completers of ours the shell holds."""
    magic = shell.find_line_magic("milestones")
    return (0 if magic is None else 1, len(our_hooks(shell)), shell.Completer.custom_matchers.count(milestones_matcher))


def test_loading_installs_the_magic_one_hook_and_the_completer(shell) -> None:
    assert installed_parts(shell) == (1, 1, 1)
    assert extension.is_loaded(shell)


def test_loading_twice_is_harmless(shell) -> None:
    tinytorch_milestones.load_ipython_extension(shell)
    shell.run_line_magic("load_ext", EXTENSION)
    assert installed_parts(shell) == (1, 1, 1)


def test_reload_ext_leaves_one_working_installation(shell) -> None:
    shell.run_line_magic("reload_ext", EXTENSION)
    assert installed_parts(shell) == (1, 1, 1)
    assert shell.run_line_magic("milestones", "progress").kind.name == "progress"
    assert "perceptron" in completions(shell, "%milestones run ")


def test_unloading_removes_the_magic_every_hook_and_the_completer(shell, capsys) -> None:
    view = shell.run_line_magic("milestones", "progress")
    shell.run_line_magic("unload_ext", EXTENSION)
    try:
        assert installed_parts(shell) == (0, 0, 0)
        assert "MilestonesMagics" not in shell.magics_manager.registry
        assert not extension.is_loaded(shell)
        assert not view.is_live and len(LIVE_VIEWS) == 0
        MilestoneTracker().mark_module_complete("00_setup")
        shell.run_cell("pass")
        assert view.status["completed_modules"] == []
        shell.run_cell("%milestones progress")
        assert "Line magic function `%milestones` not found" in capsys.readouterr().err
    finally:
        shell.run_line_magic("load_ext", EXTENSION)


def test_unloading_twice_is_harmless(shell) -> None:
    shell.run_line_magic("unload_ext", EXTENSION)
    tinytorch_milestones.unload_ipython_extension(shell)
    assert installed_parts(shell) == (0, 0, 0)
    shell.run_line_magic("load_ext", EXTENSION)
    assert installed_parts(shell) == (1, 1, 1)


def test_a_failing_hook_is_reported_once_and_the_cells_run_on(shell, capsys, progress_file: Path) -> None:
    view = shell.run_line_magic("milestones", "progress")
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.mkdir()
    first = shell.run_cell("a = 1 + 1")
    second = shell.run_cell("b = a * 21")
    assert first.success and second.success and shell.user_ns["b"] == 42
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("tinytorch-milestones:")]
    assert len(lines) == 1
    assert lines[0].startswith(f"tinytorch-milestones: {messages.LIVE_REFRESH} failed (ProgressFileError: ")
    assert view.status["completed_modules"] == []


DEADLINE_S = 10.0


def run_loop_until(loop: tornado.ioloop.IOLoop, done) -> None:
    """Run `loop` until `done()` holds after a callback, or until the deadline (a slow machine only waits longer)."""
    deadline = time.monotonic() + DEADLINE_S

    def check() -> None:
        if done() or time.monotonic() > deadline:
            loop.stop()
        else:
            loop.call_later(0.005, check)

    loop.add_callback(check)
    loop.start()


def test_the_periodic_check_runs_on_the_loops_thread_until_stopped() -> None:
    loop = tornado.ioloop.IOLoop()
    threads: list[threading.Thread] = []
    check = PeriodicCheck(loop, 0.02, lambda: threads.append(threading.current_thread()))
    loop.add_callback(check.start)
    run_loop_until(loop, lambda: len(threads) >= 3)
    ticks = len(threads)
    assert ticks >= 3 and set(threads) == {threading.main_thread()}
    assert check.running
    check.stop()
    assert not check.running
    loop.call_later(0.1, loop.stop)
    loop.start()
    loop.close()
    assert len(threads) == ticks


def test_a_failing_check_keeps_the_periodic_check_alive() -> None:
    loop = tornado.ioloop.IOLoop()
    calls: list[float] = []

    def failing() -> None:
        calls.append(time.monotonic())
        raise RuntimeError("boom")

    check = PeriodicCheck(loop, 0.02, failing)
    loop.add_callback(check.start)
    run_loop_until(loop, lambda: len(calls) >= 2)
    check.stop()
    loop.close()
    assert len(calls) >= 2
