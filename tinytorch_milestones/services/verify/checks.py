"""The checks a learning verification asserts, each failing with "which check, measured, threshold: hint".

Used inside the learning tests (in the pytest process that imports the student's `tinytorch`); every
measured value is also recorded as a metric (pytest's `record_property`) for the result card.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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


# A gradient at most this share of the largest gradient of the model is rounding noise (float32
# resolves about 1e-7 relative; attention's key bias measures about 1e-8 of the others).
NEGLIGIBLE_SHARE = 1e-6


@dataclass(frozen=True)
class Param:
    """A trainable tensor, the name a student recognises ("fc1.weight") and the layer computing its gradient.

    `zero_allowed`: its true gradient may be zero by symmetry (attention's key-projection bias:
    softmax ignores a shift shared by all keys), so a negligible gradient is not a failure; its
    backward is checked numerically by the component checks instead.
    """

    name: str
    tensor: Any
    layer: str
    zero_allowed: bool = False


def layer_params(name: str, layer: Any, kind: str) -> list[Param]:
    """A layer's `weight` and `bias` (a bias of None is skipped), named "name.weight" and "name.bias"."""
    params = [Param(f"{name}.weight", layer.weight, kind)]
    if getattr(layer, "bias", None) is not None:
        params.append(Param(f"{name}.bias", layer.bias, kind))
    return params


def listed_params(name: str, tensors: Iterable[Any], kind: str, zero_allowed: bool = False) -> list[Param]:
    """The tensors of a layer's `.parameters()`, named "name.parameters()[i]"."""
    return [Param(f"{name}.parameters()[{index}]", tensor, kind, zero_allowed) for index, tensor in enumerate(tensors)]


@contextmanager
def student_code(stage: str) -> Iterator[None]:
    """Turn any exception from the student's code inside the block into a failed check with its one line."""
    try:
        yield
    except CheckFailed:
        raise
    except ModuleNotFoundError as error:
        if error.name != "tinytorch":
            raise _raised(stage, error) from None
        raise  # no package at all: the result plugin says how to export one
    except Exception as error:  # noqa: BLE001 - student code: any failure is a failed check
        raise _raised(stage, error) from None


def _raised(stage: str, error: BaseException) -> CheckFailed:
    return CheckFailed(messages.CHECK_STUDENT_CODE, messages.training_raised(stage, messages.one_line(error)),
                       messages.HINT_TRAINING_RAISED, measured=messages.one_line(error), threshold=None)


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

    def negligible(self) -> float:
        """The largest gradient that counts as rounding noise: `NEGLIGIBLE_SHARE` of the largest of any parameter."""
        return NEGLIGIBLE_SHARE * max((value or 0.0 for value in self.largest_grad.values()), default=0.0)

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

    def components_passed(self, errors: dict[str, float]) -> None:
        """Record what the component checks measured (they raise on failure themselves)."""
        self.record("components_checked", len(errors))
        self.record("worst_gradient_error", max(errors.values(), default=0.0))

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
        floor = monitor.negligible()
        for param in monitor.params:
            largest = grads[param.name]
            if largest is None:
                raise CheckFailed(messages.CHECK_GRADIENT_PRESENT, messages.no_gradient(param.name),
                                  messages.layer_backward_hint(param.layer), measured=None,
                                  threshold=messages.THRESHOLD_A_GRADIENT)
            if largest <= floor and not param.zero_allowed:
                raise CheckFailed(messages.CHECK_GRADIENT_NONZERO, messages.zero_gradient(param.name),
                                  messages.layer_backward_hint(param.layer), measured=0.0,
                                  threshold=messages.THRESHOLD_NONZERO)

    def parameters_updated(self, monitor: TrainingMonitor) -> None:
        """Training moved every parameter whose gradient was not negligible away from its initial value.

        A parameter whose gradient stayed at rounding noise (`TrainingMonitor.negligible`) need not
        move: SGD moves it by -lr * grad, which may round to nothing.
        """
        changes = {param.name: monitor.largest_change(param) for param in monitor.params}
        moved = [name for name, change in changes.items() if change > 0]
        floor = monitor.negligible()
        must_move = [param for param in monitor.params if (monitor.largest_grad[param.name] or 0.0) > floor]
        self.record("params_updated", len(moved))
        self.record("params_required_to_move", len(must_move))
        if not moved:
            raise CheckFailed(messages.CHECK_PARAMETER_UPDATED, messages.none_updated(len(changes)), messages.HINT_OPTIMIZER,
                              measured=0.0, threshold=messages.THRESHOLD_NONZERO)
        for param in must_move:
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
