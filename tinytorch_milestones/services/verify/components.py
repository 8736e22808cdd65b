"""Component checks: each building block a milestone needs, checked on its own before any training.

The activations and losses first compute their definition (ReLU is max(x, 0), a loss is a batch
mean), then every differentiable component gets a gradient check (gradcheck.py) of every parameter and of its
input, on a small random input chosen away from kinks: ReLU inputs at least 0.2 from 0, MaxPool2d
windows whose values differ by at least 0.05 (the step is 1e-3), BCE probabilities in [0.15, 0.85].
Parameters are redrawn at random first (in place) so that a default such as LayerNorm's weight of
ones cannot hide a missing factor. SGD is checked against its contract directly: `step()` moves
each parameter by exactly `-lr * grad`, `zero_grad()` clears every gradient, and the next backward
gives the new gradient alone.

`MILESTONE_COMPONENTS` lists what each milestone's model uses; `check_milestone` runs them in that
order: the Tensor operations the checks themselves rely on first, then the simple layers a
composite one may be built from (Linear before MultiHeadAttention), so a failure names the
component where the bug is. It returns each component's worst gradient error.
Cost (`benchmarks/verify_bench.py`, 2026-12-02, a shared 2-core machine): 0.06-0.54 s per
milestone on the reference, 0.04-0.61 s on the independent implementation (transformer the most).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import messages
from .checks import CheckFailed
from .contract import load
from .gradcheck import FLOAT32, GradientCheck, Precision, Watched, precision_of

MILESTONE_COMPONENTS: dict[str, tuple[str, ...]] = {
    "perceptron": ("Tensor", "Linear", "Sigmoid", "BinaryCrossEntropyLoss", "SGD"),
    "xor": ("Tensor", "Linear", "ReLU", "Sigmoid", "BinaryCrossEntropyLoss", "SGD"),
    "mlp_digits": ("Tensor", "Linear", "ReLU", "CrossEntropyLoss", "SGD"),
    "cnn": ("Tensor", "reshape", "Linear", "ReLU", "CrossEntropyLoss", "SGD", "Conv2d", "MaxPool2d"),
    "transformer": ("Tensor", "reshape", "Linear", "ReLU", "CrossEntropyLoss", "SGD", "Embedding",
                    "PositionalEncoding", "LayerNorm", "MultiHeadAttention"),
}

SGD_LR = 0.1
STEP_TOLERANCE = {np.float32: 1e-4, np.float64: 1e-10}
FORWARD_TOLERANCE = {np.float32: 1e-3, np.float64: 1e-8}  # relative to max(1, |expected|)


class Context:
    """The student's Tensor class, the precision its data keeps, and the random generator of one run."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.Tensor = load("Tensor")
        self.rng = rng
        try:
            self.precision: Precision = precision_of(self.Tensor)
        except Exception as error:  # noqa: BLE001 - student code
            raise GradientCheck("Tensor", self.Tensor, FLOAT32, rng).raised(messages.STAGE_BUILD, error) from None

    def array(self, values: np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=self.precision.dtype)

    def leaf(self, values: np.ndarray) -> Any:
        """A Tensor of `values` in the run's precision that requires a gradient."""
        tensor = self.Tensor(self.array(values))
        tensor.requires_grad = True
        return tensor

    def constant(self, values: np.ndarray) -> Any:
        return self.Tensor(np.asarray(values))

    def check(self, component: str) -> GradientCheck:
        return GradientCheck(component, self.Tensor, self.precision, self.rng)

    def redraw(self, tensor: Any, low: float, high: float) -> None:
        """Replace a parameter's values with uniform draws in [low, high), keeping its shape and dtype."""
        data = np.asarray(tensor.data)
        tensor.data = self.rng.uniform(low, high, data.shape).astype(data.dtype)


def _build(check: GradientCheck, make: Callable[[], Any]) -> Any:
    try:
        return make()
    except Exception as error:  # noqa: BLE001 - student code
        raise check.raised(messages.STAGE_BUILD, error) from None


def parameters_of(layer: Any) -> list[Any]:
    """A layer's trainable tensors: `.parameters()` when it has one, else its `weight` and `bias`."""
    if callable(getattr(layer, "parameters", None)):
        found = list(layer.parameters())
    else:
        found = [tensor for tensor in (getattr(layer, "weight", None), getattr(layer, "bias", None)) if tensor is not None]
    return [tensor for tensor in found if getattr(tensor, "requires_grad", True)]


def _named_params(layer: Any) -> list[Watched]:
    """Watched entries for a layer's parameters, named as the student reads them."""
    names = {id(getattr(layer, attribute, None)): attribute for attribute in ("weight", "bias")}
    watched = []
    for index, tensor in enumerate(parameters_of(layer)):
        name = names.get(id(tensor))
        watched.append(Watched(tensor, name or f"parameters()[{index}]", name or "parameter"))
    return watched


def check_tensor(ctx: Context) -> float:
    """sum(), a + b and a * b, each reduced by sum(): the operations every later check relies on."""
    shape = (3, 4)
    a, b = ctx.leaf(ctx.rng.normal(size=shape)), ctx.leaf(ctx.rng.normal(size=shape))
    worst = ctx.check("Tensor.sum").run(lambda: a.sum(), [Watched(a, "input", "input")])
    worst = max(worst, ctx.check("Tensor +").run(lambda: (a + b).sum(),
                                                 [Watched(a, "a", "input"), Watched(b, "b", "input")]))
    return max(worst, ctx.check("Tensor *").run(lambda: (a * b).sum(),
                                                [Watched(a, "a", "input"), Watched(b, "b", "input")]))


def check_reshape(ctx: Context) -> float:
    x = ctx.leaf(ctx.rng.normal(size=(2, 3, 4)))
    return ctx.check("reshape").run(lambda: x.reshape(6, 4), [Watched(x, "input", "input")])


def check_linear(ctx: Context) -> float:
    check = ctx.check("Linear")
    layer = _build(check, lambda: load("Linear")(5, 3))
    for tensor in parameters_of(layer):
        ctx.redraw(tensor, -1.0, 1.0)
    x = ctx.leaf(ctx.rng.normal(size=(4, 5)))
    return check.run(lambda: layer(x), [*_named_params(layer), Watched(x, "input", "input")])


def _forward_matches(ctx: Context, component: str, compute: Callable[[], Any], expected: np.ndarray) -> None:
    """The forward pass of `component` gives its definition's values (a gradient check alone passes a
    wrong function whose backward matches it, such as |x| for ReLU or a summed loss)."""
    check = ctx.check(component)
    try:
        got = np.asarray(compute().data, dtype=np.float64)
    except Exception as error:  # noqa: BLE001 - student code
        raise check.raised(messages.STAGE_FORWARD, error) from None
    tolerance = FORWARD_TOLERANCE.get(ctx.precision.dtype, FORWARD_TOLERANCE[np.float32])
    expected = np.asarray(expected, dtype=np.float64)
    error = np.inf if got.size != expected.size else (
        _largest(got.reshape(expected.shape) - expected) / max(1.0, _largest(expected)))
    if not error <= tolerance:
        raise CheckFailed(messages.component_check(component),
                          messages.forward_wrong(component, messages.FORWARD_DEFINITIONS[component], error, tolerance),
                          messages.component_hint(component, "forward"), measured=error, threshold=tolerance)


def _activation(ctx: Context, name: str, values: np.ndarray, definition: Callable[[np.ndarray], np.ndarray]) -> float:
    check = ctx.check(name)
    layer = _build(check, lambda: load(name)())
    x = ctx.leaf(values)
    _forward_matches(ctx, name, lambda: layer(x), definition(np.asarray(x.data, dtype=np.float64)))
    return check.run(lambda: layer(x), [Watched(x, "input", "input")])


def check_relu(ctx: Context) -> float:
    shape = (4, 5)
    return _activation(ctx, "ReLU", ctx.rng.uniform(0.2, 1.5, shape) * ctx.rng.choice([-1.0, 1.0], shape),
                       lambda x: np.maximum(x, 0.0))


def check_sigmoid(ctx: Context) -> float:
    return _activation(ctx, "Sigmoid", ctx.rng.uniform(-3.0, 3.0, (4, 5)), lambda x: 1.0 / (1.0 + np.exp(-x)))


def check_bce(ctx: Context) -> float:
    check = ctx.check("BinaryCrossEntropyLoss")
    loss_fn = _build(check, lambda: load("BinaryCrossEntropyLoss")())
    p = ctx.leaf(ctx.rng.uniform(0.15, 0.85, (6, 1)))
    labels = np.array([[1], [0], [1], [1], [0], [0]], dtype=np.float64)
    y = ctx.constant(ctx.array(labels))
    probabilities = np.asarray(p.data, dtype=np.float64)
    expected = np.mean(-(labels * np.log(probabilities) + (1 - labels) * np.log(1 - probabilities)))
    _forward_matches(ctx, "BinaryCrossEntropyLoss", lambda: loss_fn(p, y), np.array(expected))
    return check.run(lambda: loss_fn(p, y), [Watched(p, "predictions", "input")])


def check_ce(ctx: Context) -> float:
    check = ctx.check("CrossEntropyLoss")
    loss_fn = _build(check, lambda: load("CrossEntropyLoss")())
    logits = ctx.leaf(ctx.rng.normal(size=(6, 5)))
    label_values = np.array([0, 3, 1, 4, 3, 2], dtype=np.int64)
    labels = ctx.constant(label_values)
    values = np.asarray(logits.data, dtype=np.float64)
    shifted = values - values.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected = -np.mean(log_softmax[np.arange(len(label_values)), label_values])
    _forward_matches(ctx, "CrossEntropyLoss", lambda: loss_fn(logits, labels), np.array(expected))
    return check.run(lambda: loss_fn(logits, labels), [Watched(logits, "logits", "input")])


def check_conv2d(ctx: Context) -> float:
    check = ctx.check("Conv2d")
    layer = _build(check, lambda: load("Conv2d")(2, 3, kernel_size=(3, 3)))
    for tensor in parameters_of(layer):
        ctx.redraw(tensor, -0.5, 0.5)
    x = ctx.leaf(ctx.rng.normal(size=(2, 2, 5, 5)))
    return check.run(lambda: layer(x), [*_named_params(layer), Watched(x, "input", "input")])


def check_maxpool(ctx: Context) -> float:
    check = ctx.check("MaxPool2d")
    layer = _build(check, lambda: load("MaxPool2d")(2))
    shape = (2, 2, 4, 4)
    values = (ctx.rng.permutation(int(np.prod(shape))) - 32) * 0.05
    x = ctx.leaf(values.reshape(shape))
    return check.run(lambda: layer(x), [Watched(x, "input", "input")])


def check_embedding(ctx: Context) -> float:
    check = ctx.check("Embedding")
    layer = _build(check, lambda: load("Embedding")(7, 4))
    tokens = ctx.constant(np.array([[1, 3, 1, 0, 3, 3], [2, 1, 0, 0, 5, 1]], dtype=np.int64))
    return check.run(lambda: layer(tokens), _named_params(layer))


def check_positional_encoding(ctx: Context) -> float:
    check = ctx.check("PositionalEncoding")
    layer = _build(check, lambda: load("PositionalEncoding")(6, 4))
    x = ctx.leaf(ctx.rng.normal(size=(2, 5, 4)))
    return check.run(lambda: layer(x), [Watched(x, "input", "input"), *_named_params(layer)])


def check_attention(ctx: Context) -> float:
    check = ctx.check("MultiHeadAttention")
    layer = _build(check, lambda: load("MultiHeadAttention")(8, 2))
    for tensor in parameters_of(layer):
        ctx.redraw(tensor, -0.6, 0.6)
    x = ctx.leaf(ctx.rng.normal(size=(2, 3, 8)))
    return check.run(lambda: layer.forward(x), [Watched(x, "input", "input"), *_named_params(layer)])


def check_layernorm(ctx: Context) -> float:
    check = ctx.check("LayerNorm")
    layer = _build(check, lambda: load("LayerNorm")(6))
    for index, tensor in enumerate(parameters_of(layer)):
        ctx.redraw(tensor, 0.5, 1.5) if index == 0 else ctx.redraw(tensor, -0.5, 0.5)
    x = ctx.leaf(ctx.rng.normal(size=(2, 3, 6)))
    return check.run(lambda: layer(x), [Watched(x, "input", "input"), *_named_params(layer)])


def _largest(values: np.ndarray) -> float:
    return float(np.max(np.abs(values))) if values.size else 0.0


def _grad_data(tensor: Any) -> np.ndarray | None:
    return None if tensor.grad is None else np.asarray(tensor.grad.data, dtype=np.float64)


def check_sgd(ctx: Context) -> float:
    """step() moves by exactly -lr * grad; zero_grad() clears; the next backward gives the new gradient alone."""
    check = ctx.check("SGD")
    params = {"parameter 1": ctx.leaf(ctx.rng.normal(size=(3, 2))), "parameter 2": ctx.leaf(ctx.rng.normal(size=(4,)))}
    optimizer = _build(check, lambda: load("SGD")(list(params.values()), lr=SGD_LR))
    tolerance = STEP_TOLERANCE.get(ctx.precision.dtype, STEP_TOLERANCE[np.float32])

    def backward(seed: int) -> dict[str, np.ndarray]:
        weights = {name: np.random.default_rng(seed + k).uniform(0.5, 1.5, np.shape(p.data)) for k, (name, p) in
                   enumerate(params.items())}
        total = None
        for name, p in params.items():
            term = (p * ctx.Tensor(ctx.array(weights[name]))).sum()
            total = term if total is None else total + term
        total.backward()
        return weights

    try:
        for p in params.values():
            p.grad = None
        backward(1)
    except Exception as error:  # noqa: BLE001 - student code
        raise check.raised(messages.STAGE_BACKWARD, error) from None
    before = {name: np.array(p.data, dtype=np.float64) for name, p in params.items()}
    grads = {name: _grad_data(p) for name, p in params.items()}
    try:
        optimizer.step()
    except Exception as error:  # noqa: BLE001 - student code
        raise check.raised(messages.STAGE_STEP, error) from None
    worst = 0.0
    for name, p in params.items():
        step = SGD_LR * grads[name]
        error = _largest(np.asarray(p.data, dtype=np.float64) - (before[name] - step)) / max(_largest(step), 1e-12)
        worst = max(worst, error)
        if not error <= tolerance:
            raise CheckFailed(messages.component_check("SGD"), messages.step_wrong("SGD", name, error, tolerance),
                              messages.component_hint("SGD", "step"), measured=error, threshold=tolerance)
    try:
        optimizer.zero_grad()
    except Exception as error:  # noqa: BLE001 - student code
        raise check.raised(messages.STAGE_ZERO_GRAD, error) from None
    for name, p in params.items():
        left = _grad_data(p)
        if left is not None and _largest(left) > 0:
            raise CheckFailed(messages.component_check("SGD"), messages.grad_not_cleared("SGD", name, _largest(left)),
                              messages.component_hint("SGD", "zero_grad"), measured=_largest(left), threshold=0.0)
    try:
        fresh = backward(2)
    except Exception as error:  # noqa: BLE001 - student code
        raise check.raised(messages.STAGE_BACKWARD, error) from None
    for name, p in params.items():
        got = _grad_data(p)
        error = np.inf if got is None or got.shape != fresh[name].shape else (
            _largest(got - fresh[name]) / _largest(fresh[name]))
        if not error <= ctx.precision.tolerance:
            raise CheckFailed(messages.component_check("SGD"),
                              messages.grad_accumulated("SGD", name, error, ctx.precision.tolerance),
                              messages.component_hint("SGD", "zero_grad"), measured=error,
                              threshold=ctx.precision.tolerance)
    return worst


CHECKS: dict[str, Callable[[Context], float]] = {
    "Tensor": check_tensor,
    "reshape": check_reshape,
    "Linear": check_linear,
    "ReLU": check_relu,
    "Sigmoid": check_sigmoid,
    "BinaryCrossEntropyLoss": check_bce,
    "CrossEntropyLoss": check_ce,
    "Conv2d": check_conv2d,
    "MaxPool2d": check_maxpool,
    "Embedding": check_embedding,
    "PositionalEncoding": check_positional_encoding,
    "MultiHeadAttention": check_attention,
    "LayerNorm": check_layernorm,
    "SGD": check_sgd,
}


def check_milestone(milestone_id: str, seed: int) -> dict[str, float]:
    """Run every component check `milestone_id` needs, in order; each component's worst gradient error.

    Raises `CheckFailed` at the first failing component (contract lookups included). Restores
    numpy's global random state afterwards, so the learning test that follows starts where it would have.
    """
    state = np.random.get_state()
    try:
        ctx = Context(np.random.default_rng(seed))
        return {component: _checked(component, ctx) for component in MILESTONE_COMPONENTS[milestone_id]}
    finally:
        np.random.set_state(state)


def _checked(component: str, ctx: Context) -> float:
    """One component's check; student code raising anywhere in it (setting up its inputs too) is a failed check."""
    try:
        return CHECKS[component](ctx)
    except CheckFailed:
        raise
    except Exception as error:  # noqa: BLE001 - student code
        raise ctx.check(component).raised(messages.STAGE_SETUP, error) from None
