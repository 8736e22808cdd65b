"""Component-check sweep: the worst gradient error of every component on correct implementations.

    nice -n 10 .venv/bin/python -m tests.verify.broken.component_sweep --seeds 50 [--reference PROJECT]

For the independent implementation (each harmless variant) and an exported reference project when
given, runs every component check on many seeds (in a child process per implementation, which
imports that project's tinytorch) and prints each component's worst relative error and the
tolerance of the precision used. Its figures are quoted in gradcheck.py's docstring.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.verify.broken.package import VARIANTS, write_package

CHILD = """
import json, sys
import numpy as np
from tinytorch_milestones.services.verify import components, gradcheck

worst = {}
original = gradcheck.GradientCheck.run


def run(self, forward, watched):
    errors = self.errors(forward, watched)
    worst[self.component] = max(worst.get(self.component, 0.0), *errors)
    return original(self, forward, watched)


gradcheck.GradientCheck.run = run
tolerance = None
for seed in range(int(sys.argv[1])):
    ctx = components.Context(np.random.default_rng(seed))
    tolerance = ctx.precision.tolerance
    for check in components.CHECKS.values():
        check(ctx)
print(json.dumps({"worst": worst, "tolerance": tolerance}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--reference", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        projects = [(name, write_package(Path(folder) / name, variants=variants))
                    for name, variants in [("default", ()), *[(v, (v,)) for v in VARIANTS]]]
        if args.reference:
            projects.append(("reference", args.reference))
        for name, project in projects:
            done = subprocess.run([sys.executable, "-c", CHILD, str(args.seeds)], cwd=project,
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{name}: FAILED {done.stderr.strip().splitlines()[-1]}")
                continue
            result = json.loads(done.stdout)
            component, error = max(result["worst"].items(), key=lambda item: item[1])
            print(f"{name:14s} worst {error:.3g} ({component}), tolerance {result['tolerance']:g}, "
                  f"margin {result['tolerance'] / error:.0f}x")


if __name__ == "__main__":
    main()
