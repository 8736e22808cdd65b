"""Fixtures every shipped learning test uses: seeded randomness, the learning checks, TinyDigits."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest

from tinytorch_milestones.services.verify.checks import LearningChecks
from tinytorch_milestones.services.verify.datasets import TINYDIGITS_PATH, TinyDigits, load_tiny_digits

SEED = int(os.environ.get("TINYTORCH_VERIFY_SEED", "1957"))


@pytest.fixture(autouse=True)
def seeded() -> None:
    """The same start every run: numpy's and Python's global generators seeded."""
    np.random.seed(SEED)
    random.seed(SEED)


@pytest.fixture
def checks(record_property) -> LearningChecks:
    """The learning checks, reporting every measured value as a metric of this test."""
    return LearningChecks(record_property)


@pytest.fixture
def tiny_digits() -> TinyDigits:
    """The shipped TinyDigits (TINYTORCH_VERIFY_DIGITS may point elsewhere; its digest is checked anyway)."""
    return load_tiny_digits(os.environ.get("TINYTORCH_VERIFY_DIGITS") or TINYDIGITS_PATH)
