"""Seed sweep: every learning test on correct implementations, many seeds; the worst value of each metric.

    nice -n 10 .venv/bin/python -m tests.verify.broken.sweep --seeds 10 [--reference PATH_TO_EXPORTED_PROJECT]

Runs the shipped learning tests (pytest, one process per implementation and seed, the result
plugin's JSON report; seed by seed over all implementations, each result a JSON line on stderr) against the independent implementation with each harmless variant and both
layouts, and against an exported reference project when given. Prints, per milestone, the worst
value of each learned metric over all runs and any failure. Its figures are quoted in the learning
tests' docstring.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from tests.verify.broken.package import VARIANTS, learning_results, write_package
from tinytorch_milestones.core.registry import MILESTONE_ORDER

HIGHER_IS_BETTER = ("loss_reduction", "accuracy", "test_accuracy")
LOWER_IS_BETTER = ("final_loss", "worst_gradient_error")
IMPLEMENTATIONS = [("default", ()), *[(variant, (variant,)) for variant in VARIANTS], ("current_layout", ())]


def run(project: Path, seed: int) -> dict:
    """The plugin's report of all five learning tests in `project`, each in the runner's own child."""
    return {"tests": list(learning_results(project, list(MILESTONE_ORDER), seed).values())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--reference", type=Path, default=None)
    args = parser.parse_args()
    worst: dict[tuple[str, str], tuple[float, str]] = {}
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        projects = []
        for name, variants in IMPLEMENTATIONS:
            layout = "current" if name == "current_layout" else "classic"
            projects.append((name, write_package(Path(folder) / name, variants=variants, layout=layout)))
        if args.reference:
            projects.append(("reference", args.reference))
        for seed in range(args.seeds):
            for name, project in projects:
                for test in run(project, seed)["tests"]:
                    milestone = test["nodeid"].split("::test_")[-1].removesuffix("_learning")
                    if test["outcome"] != "passed":
                        failures.append((name, seed, milestone, test["message"]))
                    for metric, value in test["metrics"].items():
                        if metric in HIGHER_IS_BETTER or metric in LOWER_IS_BETTER:
                            key = (milestone, metric)
                            better = (lambda a, b: a < b) if metric in HIGHER_IS_BETTER else (lambda a, b: a > b)
                            if key not in worst or better(value, worst[key][0]):
                                worst[key] = (value, f"{name} seed {seed}")
                    print(json.dumps({"implementation": name, "seed": seed, "milestone": milestone,
                                      "outcome": test["outcome"], "metrics": test["metrics"]}), file=sys.stderr, flush=True)
    for (milestone, metric), (value, where) in sorted(worst.items()):
        print(f"{milestone:12s} {metric:22s} worst {value:.4f} ({where})")
    print(f"runs: {len(projects)} implementations x {args.seeds} seeds; failures: {len(failures)}")
    for failure in failures:
        print("FAILED", *failure)


if __name__ == "__main__":
    main()
