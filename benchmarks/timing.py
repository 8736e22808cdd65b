"""Timing helpers: interleaved rounds, medians, wall time of a command, and worker scripts that answer in JSON."""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_env import BenchmarkError


def median_ms(samples_s: Sequence[float]) -> float:
    """The median of samples in seconds, in milliseconds."""
    return statistics.median(samples_s) * 1000


def interleaved(runs: int, *measures: Callable[[], float]) -> list[list[float]]:
    """Call the measures in turn for `runs` rounds (a, b, a, b, ...); each returns seconds.

    Returns one list of samples per measure, so drift on the machine hits every measure alike.
    """
    samples: list[list[float]] = [[] for _ in measures]
    for _ in range(runs):
        for index, measure in enumerate(measures):
            samples[index].append(measure())
    return samples


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def wall_s(command: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> float:
    """Wall time in seconds of `command` to its exit; raises `BenchmarkError` with its last line unless it exits 0."""
    start = time.perf_counter()
    done = subprocess.run(list(command), env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchmarkError(f"{' '.join(map(str, command))} exited {done.returncode}: "
                             f"{_last_line(done.stderr or done.stdout)}")
    return elapsed


def run_json(command: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> dict:
    """Run a worker whose last stdout line is JSON; return it. Raises `BenchmarkError` on failure."""
    done = subprocess.run(list(command), env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkError(f"{Path(command[1]).name} failed: {_last_line(done.stderr or done.stdout)}")
    try:
        return json.loads(_last_line(done.stdout))
    except json.JSONDecodeError:
        raise BenchmarkError(f"{Path(command[1]).name} printed no result: {_last_line(done.stdout)}") from None


def stderr_of(command: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> str:
    """The standard error of `command` (for `-X importtime`); raises `BenchmarkError` unless it exits 0."""
    done = subprocess.run(list(command), env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkError(f"{' '.join(map(str, command))} exited {done.returncode}: {_last_line(done.stderr)}")
    return done.stderr
