"""TinyDigits, the 8x8 digits shipped with the package: loaded, checked, never downloaded.

See data/PROVENANCE.md for where it comes from. A missing or damaged file raises `DataFileError`
with a message saying which file and what is wrong.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import messages

TINYDIGITS_PATH = Path(__file__).parent / "data" / "tinydigits.npz"
TINYDIGITS_SHA256 = "7bc6bf69d87f5002ff28b1037d3bc22821ea40478b8ee95d305464bb800f6d1f"
TINYDIGITS_LAYOUT = {
    "train_images": ((1000, 8, 8), np.float32),
    "train_labels": ((1000,), np.int64),
    "test_images": ((200, 8, 8), np.float32),
    "test_labels": ((200,), np.int64),
}


class DataFileError(RuntimeError):
    """The shipped data file is missing or is not the file we shipped."""


@dataclass(frozen=True)
class TinyDigits:
    """1000 training and 200 test 8x8 digit images (float32 in [0, 1]) with int64 labels 0-9."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


def _described(dtype: Any, shape: tuple[int, ...]) -> str:
    """An array's dtype and shape as "float32[1000, 8, 8]"."""
    return f"{np.dtype(dtype)}{list(shape)}"


def _layout_problem(arrays: dict[str, np.ndarray]) -> str | None:
    for name, (shape, dtype) in TINYDIGITS_LAYOUT.items():
        if name not in arrays:
            return messages.data_no_array(name)
        array = arrays[name]
        if array.shape != shape or array.dtype != dtype:
            return messages.data_wrong_layout(name, _described(array.dtype, array.shape), _described(dtype, shape))
    for name in ("train_images", "test_images"):
        if not (np.isfinite(arrays[name]).all() and arrays[name].min() >= 0.0 and arrays[name].max() <= 1.0):
            return messages.data_values_out_of_range(name)
    for name in ("train_labels", "test_labels"):
        if arrays[name].min() < 0 or arrays[name].max() > 9:
            return messages.data_labels_out_of_range(name)
    return None


def load_tiny_digits(path: str | Path = TINYDIGITS_PATH, sha256: str | None = TINYDIGITS_SHA256) -> TinyDigits:
    """The TinyDigits arrays from `path`, after checking its digest (when given), shapes, dtypes and ranges."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(messages.data_missing(path)) from None
    except OSError as error:
        raise DataFileError(messages.data_damaged(path, error.strerror or str(error))) from None
    digest = hashlib.sha256(data).hexdigest()
    if sha256 is not None and digest != sha256:
        raise DataFileError(messages.data_damaged(path, messages.data_wrong_digest(digest, sha256)))
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise DataFileError(messages.data_damaged(path, messages.data_not_an_archive(error))) from None
    problem = _layout_problem(arrays)
    if problem:
        raise DataFileError(messages.data_damaged(path, problem))
    return TinyDigits(**{name: arrays[name] for name in TINYDIGITS_LAYOUT})
