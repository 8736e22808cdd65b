"""Gradient checks: a student's backward against central differences through the student's own forward.

A forward's output is reduced to a scalar as `(out * R).sum()` with a fixed random `R`, using only
the student's Tensor (TINYTORCH_CONTRACT.md); `backward()` on it gives the analytic gradients. The
numerical gradient nudges one entry of a tensor's `.data` at a time (assigning a nudged copy) and takes
`sum(out.data * R)` in float64. It divides by the step actually stored (float32 rounds `x + eps`),
so representation error does not count as a gradient error.

Error of one tensor: `||analytic - numerical|| / max(||analytic||, ||numerical||, floor)` (L2 norms
over the entries checked), where `floor` is `FLOOR_SHARE` of the largest numerical gradient norm of
the same check. A tensor whose true gradient is zero (attention's key bias: softmax ignores a shift
shared by all keys) then compares rounding noise against the check's own scale and passes.

Precision (`precision_of`): float64 when the student's Tensor keeps float64 data, else float32.
Measured worst error of correct implementations, every component check, 50 seeds each
(`python -m tests.verify.broken.component_sweep --seeds 50 --reference PROJECT`, 2026-12-02): the
reference notebooks' export and the independent implementation with each harmless variant, float32:
1.06e-3 (BinaryCrossEntropyLoss, step 1e-2), against the tolerance 2e-2 (margin 19x); float64:
2.1e-8 (MultiHeadAttention, step 1e-6), against 1e-5 (margin 480x). The 22 defects of
tests/verify/broken measure 0.2 or more (or leave the gradient missing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import messages
from .checks import CheckFailed

FLOOR_SHARE = 1e-2
MAX_ENTRIES = 32


@dataclass(frozen=True)
class Precision:
    """The float type inputs are made in, the central-difference step and the relative-error tolerance."""

    dtype: type
    eps: float
    tolerance: float


FLOAT32 = Precision(np.float32, 1e-2, 2e-2)
FLOAT64 = Precision(np.float64, 1e-6, 1e-5)


def precision_of(tensor_class: Any) -> Precision:
    """FLOAT64 when `Tensor(float64 array).data` stays float64, else FLOAT32."""
    data = np.asarray(tensor_class(np.zeros(2, dtype=np.float64)).data)
    return FLOAT64 if data.dtype == np.float64 else FLOAT32


@dataclass(frozen=True)
class Watched:
    """A tensor whose gradient is checked, and how a student reads it ("weight", "input", "parameters()[2]")."""

    tensor: Any
    wrt: str
    about: str


def _data(tensor: Any) -> np.ndarray:
    return np.asarray(tensor.data)


def _entries(shape: tuple[int, ...], rng: np.random.Generator) -> list[tuple[int, ...]]:
    """Every index of `shape`, or `MAX_ENTRIES` of them drawn at random for larger tensors."""
    everything = list(np.ndindex(*shape))
    if len(everything) <= MAX_ENTRIES:
        return everything
    chosen = rng.choice(len(everything), size=MAX_ENTRIES, replace=False)
    return [everything[i] for i in sorted(chosen)]


def _numerical(value: Callable[[], float], tensor: Any, entries: Sequence[tuple[int, ...]], eps: float) -> np.ndarray:
    """Central differences, setting `tensor.data` to a nudged copy (so a `.data` property works too)."""
    original = _data(tensor)
    grads = np.zeros(len(entries))
    try:
        for k, index in enumerate(entries):
            steps = []
            for sign in (1.0, -1.0):
                nudged = np.array(original, copy=True)
                nudged[index] = original[index] + sign * eps
                tensor.data = nudged
                steps.append((float(_data(tensor)[index]), value()))
            (up_at, up), (down_at, down) = steps
            grads[k] = (up - down) / (up_at - down_at)
    finally:
        tensor.data = original
    return grads


class GradientCheck:
    """One component's forward, the tensors whose gradients are checked, and the student's Tensor class."""

    def __init__(self, component: str, tensor_class: Any, precision: Precision, rng: np.random.Generator) -> None:
        self.component = component
        self.tensor_class = tensor_class
        self.precision = precision
        self.rng = rng

    def _fail(self, summary: str, about: str, measured: Any = None, threshold: Any = None) -> CheckFailed:
        return CheckFailed(messages.component_check(self.component), summary,
                           messages.component_hint(self.component, about), measured=measured, threshold=threshold)

    def raised(self, stage: str, error: BaseException) -> CheckFailed:
        """Student code raised: a failed check naming the component, the stage and the exception's line."""
        return CheckFailed(messages.component_check(self.component),
                           messages.component_raised(self.component, stage, messages.one_line(error)),
                           messages.HINT_COMPONENT_RAISED, measured=None, threshold=None)

    def errors(self, forward: Callable[[], Any], watched: Sequence[Watched]) -> list[float]:
        """The relative error of each watched tensor's gradient (backward against central differences).

        Raises `CheckFailed` naming the component and quantity when a gradient is missing or has
        the wrong shape, or when student code raises.
        """
        try:
            out = forward()
        except Exception as error:  # noqa: BLE001 - student code
            raise self.raised(messages.STAGE_FORWARD, error) from None
        out_data = _data(out)
        scalar_output = out_data.size == 1
        weights = np.ones(out_data.shape) if scalar_output else (
            self.rng.uniform(0.5, 1.5, out_data.shape) * self.rng.choice([-1.0, 1.0], out_data.shape))
        try:
            for item in watched:
                item.tensor.grad = None
            loss = out if scalar_output else (out * self.tensor_class(weights.astype(self.precision.dtype))).sum()
            loss.backward()
        except Exception as error:  # noqa: BLE001 - student code
            raise self.raised(messages.STAGE_BACKWARD, error) from None
        analytic = [item.tensor.grad for item in watched]

        def value() -> float:
            return float(np.sum(np.asarray(_data(forward()), dtype=np.float64) * weights))

        numerical = []
        for item, grad in zip(watched, analytic):
            what = messages.quantity(item.wrt, self.component)
            if grad is None:
                raise self._fail(messages.gradient_missing(self.component, what), item.about,
                                 threshold=messages.THRESHOLD_GRADIENT_PRESENT)
            array = _data(item.tensor)
            if _data(grad).shape != array.shape:
                raise self._fail(messages.gradient_wrong_shape(self.component, what, _data(grad).shape, array.shape),
                                 item.about, measured=list(_data(grad).shape), threshold=list(array.shape))
            entries = _entries(array.shape, self.rng)
            try:
                numerical.append((entries, _numerical(value, item.tensor, entries, self.precision.eps)))
            except Exception as error:  # noqa: BLE001 - student code
                raise self.raised(messages.STAGE_FORWARD, error) from None
        floor = FLOOR_SHARE * max((float(np.linalg.norm(n)) for _, n in numerical), default=0.0) + 1e-12
        errors = []
        for grad, (entries, expected) in zip(analytic, numerical):
            got = np.array([_data(grad)[index] for index in entries], dtype=np.float64)
            scale = max(float(np.linalg.norm(got)), float(np.linalg.norm(expected)), floor)
            errors.append(float(np.linalg.norm(got - expected)) / scale if np.all(np.isfinite(got)) else float("inf"))
        return errors

    def run(self, forward: Callable[[], Any], watched: Sequence[Watched]) -> float:
        """`errors`, then a `CheckFailed` for the first tensor over the tolerance; else the worst error."""
        errors = self.errors(forward, watched)
        for item, error in zip(watched, errors):
            if not error <= self.precision.tolerance:
                what = messages.quantity(item.wrt, self.component)
                raise self._fail(messages.gradient_mismatch(self.component, what, error, self.precision.tolerance),
                                 item.about, measured=error, threshold=self.precision.tolerance)
        return max(errors, default=0.0)
