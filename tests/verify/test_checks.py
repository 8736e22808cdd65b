"""The learning checks: each failure names the check, the measured value, the threshold and a hint."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from tinytorch_milestones.services.verify.checks import (
    CheckFailed,
    LearningChecks,
    Param,
    TrainingMonitor,
    layer_params,
    listed_params,
    student_code,
)


def tensor(values, grad=None) -> SimpleNamespace:
    """The two attributes of a tinytorch Tensor the checks read."""
    return SimpleNamespace(data=np.array(values, dtype=np.float32), grad=grad)


@pytest.fixture
def recorded() -> dict:
    return {}


@pytest.fixture
def checks(recorded: dict) -> LearningChecks:
    return LearningChecks(recorded.__setitem__)


def test_accuracy_below_threshold_says_measured_threshold_and_hint(checks, recorded) -> None:
    with pytest.raises(CheckFailed) as failure:
        checks.at_least("accuracy", 0.48, 0.9, "check Sigmoid")
    assert str(failure.value) == "accuracy 0.48 below threshold 0.90: check Sigmoid"
    assert failure.value.as_dict() == {"check": "accuracy", "measured": 0.48, "threshold": 0.9, "hint": "check Sigmoid"}
    assert recorded == {"accuracy": 0.48}


def test_value_at_threshold_passes_and_is_recorded(checks, recorded) -> None:
    checks.at_least("test accuracy", 0.7, 0.7, "unused")
    checks.at_most("final loss", 0.2, 0.2, "unused")
    assert recorded == {"test_accuracy": 0.7, "final_loss": 0.2}


def test_at_most_fails_above_threshold(checks) -> None:
    with pytest.raises(CheckFailed, match=r"^final loss 0.35 above threshold 0.20: lower it$"):
        checks.at_most("final loss", 0.35, 0.2, "lower it")


def test_loss_decrease_below_threshold(checks, recorded) -> None:
    with pytest.raises(CheckFailed) as failure:
        checks.loss_decreased(0.7, 0.63, 0.5, "check the backward")
    assert str(failure.value) == "loss fell by 10% (0.7 -> 0.63), below threshold 50%: check the backward"
    assert failure.value.check == "loss decrease"
    assert recorded["loss_reduction"] == pytest.approx(0.1)


def test_loss_that_rose_or_became_nan_fails(checks) -> None:
    with pytest.raises(CheckFailed, match="loss fell by -50%"):
        checks.loss_decreased(1.0, 1.5, 0.3, "")
    with pytest.raises(CheckFailed, match="loss decrease|loss fell"):
        checks.loss_decreased(1.0, float("nan"), 0.3, "")


def test_constant_loss_is_caught_before_training(checks) -> None:
    with pytest.raises(CheckFailed) as failure:
        checks.loss_responds(0.6931, 0.6931, "check BinaryCrossEntropyLoss")
    assert str(failure.value).startswith("loss of near-perfect predictions 0.6931 is not below the loss of uninformed")
    assert failure.value.hint == "check BinaryCrossEntropyLoss"
    checks.loss_responds(0.05, 0.69, "unused")


def monitored(*params: Param) -> TrainingMonitor:
    monitor = TrainingMonitor(params)
    monitor.after_backward(tensor(0.5))
    return monitor


def test_missing_gradient_names_the_parameter_and_its_layer(checks, recorded) -> None:
    fc1 = SimpleNamespace(weight=tensor([[1.0]]), bias=tensor([0.0], grad=tensor([0.3])))
    with pytest.raises(CheckFailed) as failure:
        checks.gradients_flowed(monitored(*layer_params("fc1", fc1, "Linear")))
    assert str(failure.value) == "no gradient reached fc1.weight: check Linear's backward"
    assert recorded["params_with_gradient"] == 1 and recorded["params_total"] == 2


def test_no_gradient_anywhere_points_at_the_loss_graph(checks) -> None:
    fc1 = SimpleNamespace(weight=tensor([[1.0]]), bias=tensor([0.0]))
    with pytest.raises(CheckFailed, match=r"^no gradient reached any of the 2 parameters: check that the loss"):
        checks.gradients_flowed(monitored(*layer_params("fc1", fc1, "Linear")))


def test_all_zero_gradients_point_at_autograd(checks) -> None:
    fc1 = SimpleNamespace(weight=tensor([[1.0]], grad=tensor([[0.0]])), bias=tensor([0.0], grad=tensor([0.0])))
    with pytest.raises(CheckFailed, match=r"^the gradients of all 2 parameters were all zeros .*Tensor.backward"):
        checks.gradients_flowed(monitored(*layer_params("fc1", fc1, "Linear")))


def test_one_zero_gradient_names_its_layer(checks) -> None:
    attention = [tensor([1.0], grad=tensor([0.2])), tensor([1.0], grad=tensor([0.0]))]
    with pytest.raises(CheckFailed, match=r"^the gradient of attention.parameters\(\)\[1\] was all zeros at every step: "
                                          r"check MultiHeadAttention's backward$"):
        checks.gradients_flowed(monitored(*listed_params("attention", attention, "MultiHeadAttention")))


def test_a_gradient_seen_at_any_step_counts(checks) -> None:
    weight = tensor([1.0], grad=tensor([0.4]))
    monitor = monitored(Param("w", weight, "Linear"))
    weight.grad = None
    monitor.after_backward(tensor(0.4))
    checks.gradients_flowed(monitor)


def test_unchanged_parameter_points_at_the_optimizer(checks, recorded) -> None:
    moved, still = tensor([1.0], grad=tensor([0.3])), tensor([2.0], grad=tensor([0.2]))
    monitor = monitored(Param("fc1.weight", moved, "Linear"), Param("fc1.bias", still, "Linear"))
    moved.data = moved.data - 0.1
    with pytest.raises(CheckFailed, match=r"^fc1.bias did not change during training .*: check SGD.step"):
        checks.parameters_updated(monitor)
    assert recorded["params_updated"] == 1


def test_no_parameter_changed(checks) -> None:
    monitor = TrainingMonitor([Param("a", tensor([1.0]), "Linear"), Param("b", tensor([1.0]), "Linear")])
    with pytest.raises(CheckFailed, match=r"^none of the 2 parameters changed during training"):
        checks.parameters_updated(monitor)


def test_in_place_update_is_seen(checks) -> None:
    weight = tensor([1.0, 2.0])
    monitor = TrainingMonitor([Param("w", weight, "Linear")])
    weight.data -= 0.5
    checks.parameters_updated(monitor)


def test_nan_loss_fails_at_once_with_its_step() -> None:
    monitor = TrainingMonitor([])
    monitor.after_backward(tensor(0.9))
    with pytest.raises(CheckFailed, match=r"^loss became nan at step 2"):
        monitor.after_backward(tensor(float("nan")))


def test_conv_without_bias_has_only_its_weight() -> None:
    conv = SimpleNamespace(weight=tensor([1.0]), bias=None)
    assert [param.name for param in layer_params("conv1", conv, "Conv2d")] == ["conv1.weight"]


def test_metrics_are_plain_rounded_numbers(checks, recorded) -> None:
    checks.record("x", np.float32(0.123456789))
    checks.record("n", np.int64(3))
    assert recorded == {"x": 0.123457, "n": 3}
    assert type(recorded["n"]) is int


def test_a_gradient_zero_by_symmetry_is_allowed_for_attention_and_need_not_move(checks, recorded) -> None:
    key_bias = tensor([0.5], grad=tensor([1e-9]))
    query = tensor([0.5], grad=tensor([0.3]))
    monitor = monitored(*listed_params("attention", [query, key_bias], "MultiHeadAttention", zero_allowed=True))
    query.data = query.data - 0.1
    checks.gradients_flowed(monitor)
    checks.parameters_updated(monitor)
    assert recorded["params_updated"] == 1 and recorded["params_required_to_move"] == 1


def test_a_negligible_gradient_outside_attention_still_fails(checks) -> None:
    fc1 = SimpleNamespace(weight=tensor([[1.0]], grad=tensor([[0.4]])), bias=tensor([0.0], grad=tensor([1e-9])))
    with pytest.raises(CheckFailed, match=r"^the gradient of fc1.bias was all zeros at every step: check Linear's backward$"):
        checks.gradients_flowed(monitored(*layer_params("fc1", fc1, "Linear")))


def test_a_parameter_with_a_real_gradient_must_move(checks) -> None:
    moved, still = tensor([1.0], grad=tensor([0.5])), tensor([2.0], grad=tensor([0.01]))
    monitor = monitored(Param("fc1.weight", moved, "Linear"), Param("fc1.bias", still, "Linear", zero_allowed=True))
    moved.data = moved.data - 0.1
    with pytest.raises(CheckFailed, match=r"^fc1.bias did not change during training"):
        checks.parameters_updated(monitor)


def test_an_exception_in_student_code_is_a_one_line_failed_check() -> None:
    with pytest.raises(CheckFailed) as failure:
        with student_code("building, training or evaluating the model"):
            raise ValueError("shapes (4,3) and (2,5) not aligned\nsecond line")
    assert str(failure.value) == ("building, training or evaluating the model raised ValueError: shapes (4,3) and (2,5) "
                                  "not aligned: your tinytorch raised this while the milestone's model ran; fix it and "
                                  "export again")
    assert failure.value.check == "student code raised"


def test_a_missing_tinytorch_is_left_to_the_result_plugin() -> None:
    with pytest.raises(ModuleNotFoundError):
        with student_code("training"):
            raise ModuleNotFoundError("No module named 'tinytorch'", name="tinytorch")
