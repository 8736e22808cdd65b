"""The checks a learning verification asserts, each failing with "which check, measured, threshold: hint".

Used inside the learning tests (in the pytest process that imports the student's `tinytorch`); every
measured value is also recorded as a metric (pytest's `record_property`) for the result card.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import messages

Record = Callable[[str, Any], None]


class CheckFailed(AssertionError):
    """A learning check that did not hold; carries the check's name, measured value, threshold and hint."""

    def __init__(self, check: str, summary: str, hint: str, measured: Any = None, threshold: Any = None) -> None:
        super().__init__(messages.with_hint(summary, hint))
        self.check = check
        self.summary = summary
        self.hint = hint
        self.measured = measured
        self.threshold = threshold

    def as_dict(self) -> dict[str, Any]:
        """The check's fields as JSON-ready data (what the result plugin reports)."""
        return {
            "check": self.check,
            "measured": _jsonable(self.measured),
            "threshold": _jsonable(self.threshold),
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Param:
    """A trainable tensor, the name a student recognises ("fc1.weight") and the layer computing its gradient."""

    name: str
    tensor: Any
    layer: str


def layer_params(name: str, layer: Any, kind: str) -> list[Param]:
    """A layer's `weight` and `bias` (a bias of None is skipped), named "name.weight" and "name.bias"."""
    params = [Param(f"{name}.weight", layer.weight, kind)]
    if getattr(layer, "bias", None) is not None:
        params.append(Param(f"{name}.bias", layer.bias, kind))
    return params


def listed_params(name: str, tensors: Iterable[Any], kind: str) -> list[Param]:
    """The tensors of a layer's `.parameters()`, named "name.parameters()[i]"."""
    return [Param(f"{name}.parameters()[{index}]", tensor, kind) for index, tensor in enumerate(tensors)]


def scalar(loss: Any) -> float:
    """A scalar loss Tensor as a Python float."""
    return float(np.asarray(loss.data).item())


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _largest_abs(tensor: Any) -> float:
    data = np.asarray(tensor.data if hasattr(tensor, "data") else tensor, dtype=np.float64)
    return float(np.max(np.abs(data))) if data.size else 0.0


class TrainingMonitor:
    """Watches one training run: the loss at every step, and each parameter's largest gradient and change."""

    def __init__(self, params: Sequence[Param]) -> None:
        self.params = list(params)
        self.initial = {param.name: np.array(param.tensor.data, dtype=np.float64, copy=True) for param in self.params}
        self.largest_grad: dict[str, float | None] = {param.name: None for param in self.params}
        self.losses: list[float] = []

    def after_backward(self, loss: Any) -> float:
        """Call right after `loss.backward()`: notes the loss and the gradients; fails fast on nan/inf."""
        value = scalar(loss)
        self.losses.append(value)
        if not math.isfinite(value):
            raise CheckFailed(
                messages.CHECK_LOSS_FINITE, messages.loss_not_finite(len(self.losses), value), messages.HINT_LOSS_NOT_FINITE,
                measured=value, threshold=messages.THRESHOLD_FINITE,
            )
        for param in self.params:
            grad = param.tensor.grad
            if grad is not None:
                seen = self.largest_grad[param.name] or 0.0
                self.largest_grad[param.name] = max(seen, _largest_abs(grad))
        return value

    def largest_change(self, param: Param) -> float:
        """How far the parameter moved from its value before training (max absolute difference)."""
        now = np.asarray(param.tensor.data, dtype=np.float64)
        before = self.initial[param.name]
        if now.shape != before.shape:
            return math.inf
        return float(np.max(np.abs(now - before))) if now.size else 0.0


class LearningChecks:
    """The assertions of a learning test; each records what it measured before deciding."""

    def __init__(self, record: Record) -> None:
        self._record = record

    def record(self, name: str, value: Any) -> None:
        """Report one metric (rounded floats) to the result plugin."""
        value = _jsonable(value)
        self._record(name, round(value, 6) if isinstance(value, float) else value)

    def loss_responds(self, good: float, poor: float, hint: str) -> None:
        """The loss must score near-perfect predictions lower than uninformed ones (catches a constant loss)."""
        self.record("loss_of_good_predictions", good)
        self.record("loss_of_poor_predictions", poor)
        if not (math.isfinite(good) and math.isfinite(poor) and good < poor):
            raise CheckFailed(messages.CHECK_LOSS_RESPONDS, messages.loss_ignores_predictions(good, poor), hint,
                              measured=good, threshold=messages.threshold_below(poor))

    def gradients_flowed(self, monitor: TrainingMonitor) -> None:
        """Every parameter received a gradient, and not only zeros, at some step of training."""
        grads = monitor.largest_grad
        present = [name for name, value in grads.items() if value is not None]
        nonzero = [name for name, value in grads.items() if value]
        total = len(grads)
        self.record("params_with_gradient", len(nonzero))
        self.record("params_total", total)
        if not present:
            raise CheckFailed(messages.CHECK_GRADIENT_PRESENT, messages.no_gradient_anywhere(total), messages.HINT_LOSS_DISCONNECTED,
                              measured=0, threshold=total)
        if not nonzero:
            raise CheckFailed(messages.CHECK_GRADIENT_NONZERO, messages.zero_gradient_everywhere(total), messages.HINT_AUTOGRAD_ZEROS,
                              measured=0.0, threshold=messages.THRESHOLD_NONZERO)
        for param in monitor.params:
            largest = grads[param.name]
            if largest is None:
                raise CheckFailed(messages.CHECK_GRADIENT_PRESENT, messages.no_gradient(param.name),
                                  messages.layer_backward_hint(param.layer), measured=None,
                                  threshold=messages.THRESHOLD_A_GRADIENT)
            if not largest:
                raise CheckFailed(messages.CHECK_GRADIENT_NONZERO, messages.zero_gradient(param.name),
                                  messages.layer_backward_hint(param.layer), measured=0.0,
                                  threshold=messages.THRESHOLD_NONZERO)

    def parameters_updated(self, monitor: TrainingMonitor) -> None:
        """Training moved every parameter away from its initial value."""
        changes = {param.name: monitor.largest_change(param) for param in monitor.params}
        moved = [name for name, change in changes.items() if change > 0]
        self.record("params_updated", len(moved))
        if not moved:
            raise CheckFailed(messages.CHECK_PARAMETER_UPDATED, messages.none_updated(len(changes)), messages.HINT_OPTIMIZER,
                              measured=0.0, threshold=messages.THRESHOLD_NONZERO)
        for param in monitor.params:
            if not changes[param.name] > 0:
                raise CheckFailed(messages.CHECK_PARAMETER_UPDATED, messages.not_updated(param.name), messages.HINT_OPTIMIZER,
                                  measured=0.0, threshold=messages.THRESHOLD_NONZERO)

    def loss_decreased(self, initial: float, final: float, min_fraction: float, hint: str) -> None:
        """The loss fell by at least `min_fraction` of its initial value."""
        fraction = (initial - final) / initial if initial > 0 else 0.0
        self.record("initial_loss", initial)
        self.record("final_loss", final)
        self.record("loss_reduction", fraction)
        if not (math.isfinite(fraction) and fraction >= min_fraction):
            raise CheckFailed(messages.CHECK_LOSS_DECREASE, messages.loss_not_decreased(initial, final, fraction, min_fraction), hint,
                              measured=fraction, threshold=min_fraction)

    def at_least(self, check: str, measured: float, threshold: float, hint: str) -> None:
        """`measured` (recorded under `check`) must be at least `threshold`."""
        self.record(check.replace(" ", "_"), measured)
        if not measured >= threshold:
            raise CheckFailed(check, messages.value_below(check, measured, threshold), hint,
                              measured=measured, threshold=threshold)

    def at_most(self, check: str, measured: float, threshold: float, hint: str) -> None:
        """`measured` (recorded under `check`) must be at most `threshold`."""
        self.record(check.replace(" ", "_"), measured)
        if not measured <= threshold:
            raise CheckFailed(check, messages.value_above(check, measured, threshold), hint,
                              measured=measured, threshold=threshold)
