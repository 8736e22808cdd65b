"""2018, MLPerf: the trained digits MLP, quantized to INT8 and pruned, measured rather than assumed.

Trains the MLP of `test_mlp_digits_learning` on TinyDigits, then, with the student's own functions:
- quantizes every parameter with `quantize_int8` (its values must be stored as int8), checks the
  round trip through `dequantize_int8`, measures the real size (int8 bytes plus a scale and a zero
  point per tensor, against float32) and the real test accuracy of the network running on the
  dequantized weights;
- prunes the weights with `magnitude_prune(model, sparsity=0.5)`, counts the zeros itself, compares
  `measure_sparsity(model)` before and after, and measures the test accuracy again.
(The course's own milestone-06 script assumes the quantized accuracy equals the baseline.)

Thresholds, from correct runs of the reference package in tests/courses/reference_tinytorch
(`TINYTORCH_VERIFY_SEED` 1..200, then 1..100 once the pruned drop was recorded; the script is
tests/courses/mlperf_sweep.py): baseline accuracy 0.915-0.970 (median 0.945); worst round trip 0.50
of a step; size 9,640 -> 2,442 bytes (3.95x); quantized accuracy drop -0.010..0.005 (median 0);
sparsity 0.500 exactly, reported exactly; pruned accuracy 0.89-0.96, its drop -0.015..0.045 (median
0.0075). The thresholds leave room for any faithful implementation: baseline >= 0.70 (as milestone
03), round trip <= 1 step, size >= 3.5x, quantized drop <= 0.05, sparsity >= the requested 0.5 less
one weight, reported sparsity within 0.01, pruned drop <= 0.10.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from tinytorch_milestones.services.verify import messages
from tinytorch_milestones.services.verify.checks import CheckFailed, LearningChecks, TrainingMonitor, layer_params
from tinytorch_milestones.services.verify.datasets import TinyDigits
from tinytorch_milestones.services.verify.training import class_accuracy, class_loss_extremes, loss_of, train

from tinytorch_milestones.services.verify.contract import load

SEED = int(os.environ.get("TINYTORCH_VERIFY_SEED", "1957"))
SPARSITY = 0.5
FLOAT32_BYTES = 4
PER_TENSOR_BYTES = 8  # a float32 scale and an int32 zero point


class DigitsMLP:
    """Linear(64, 32) + ReLU + Linear(32, 10), in the shape the course's compression functions take:
    `.layers` (the Linear layers) and `.parameters()` (a list of Tensors)."""

    def __init__(self, linear: Any, relu: Any) -> None:
        self.fc1, self.relu, self.fc2 = linear(64, 32), relu(), linear(32, 10)
        self.layers = [self.fc1, self.fc2]

    def __call__(self, x: Any) -> Any:
        return self.fc2(self.relu(self.fc1(x)))

    def parameters(self) -> list[Any]:
        return [self.fc1.weight, self.fc1.bias, self.fc2.weight, self.fc2.bias]


def _accuracy_with(model: DigitsMLP, weights: list[np.ndarray], images: Any, labels: np.ndarray) -> float:
    """Test accuracy of `model` running on `weights` (one array per parameter); its own are put back after."""
    originals = [p.data for p in model.parameters()]
    try:
        for parameter, values in zip(model.parameters(), weights):
            parameter.data = values
        return class_accuracy(model(images), labels)
    finally:
        for parameter, values in zip(model.parameters(), originals):
            parameter.data = values


def test_mlperf_learning(checks: LearningChecks, tiny_digits: TinyDigits) -> None:
    """2018: the trained MLP, four times smaller in INT8 and half pruned, still reads digits."""
    Tensor, CrossEntropyLoss, SGD = load("Tensor"), load("CrossEntropyLoss"), load("SGD")
    DataLoader, TensorDataset = load("DataLoader"), load("TensorDataset")
    quantize_int8, dequantize_int8 = load("quantize_int8"), load("dequantize_int8")
    magnitude_prune, measure_sparsity = load("magnitude_prune"), load("measure_sparsity")

    train_x, train_y = Tensor(tiny_digits.train_images.reshape(-1, 64)), Tensor(tiny_digits.train_labels)
    test_x, test_labels = Tensor(tiny_digits.test_images.reshape(-1, 64)), tiny_digits.test_labels
    model = DigitsMLP(load("Linear"), load("ReLU"))
    loss_fn = CrossEntropyLoss()
    checks.loss_responds(*class_loss_extremes(loss_fn, Tensor, test_labels, 10), messages.HINT_CE)
    monitor = TrainingMonitor(layer_params("fc1", model.fc1, "Linear") + layer_params("fc2", model.fc2, "Linear"))
    loader = DataLoader(TensorDataset(train_x, train_y), batch_size=25, shuffle=True)
    initial = loss_of(model, loss_fn, train_x, train_y)
    train("mlperf", lambda: loader, model, loss_fn, SGD(model.parameters(), lr=0.1), monitor, epochs=10)
    checks.gradients_flowed(monitor)
    checks.parameters_updated(monitor)
    checks.loss_decreased(initial, loss_of(model, loss_fn, train_x, train_y), 0.3, messages.HINT_DESCENT)
    baseline = class_accuracy(model(test_x), test_labels)
    checks.at_least(messages.CHECK_BASELINE_ACCURACY, baseline, 0.7, messages.HINT_MLP_DIGITS_ACCURACY)

    quantized = [quantize_int8(parameter) for parameter in model.parameters()]
    for q_tensor, _, _ in quantized:
        dtype = np.asarray(q_tensor.data).dtype
        if dtype != np.int8:
            raise CheckFailed(messages.CHECK_INT8_STORAGE, messages.not_int8(str(dtype)),
                              messages.HINT_INT8_STORAGE, measured=str(dtype), threshold="int8")
    restored = [np.asarray(dequantize_int8(q, scale, zero_point).data, dtype=np.float32)
                for q, scale, zero_point in quantized]
    worst_steps = max(float(np.max(np.abs(values - p.data))) / float(scale)
                      for values, p, (_, scale, _) in zip(restored, model.parameters(), quantized))
    checks.at_most(messages.CHECK_ROUND_TRIP, worst_steps, 1.0, messages.HINT_ROUND_TRIP)
    float_bytes = sum(p.data.size * FLOAT32_BYTES for p in model.parameters())
    int8_bytes = sum(np.asarray(q.data).nbytes + PER_TENSOR_BYTES for q, _, _ in quantized)
    checks.record("float32_bytes", float_bytes)
    checks.record("int8_bytes", int8_bytes)
    checks.at_least(messages.CHECK_SIZE_REDUCTION, float_bytes / int8_bytes, 3.5, messages.HINT_INT8_STORAGE)
    quantized_accuracy = _accuracy_with(model, restored, test_x, test_labels)
    checks.record(messages.CHECK_QUANTIZED_ACCURACY.replace(" ", "_"), quantized_accuracy)
    checks.at_most(messages.CHECK_QUANTIZED_DROP, baseline - quantized_accuracy, 0.05, messages.HINT_QUANTIZED_ACCURACY)

    weights = [layer.weight for layer in model.layers]
    total = sum(w.data.size for w in weights)

    def zero_fraction() -> float:
        return sum(int(np.count_nonzero(np.asarray(w.data) == 0)) for w in weights) / total

    checks.at_most(messages.CHECK_REPORTED_SPARSITY_UNPRUNED, abs(float(measure_sparsity(model)) - zero_fraction()),
                   0.01, messages.HINT_REPORTED_SPARSITY)
    magnitude_prune(model, sparsity=SPARSITY)
    checks.at_least(messages.CHECK_SPARSITY, zero_fraction(), SPARSITY - 1 / total, messages.HINT_SPARSITY)
    checks.at_most(messages.CHECK_REPORTED_SPARSITY, abs(float(measure_sparsity(model)) - zero_fraction()), 0.01,
                   messages.HINT_REPORTED_SPARSITY)
    pruned_accuracy = class_accuracy(model(test_x), test_labels)
    checks.record(messages.CHECK_PRUNED_ACCURACY.replace(" ", "_"), pruned_accuracy)
    checks.at_most(messages.CHECK_PRUNED_DROP, baseline - pruned_accuracy, 0.1, messages.HINT_PRUNED_ACCURACY)
