"""Rebuild `tinydigits.npz` from the UCI optical digits that scikit-learn ships (maintainers only).

Needs scikit-learn, which is not a dependency of tinytorch-milestones: install it in a scratch
environment and run `python build_tinydigits.py [OUTPUT]`. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

SEED = 1957
TRAIN_PER_CLASS = 100
TEST_PER_CLASS = 20
PIXEL_MAX = 16.0


def balanced_split(labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Indices of a class-balanced train and test split, each shuffled."""
    train, test = [], []
    for digit in range(10):
        chosen = rng.permutation(np.flatnonzero(labels == digit))[: TRAIN_PER_CLASS + TEST_PER_CLASS]
        train.extend(chosen[:TRAIN_PER_CLASS])
        test.extend(chosen[TRAIN_PER_CLASS:])
    return rng.permutation(np.array(train)), rng.permutation(np.array(test))


def build(output: Path) -> str:
    """Write the TinyDigits archive to `output` and return its sha256."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / PIXEL_MAX).astype(np.float32)
    labels = digits.target.astype(np.int64)
    train, test = balanced_split(labels, np.random.default_rng(SEED))
    np.savez_compressed(
        output,
        train_images=images[train],
        train_labels=labels[train],
        test_images=images[test],
        test_labels=labels[test],
    )
    return hashlib.sha256(output.read_bytes()).hexdigest()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("tinydigits.npz")
    print(target, build(target))
