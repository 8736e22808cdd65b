"""The training loop and evaluations the learning tests share, written against the tinytorch contract."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from . import messages
from .checks import TrainingMonitor, scalar

Batches = Callable[[], Iterable[tuple[Any, Any]]]


def train(label: str, batches: Batches, forward: Callable[[Any], Any], loss_fn: Any, optimizer: Any,
          monitor: TrainingMonitor, epochs: int, reports: int = 4) -> None:
    """Run `epochs` passes of zero_grad / forward / loss / backward / step, printing the loss a few times."""
    every = max(1, epochs // reports)
    print(f"\n{messages.training_started(label, epochs)}", flush=True)
    for epoch in range(1, epochs + 1):
        losses = []
        for inputs, targets in batches():
            optimizer.zero_grad()
            loss = loss_fn(forward(inputs), targets)
            loss.backward()
            losses.append(monitor.after_backward(loss))
            optimizer.step()
        if epoch % every == 0 or epoch == epochs:
            print(messages.training_progress(label, epoch, epochs, float(np.mean(losses))), flush=True)


def loss_of(forward: Callable[[Any], Any], loss_fn: Any, inputs: Any, targets: Any) -> float:
    """The loss of the model on `inputs` as a float (no backward)."""
    return scalar(loss_fn(forward(inputs), targets))


def binary_accuracy(probabilities: Any, labels: np.ndarray) -> float:
    """Share of predictions on the right side of 0.5."""
    predicted = np.asarray(probabilities.data).reshape(labels.shape) > 0.5
    return float(np.mean(predicted == (labels > 0.5)))


def class_accuracy(logits: Any, labels: np.ndarray) -> float:
    """Share of rows whose largest logit is the label."""
    predicted = np.asarray(logits.data).reshape(len(labels), -1).argmax(axis=1)
    return float(np.mean(predicted == labels))


def binary_loss_extremes(loss_fn: Any, tensor: Callable[[Any], Any], labels: np.ndarray) -> tuple[float, float]:
    """The loss of near-perfect (0.05 / 0.95) and of uninformed (0.5) probabilities for `labels`."""
    good = np.clip(labels, 0.05, 0.95).astype(np.float32)
    poor = np.full_like(good, 0.5)
    targets = tensor(labels.astype(np.float32))
    return loss_of(lambda x: x, loss_fn, tensor(good), targets), loss_of(lambda x: x, loss_fn, tensor(poor), targets)


def class_loss_extremes(loss_fn: Any, tensor: Callable[[Any], Any], labels: np.ndarray,
                        classes: int) -> tuple[float, float]:
    """The loss of confident right logits and of all-equal logits for `labels`."""
    good = (np.eye(classes, dtype=np.float32)[labels] * 5.0)
    poor = np.zeros_like(good)
    targets = tensor(labels)
    return loss_of(lambda x: x, loss_fn, tensor(good), targets), loss_of(lambda x: x, loss_fn, tensor(poor), targets)
