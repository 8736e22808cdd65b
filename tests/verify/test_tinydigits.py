"""TinyDigits ships inside the package, matches its provenance note, and fails loudly when damaged."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from tinytorch_milestones.services.verify.datasets import (
    TINYDIGITS_PATH,
    TINYDIGITS_SHA256,
    DataFileError,
    load_tiny_digits,
)

PROVENANCE = TINYDIGITS_PATH.with_name("PROVENANCE.md")


def test_shipped_data_is_balanced_8x8_in_unit_range() -> None:
    digits = load_tiny_digits()
    assert digits.train_images.shape == (1000, 8, 8) and digits.test_images.shape == (200, 8, 8)
    assert digits.train_images.dtype == np.float32 and digits.train_labels.dtype == np.int64
    assert 0.0 == digits.train_images.min() and digits.train_images.max() == 1.0
    assert np.bincount(digits.train_labels).tolist() == [100] * 10
    assert np.bincount(digits.test_labels).tolist() == [20] * 10


def test_shipped_file_is_small_and_its_provenance_states_its_digest() -> None:
    assert TINYDIGITS_PATH.stat().st_size < 100_000
    digest = hashlib.sha256(TINYDIGITS_PATH.read_bytes()).hexdigest()
    text = PROVENANCE.read_text(encoding="utf-8")
    assert digest == TINYDIGITS_SHA256
    assert re.search(rf"`{digest}`", text)
    assert "CC BY 4.0" in text and "1957" in text


def test_train_and_test_images_do_not_overlap() -> None:
    digits = load_tiny_digits()
    train = {image.tobytes() for image in digits.train_images}
    assert not any(image.tobytes() in train for image in digits.test_images)


def test_missing_file_is_reported_by_path(tmp_path: Path) -> None:
    missing = tmp_path / "tinydigits.npz"
    with pytest.raises(DataFileError, match=rf"^the TinyDigits data file {re.escape(str(missing))} is missing; .*reinstall"):
        load_tiny_digits(missing)


def test_truncated_file_fails_its_digest(tmp_path: Path) -> None:
    damaged = tmp_path / "tinydigits.npz"
    damaged.write_bytes(TINYDIGITS_PATH.read_bytes()[:5000])
    with pytest.raises(DataFileError, match=r"is damaged \(sha256 [0-9a-f]{12}\.\.\., expected 7bc6bf69d87f\.\.\.\)"):
        load_tiny_digits(damaged)


def test_unreadable_archive_is_named_even_without_a_digest(tmp_path: Path) -> None:
    damaged = tmp_path / "tinydigits.npz"
    damaged.write_bytes(b"not a zip archive")
    with pytest.raises(DataFileError, match=r"is damaged \(not a readable \.npz archive"):
        load_tiny_digits(damaged, sha256=None)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda a: a.pop("test_labels"), r"no array 'test_labels'"),
        (lambda a: a.update(train_images=a["train_images"][:999]), r"train_images is float32\[999, 8, 8\], expected float32\[1000, 8, 8\]"),
        (lambda a: a.update(test_images=a["test_images"] * 16), r"test_images has values outside \[0, 1\]"),
        (lambda a: a.update(train_labels=a["train_labels"] + 1), r"train_labels has labels outside 0-9"),
    ],
)
def test_wrong_layout_is_named(tmp_path: Path, change, problem: str) -> None:
    with np.load(TINYDIGITS_PATH) as archive:
        arrays = {name: archive[name] for name in archive.files}
    change(arrays)
    damaged = tmp_path / "tinydigits.npz"
    np.savez_compressed(damaged, **arrays)
    with pytest.raises(DataFileError, match=problem):
        load_tiny_digits(damaged, sha256=None)


def test_a_copy_of_the_shipped_file_loads(tmp_path: Path) -> None:
    copy = tmp_path / "digits.npz"
    shutil.copyfile(TINYDIGITS_PATH, copy)
    assert load_tiny_digits(copy).test_labels.shape == (200,)
