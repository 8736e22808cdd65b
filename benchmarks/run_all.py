"""Run every benchmark in this folder, one after the other: python benchmarks/run_all.py"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    failures = 0
    for bench in sorted(Path(__file__).parent.glob("*_bench.py")):
        print(f"== {bench.name}", flush=True)
        failures += subprocess.run([sys.executable, str(bench)]).returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
