"""Core timings: `check_module_export` per call, and the cold import of the core.

Run: python benchmarks/core_bench.py   (uses a throwaway TINYTORCH_HOME; never the real one)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7
ROUNDS = 25


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_check_module_export(home: Path) -> tuple[float, float]:
    """Median ms of a call that records a new module (a locked atomic write) and of a repeat (no write)."""
    from tinytorch_milestones import check_module_export
    from tinytorch_milestones.core.registry import module_names

    first, repeat = [], []
    for _ in range(ROUNDS):
        (home / "progress.json").unlink(missing_ok=True)
        for module in module_names():
            start = time.perf_counter()
            check_module_export(module)
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            check_module_export(module)
            repeat.append(time.perf_counter() - start)
    return _median_ms(first), _median_ms(repeat)


def bench_cold_import(module: str) -> float:
    """Median ms to import `module` in a fresh interpreter (import time only, not interpreter start)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
               for _ in range(RUNS)]
    return _median_ms(samples)


def main() -> None:
    from tinytorch_milestones.core.registry import module_names

    with tempfile.TemporaryDirectory() as home:
        os.environ["TINYTORCH_HOME"] = home
        first, repeat = bench_check_module_export(Path(home))
    calls = ROUNDS * len(module_names())
    print(f"check_module_export, new module (locked atomic write): median {first:.2f} ms over {calls} calls")
    print(f"check_module_export, repeated module (no write):       median {repeat:.2f} ms over {calls} calls")
    print(f"cold import of tinytorch_milestones:                   median {bench_cold_import('tinytorch_milestones'):.1f} ms over {RUNS} runs")
    print(f"cold import of milestone_tracker (the shim):           median {bench_cold_import('milestone_tracker'):.1f} ms over {RUNS} runs")


if __name__ == "__main__":
    main()
