"""CLI start: `progress` and `complete MODULE` in a fresh process, ours beside the original tracker's.

The original (../shared/anchors/original_milestone_tracker.py, MIT, for benchmarks only) is run by path as
its own `__main__`, with HOME pointed at a throwaway folder; ours with TINYTORCH_HOME there. Runs are
interleaved (ours, original, ours, ...) so both see the same machine load; medians are reported.

Run: python benchmarks/cli_start_bench.py [--runs N] [--original PATH]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_ORIGINAL = Path(__file__).resolve().parents[3] / "shared" / "anchors" / "original_milestone_tracker.py"


def _time_ms(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--original", type=Path, default=DEFAULT_ORIGINAL)
    options = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {options.runs} interleaved runs")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "TINYTORCH_HOME": str(Path(home) / ".tinytorch")}
        ours = [sys.executable, "-m", "tinytorch_milestones"]
        original = [sys.executable, str(options.original)]
        cases = {
            "progress": (ours + ["progress"], original + ["progress"]),
            "complete 01_tensor": (ours + ["complete", "01_tensor"], original + ["complete", "01_tensor"]),
        }
        bare = statistics.median(_time_ms([sys.executable, "-c", "pass"], env) for _ in range(options.runs))
        print(f"{'python -c pass':24} {bare:7.1f} ms")
        for name, (mine, theirs) in cases.items():
            samples: dict[str, list[float]] = {"ours": [], "original": []}
            for _ in range(options.runs):
                samples["ours"].append(_time_ms(mine, env))
                samples["original"].append(_time_ms(theirs, env))
            ours_ms, original_ms = (statistics.median(samples[key]) for key in ("ours", "original"))
            print(f"{name:24} ours {ours_ms:7.1f} ms   original {original_ms:7.1f} ms   ratio {ours_ms / original_ms:4.2f}x")


if __name__ == "__main__":
    main()
