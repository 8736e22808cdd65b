"""The sweep behind the MLPerf thresholds: run the MLPerf verification on the reference package for
many seeds, in one process, and print each measured value's minimum, median and maximum.

    cd tests/courses/reference_tinytorch && PYTHONPATH=. nice -n 10 ../../../.venv/bin/python ../mlperf_sweep.py 200
"""

from __future__ import annotations

import random
import statistics
import sys

import numpy as np

from tinytorch_milestones.core import registry
from tinytorch_milestones.services.verify.checks import LearningChecks
from tinytorch_milestones.services.verify.datasets import TINYDIGITS_PATH, load_tiny_digits
from tinytorch_milestones.services.verify.learning_tests import test_mlperf_learning as mlperf


def main(seeds: int) -> None:
    registry.use_course("tinytorch")
    digits = load_tiny_digits(TINYDIGITS_PATH)
    values: dict[str, list[float]] = {}
    for seed in range(1, seeds + 1):
        np.random.seed(seed)
        random.seed(seed)
        recorded: dict[str, float] = {}
        mlperf.test_mlperf_learning(LearningChecks(lambda name, value: recorded.__setitem__(name, value)), digits)
        for name, value in recorded.items():
            values.setdefault(name, []).append(float(value))
    for name, series in values.items():
        print(f"{name:32} min {min(series):.4f}  median {statistics.median(series):.4f}  max {max(series):.4f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
