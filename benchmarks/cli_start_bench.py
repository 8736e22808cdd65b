"""CLI start: `progress` and `complete MODULE` in a fresh process, ours beside the original tracker's.

The original (../shared/anchors/original_milestone_tracker.py, MIT, for benchmarks only) is run with
`python -m` from its folder, with HOME pointed at a throwaway folder; ours with TINYTORCH_HOME there. Both
use compiled bytecode, as an installed package does: PYTHONDONTWRITEBYTECODE is dropped and the caches
go to a throwaway PYTHONPYCACHEPREFIX (nothing is written beside either source), warmed by one run each. Runs are
interleaved (ours, original, ours, ...) so both see the same machine load; medians are reported, of the
wall time and of the child's CPU time (user + system, from `resource`), which a busy machine inflates less.

Run: python benchmarks/cli_start_bench.py [--runs N] [--original PATH]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_ORIGINAL = Path(__file__).resolve().parents[3] / "shared" / "anchors" / "original_milestone_tracker.py"


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_ms(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one run of `argv`."""
    start, cpu = time.perf_counter(), _cpu_s()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000, (_cpu_s() - cpu) * 1000


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(wall for wall, _ in samples), statistics.median(cpu for _, cpu in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--original", type=Path, default=DEFAULT_ORIGINAL)
    options = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {options.runs} interleaved runs")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "TINYTORCH_HOME": str(Path(home) / ".tinytorch"),
               "PYTHONPYCACHEPREFIX": str(Path(home) / "pycache"),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(options.original.parent), os.environ.get("PYTHONPATH")]))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        ours = [sys.executable, "-m", "tinytorch_milestones"]
        original = [sys.executable, "-m", options.original.stem]
        cases = {
            "progress": (ours + ["progress"], original + ["progress"]),
            "complete 01_tensor": (ours + ["complete", "01_tensor"], original + ["complete", "01_tensor"]),
        }
        wall, cpu = _medians([_time_ms([sys.executable, "-c", "pass"], env) for _ in range(options.runs)])
        print(f"{'python -c pass':20} wall {wall:6.1f} ms, cpu {cpu:6.1f} ms")
        for mine, theirs in cases.values():
            _time_ms(mine, env), _time_ms(theirs, env)
        for name, (mine, theirs) in cases.items():
            samples: dict[str, list[tuple[float, float]]] = {"ours": [], "original": []}
            for _ in range(options.runs):
                samples["ours"].append(_time_ms(mine, env))
                samples["original"].append(_time_ms(theirs, env))
            (ours_wall, ours_cpu), (original_wall, original_cpu) = (_medians(samples[key]) for key in ("ours", "original"))
            print(f"{name:20} wall: ours {ours_wall:6.1f} ms, original {original_wall:6.1f} ms, ratio {ours_wall / original_wall:4.2f}x"
                  f" | cpu: ours {ours_cpu:6.1f} ms, original {original_cpu:6.1f} ms, ratio {ours_cpu / original_cpu:4.2f}x")


if __name__ == "__main__":
    main()
