"""Every sentence the verification service says: failed learning checks and their hints, the data file,
the runner, the `run` command's help, and the result card.

Kept as small functions and constants so the learning tests (in the student's pytest process), the
runner and the result card share one wording. Imports nothing, so the learning tests may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# --- learning checks: "<which check, measured value, threshold>: <hint>" -------------------
# A check's name is shown as the card's "Failed check"; `at_least`/`at_most` also record the
# measured value under it (spaces as underscores).

CHECK_LOSS_FINITE = "loss finite"
CHECK_LOSS_RESPONDS = "loss responds to predictions"
CHECK_GRADIENT_PRESENT = "gradient present"
CHECK_GRADIENT_NONZERO = "gradient non-zero"
CHECK_PARAMETER_UPDATED = "parameter updated"
CHECK_LOSS_DECREASE = "loss decrease"
CHECK_ACCURACY = "accuracy"
CHECK_TEST_ACCURACY = "test accuracy"
CHECK_FINAL_LOSS = "final loss"

THRESHOLD_FINITE = "finite"
THRESHOLD_NONZERO = "> 0"
THRESHOLD_A_GRADIENT = "a gradient"


def threshold_below(value: float) -> str:
    """A threshold the measured value must stay under ("< 0.6931")."""
    return f"< {value:.4g}"


def _number(value: float) -> str:
    """A measured value or threshold, two decimals in the usual range ("0.48", "0.90")."""
    return f"{value:.2f}" if 0.01 <= abs(value) < 1000 else f"{value:.3g}"


def with_hint(summary: str, hint: str) -> str:
    """A failed check's full message: what was measured against what, then what to look at."""
    return f"{summary}: {hint}" if hint else summary


def value_below(check: str, measured: float, threshold: float) -> str:
    """A measured value that should have been at least the threshold ("accuracy 0.48 below threshold 0.90")."""
    return f"{check} {_number(measured)} below threshold {_number(threshold)}"


def value_above(check: str, measured: float, threshold: float) -> str:
    """A measured value that should have been at most the threshold."""
    return f"{check} {_number(measured)} above threshold {_number(threshold)}"


def loss_not_decreased(initial: float, final: float, fraction: float, threshold: float) -> str:
    """Training did not lower the loss enough."""
    return (
        f"loss fell by {fraction:.0%} ({initial:.4g} -> {final:.4g}), "
        f"below threshold {threshold:.0%}"
    )


def loss_not_finite(step: int, value: float) -> str:
    """The loss became nan or infinite during training."""
    return f"loss became {value} at step {step}"


def loss_ignores_predictions(good: float, poor: float) -> str:
    """The loss function scores near-perfect predictions no better than uninformed ones."""
    return (
        f"loss of near-perfect predictions {good:.4g} is not below "
        f"the loss of uninformed predictions {poor:.4g}"
    )


def no_gradient(name: str) -> str:
    """One parameter never received a gradient."""
    return f"no gradient reached {name}"


def no_gradient_anywhere(count: int) -> str:
    """No parameter ever received a gradient."""
    return f"no gradient reached any of the {count} parameters"


def zero_gradient(name: str) -> str:
    """One parameter's gradient was all zeros at every step."""
    return f"the gradient of {name} was all zeros at every step"


def zero_gradient_everywhere(count: int) -> str:
    """Every parameter's gradient was all zeros at every step."""
    return f"the gradients of all {count} parameters were all zeros at every step"


def not_updated(name: str) -> str:
    """A parameter with a gradient that training left unchanged."""
    return f"{name} did not change during training (largest change 0, threshold > 0)"


def none_updated(count: int) -> str:
    """Training changed none of the parameters."""
    return f"none of the {count} parameters changed during training (largest change 0, threshold > 0)"


def layer_backward_hint(layer: str) -> str:
    """Where to look when a layer's parameter gets no useful gradient."""
    return f"check {layer}'s backward"


HINT_LOSS_NOT_FINITE = "check the loss function and lower the learning rate only if it is correct"
HINT_LOSS_DISCONNECTED = (
    "check that the loss is computed from the model's output with tinytorch operations "
    "and that loss.backward() walks the whole graph"
)
HINT_AUTOGRAD_ZEROS = "check Tensor.backward and the backward functions of your operations"
HINT_OPTIMIZER = "check SGD.step (it should move each parameter by -lr * grad)"

# The shipped learning tests' own hints, one per thing a milestone can get wrong.
HINT_BCE = "check BinaryCrossEntropyLoss: its value must depend on the predictions"
HINT_CE = "check CrossEntropyLoss: its value must depend on the logits"
HINT_DESCENT = (
    "gradients flow and parameters move, yet the loss barely fell: "
    "check the sign and scale of your backward functions"
)
HINT_PERCEPTRON_ACCURACY = "the loss fell but the points are misclassified: check Sigmoid and Linear's forward"
HINT_XOR_ACCURACY = "the loss fell but XOR is still wrong: check ReLU's forward and backward"
HINT_MLP_DIGITS_ACCURACY = (
    "the training loss fell but unseen digits are misread: check CrossEntropyLoss and DataLoader"
)
HINT_CNN_ACCURACY = "the training loss fell but unseen digits are misread: check Conv2d and MaxPool2d's forward"


# --- training output --------------------------------------------------------------------


def training_started(label: str, epochs: int) -> str:
    """The line printed before a learning test trains its model."""
    return f"{label}: training for {epochs} epochs"


def training_progress(label: str, epoch: int, epochs: int, loss: float) -> str:
    """A line printed a few times during training: the epoch and its mean loss."""
    return f"{label}: epoch {epoch}/{epochs}  loss {loss:.4f}"


# --- the TinyDigits data file --------------------------------------------------------------


def data_missing(path: Any) -> str:
    """The shipped data file is not there."""
    return (
        f"the TinyDigits data file {path} is missing; it ships with tinytorch-milestones: "
        f"reinstall the package (pip install --force-reinstall tinytorch-milestones)"
    )


def data_damaged(path: Any, reason: str) -> str:
    """The shipped data file is there but not what we shipped."""
    return (
        f"the TinyDigits data file {path} is damaged ({reason}); "
        f"reinstall the package (pip install --force-reinstall tinytorch-milestones)"
    )


def data_wrong_digest(digest: str, expected: str) -> str:
    """Why a data file is damaged: its digest differs (both shortened)."""
    return f"sha256 {digest[:12]}..., expected {expected[:12]}..."


def data_not_an_archive(error: BaseException) -> str:
    """Why a data file is damaged: numpy cannot read it."""
    return f"not a readable .npz archive: {error}"


def data_no_array(name: str) -> str:
    """Why a data file is damaged: an array is missing."""
    return f"no array {name!r}"


def data_wrong_layout(name: str, found: str, expected: str) -> str:
    """Why a data file is damaged: an array has another dtype or shape ("float32[1000, 8, 8]")."""
    return f"{name} is {found}, expected {expected}"


def data_values_out_of_range(name: str) -> str:
    """Why a data file is damaged: image values outside [0, 1]."""
    return f"{name} has values outside [0, 1]"


def data_labels_out_of_range(name: str) -> str:
    """Why a data file is damaged: labels other than the digits 0-9."""
    return f"{name} has labels outside 0-9"


# --- the runner ---------------------------------------------------------------------------


def test_file_missing(milestone_id: str, path: Any) -> str:
    """A milestone names a test file that does not exist."""
    return f"milestone {milestone_id!r} names the test file {path}, which does not exist"


def project_dir_missing(path: Any) -> str:
    """The project folder given does not exist."""
    return f"the project folder {path} does not exist"


def bad_timeout(value: Any) -> str:
    """A timeout that is not a finite number of seconds above 0 (nan, inf, 0, a negative number, text)."""
    return f"timeout must be a finite number of seconds above 0, got {value!r}"


def test_not_found(node_id: str) -> str:
    """pytest collected nothing for the milestone's test."""
    return f"no test {node_id} was found: check the milestone's 'test' (and 'test_file') fields"


def timed_out(seconds: float) -> str:
    """A run stopped because it took too long."""
    return (
        f"the verification was stopped after {seconds:g} s without finishing: "
        f"look for an endless loop, or pass a longer timeout (--timeout)"
    )


def no_report(returncode: int | None) -> str:
    """pytest ended without the plugin writing a result (a crash before or during the run)."""
    return f"pytest ended (exit code {returncode}) without reporting a result; see the output above"


def report_unreadable(problem: str) -> str:
    """The result plugin's report exists but cannot be used (truncated, not JSON, not the expected shape)."""
    return f"pytest's result report could not be read ({problem}); see the output above"


REPORT_NOT_UTF8 = "not UTF-8 text"
REPORT_ITSELF = "the report"


def report_not_json(line: int, column: int, problem: str) -> str:
    """Why a report cannot be used: its JSON is broken (a truncated file, say)."""
    return f"invalid JSON at line {line}, column {column}: {problem}"


def report_wrong_shape(where: str, expected: str) -> str:
    """Why a report cannot be used: a field is not what the plugin writes ("tests[0].outcome is not text")."""
    return f"{where} is not {expected}"


REPORT_EXPECTED = {dict: "an object", list: "a list", str: "text", int: "a whole number"}


def test_skipped(reason: str) -> str:
    """A skipped test proves nothing."""
    return f"the test was skipped ({reason}), so nothing was verified"


def tinytorch_not_importable(project_dir: Any) -> str:
    """The student's package could not be found from the project folder."""
    return (
        f"no tinytorch package could be imported from {project_dir}: export your modules first "
        f"(%milestones export) and run from the folder that contains tinytorch/"
    )


def at_location(message: str, path: Any, line: int) -> str:
    """A failure message with the file and line it happened at."""
    return f"{message} (at {path}:{line})"


# --- the runner's verdict and the child it runs -------------------------------------------


def pytest_did_not_succeed(exitstatus: Any) -> str:
    """pytest itself did not end with exit status 0 (interrupted, `pytest.exit()`, an internal error...)."""
    return f"pytest ended with exit status {exitstatus}, not 0, so the verification did not run to a pass"


def tests_did_not_finish(node_ids: Sequence[str]) -> str:
    """Tests were collected but never reported a passing call phase (stopped, interrupted, exited early)."""
    return f"{', '.join(node_ids)} did not run to the end (stopped early), so nothing was proven"


def child_exited(returncode: Any) -> str:
    """The child process ended with a non-zero code although pytest reported success."""
    return f"the verification's process ended with exit code {returncode} after pytest finished"


def bad_memory_limit(value: Any) -> str:
    """A memory limit that is not a whole number of bytes above 0."""
    return f"memory limit must be a whole number of bytes above 0, got {value!r}"


def output_cut(limit: int) -> str:
    """The line shown when a run's output passes the cap on what is kept and shown."""
    return f"[tinytorch-milestones: output cut after {limit} characters; the run goes on]"


# --- the result card ----------------------------------------------------------------------
# Course words only: the milestone, what was checked, the measured value and the bar it had to clear.

OUTCOME_LABELS = {
    "passed": "✅ Verification passed",
    "failed": "❌ Verification failed",
    "error": "⚠️ Verification could not run",
    "timeout": "⏱️ Verification timed out",
}
LABEL_CHECK = "What was checked"
LABEL_MEASURED = "Measured"
LABEL_THRESHOLD = "The bar to clear"
LABEL_HINT = "Hint"
LABEL_METRICS = "Measured during training"
LABEL_DETAILS = "Details and the last lines of output"
LABEL_OUTPUT = "Last lines of output"
NO_VALUE = "—"
PASSED_REASON = "your network learned"

# What each measurement recorded by the learning tests is called on the card; others show their name
# with spaces. Values of the `PERCENT_METRICS` show as percentages.
METRIC_LABELS = {
    "accuracy": "accuracy",
    "test_accuracy": "accuracy on unseen examples",
    "final_loss": "loss after training",
    "initial_loss": "loss before training",
    "loss_reduction": "the loss fell by",
    "loss_of_good_predictions": "loss of near-perfect predictions",
    "loss_of_poor_predictions": "loss of uninformed predictions",
    "params_with_gradient": "parameters reached by a gradient",
    "params_total": "parameters in the model",
    "params_updated": "parameters changed by training",
    "params_required_to_move": "parameters that had to change",
}
PERCENT_METRICS = ("loss_reduction",)
# The measurements that sum up a pass in one line, most telling first.
HEADLINE_METRICS = ("test_accuracy", "accuracy", "loss_reduction")


def metric_label(name: str) -> str:
    """A recorded measurement's name in course words ("loss_reduction" -> "the loss fell by")."""
    return METRIC_LABELS.get(name, name.replace("_", " "))


def metric_value(name: str, value: Any) -> str:
    """A measured value as the card shows it: a percentage, two decimals, or as recorded."""
    if isinstance(value, bool) or value is None:
        return NO_VALUE if value is None else str(value)
    if isinstance(value, float):
        return f"{value:.0%}" if name in PERCENT_METRICS else _number(value)
    return str(value)


def metric_text(name: str, value: Any) -> str:
    """One measurement in words ("accuracy 0.98")."""
    return f"{metric_label(name)} {metric_value(name, value)}"


def passed_reason(headline: Sequence[str]) -> str:
    """The one-line reason of a pass: what it learned, from the headline measurements."""
    return f"{PASSED_REASON}: {', '.join(headline)}" if headline else PASSED_REASON


def result_heading(outcome: str, milestone_name: str, duration_s: float) -> str:
    """The first line of a result card: outcome, milestone, and how long it took."""
    return f"{OUTCOME_LABELS.get(outcome, outcome)}: {milestone_name} · {duration_s:.1f} s"


def already_completed(milestone_name: str) -> str:
    """A pass on a milestone that was completed before."""
    return f"{milestone_name} was already completed; this run passed again."


# --- MLPerf (milestone 06 of the tinytorch course): quantize and prune the trained MLP ----------

CHECK_BASELINE_ACCURACY = "baseline accuracy"
CHECK_INT8_STORAGE = "int8 storage"
CHECK_ROUND_TRIP = "quantization round trip"
CHECK_SIZE_REDUCTION = "size reduction"
CHECK_QUANTIZED_ACCURACY = "quantized accuracy"
CHECK_QUANTIZED_DROP = "quantized accuracy drop"
CHECK_SPARSITY = "sparsity"
CHECK_REPORTED_SPARSITY = "reported sparsity error"
CHECK_REPORTED_SPARSITY_UNPRUNED = "reported sparsity error before pruning"
CHECK_PRUNED_ACCURACY = "pruned accuracy"
CHECK_PRUNED_DROP = "pruned accuracy drop"
HINT_INT8_STORAGE = (
    "quantize_int8 must return its values in a Tensor whose .data is a numpy int8 array "
    "(np.round, np.clip to [-128, 127], then .astype(np.int8))."
)
HINT_ROUND_TRIP = (
    "dequantize_int8(*quantize_int8(w)) should give w back to within one step (scale): check that "
    "q = round(w / scale) + zero_point and w ≈ (q - zero_point) * scale use the same scale and zero point."
)
HINT_QUANTIZED_ACCURACY = (
    "The network with dequantized weights should classify almost as well as the original: a large "
    "drop usually means the scale or zero point is computed from the wrong range (use the tensor's min and max)."
)
HINT_SPARSITY = (
    "magnitude_prune(model, sparsity) must set at least that fraction of the weights of model.layers "
    "to exactly zero, choosing the smallest absolute values, and change the weights in place."
)
HINT_REPORTED_SPARSITY = "measure_sparsity(model) must return the fraction of weights that are exactly zero."
HINT_PRUNED_ACCURACY = (
    "Pruning half of the weights by magnitude should keep most of the accuracy: prune the smallest "
    "|w|, not the smallest w, and leave the biases alone."
)


def not_int8(dtype: str) -> str:
    """quantize_int8 returned values stored in another type."""
    return f"quantize_int8 stored its values as {dtype}, not int8"




# --- the contract lookup (contract.py) ---------------------------------------------------------

CHECK_CONTRACT = "contract"
HINT_CONTRACT_IMPORT = "fix the error in that module and export it again"


def _places(modules: Sequence[str]) -> str:
    """Where a name was looked for: "in tinytorch.x", "in neither a nor b", "in none of a, b, c"."""
    if len(modules) == 1:
        return f"not in {modules[0]}"
    if len(modules) == 2:
        return f"in neither {modules[0]} nor {modules[1]}"
    return f"in none of {', '.join(modules)}"


def contract_name_missing(name: str, modules: Sequence[str]) -> str:
    """A contract name found in none of its places ("DataLoader is in neither a nor b")."""
    return f"{name} is {_places(modules)}"


def contract_export_hint(module: str, elsewhere: dict[str, str]) -> str:
    """Which module exports a missing name in this course, and in other courses where it differs."""
    others = [f"in the {course} course: {other}" for course, other in elsewhere.items() if other != module]
    return f"export {module}" + (f" ({'; '.join(others)})" if others else "")


def contract_import_failed(name: str, module: str, error: str) -> str:
    """Importing the module that should hold a contract name raised."""
    return f"importing {module} (for {name}) raised {error}"


def contract_threshold(name: str) -> str:
    """What the contract check expected."""
    return f"{name} importable"


def one_line(error: BaseException) -> str:
    """An exception as "ValueError: its first line" (the type alone when it has no text)."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


# --- component checks (components.py, gradcheck.py) -------------------------------------------
# A failure reads "<component>: <quantity> <what was measured>, tolerance <t>: <usual cause>".

CHECK_COMPONENT = "component"
THRESHOLD_GRADIENT_PRESENT = "a gradient of the input's shape"


def component_check(component: str) -> str:
    """The failed check's name shown on the card ("component Linear")."""
    return f"{CHECK_COMPONENT} {component}"


def quantity(wrt: str, component: str) -> str:
    """The derivative a gradient check compares ("d loss / d weight of Linear")."""
    return f"d loss / d {wrt} of {component}"


def gradient_mismatch(component: str, what: str, error: float, tolerance: float) -> str:
    """A backward that disagrees with central differences through the same forward."""
    return (f"{component}: {what} differs from the numerical gradient "
            f"(relative error {error:.3g}, tolerance {tolerance:.3g})")


def gradient_missing(component: str, what: str) -> str:
    """backward() left a tensor's .grad at None."""
    return f"{component}: {what} is missing (.grad stayed None after loss.backward())"


def gradient_wrong_shape(component: str, what: str, found: Sequence[int], expected: Sequence[int]) -> str:
    """A gradient whose shape is not its tensor's."""
    return f"{component}: {what} has shape {tuple(found)}, expected {tuple(expected)}"


def component_raised(component: str, stage: str, error: str) -> str:
    """Student code raised during a component check."""
    return f"{component}: {stage} raised {error}"


STAGE_BUILD = "building it"
STAGE_SETUP = "setting up its check"
STAGE_FORWARD = "its forward"
STAGE_BACKWARD = "loss.backward()"
STAGE_STEP = "step()"
STAGE_ZERO_GRAD = "zero_grad()"


def step_wrong(component: str, name: str, error: float, tolerance: float) -> str:
    """An optimizer step that did not move a parameter by exactly -lr * grad."""
    return (f"{component}: step() moved {name} off -lr * grad "
            f"(largest difference {error:.3g} relative to lr * |grad|, tolerance {tolerance:.3g})")


def forward_wrong(component: str, what: str, error: float, tolerance: float) -> str:
    """A forward pass whose values are not the component's definition."""
    return (f"{component}: the forward pass does not compute {what} "
            f"(largest difference {error:.3g} relative to the expected values, tolerance {tolerance:.3g})")


FORWARD_DEFINITIONS = {
    "ReLU": "max(x, 0)",
    "Sigmoid": "1 / (1 + exp(-x))",
    "BinaryCrossEntropyLoss": "the mean over the batch of -(y log p + (1 - y) log(1 - p))",
    "CrossEntropyLoss": "the mean over the batch of -log softmax(logits)[label]",
}


def grad_not_cleared(component: str, name: str, largest: float) -> str:
    """zero_grad() left a non-zero gradient behind."""
    return f"{component}: after zero_grad() {name}'s gradient is still there (largest |grad| {largest:.3g}, expected None or 0)"


def grad_accumulated(component: str, name: str, error: float, tolerance: float) -> str:
    """After zero_grad() a new backward did not give the new gradient alone."""
    return (f"{component}: after zero_grad() and a new backward, {name}'s gradient is not the new one "
            f"(relative error {error:.3g}, tolerance {tolerance:.3g})")


# The usual cause of a failed component check, by component and by the tensor it concerns.
COMPONENT_HINTS = {
    ("ReLU", "forward"): "ReLU keeps positive values and sets negative ones to 0 (not their absolute value)",
    ("Sigmoid", "forward"): "Sigmoid maps x to 1 / (1 + exp(-x))",
    ("BinaryCrossEntropyLoss", "forward"): "a loss is averaged over the batch (mean, not sum), with natural logs",
    ("CrossEntropyLoss", "forward"): ("cross-entropy is -log of the softmax probability of the true label, "
                                      "averaged over the batch (mean, not sum)"),
    ("Tensor.sum", "input"): "sum()'s backward must hand the incoming gradient to every element of its input",
    ("Tensor +", "input"): "a + b's backward passes the gradient unchanged to both a and b",
    ("Tensor *", "input"): "a * b's backward gives grad * b to a and grad * a to b",
    ("reshape", "input"): ("reshape must return a Tensor recorded in the graph whose backward reshapes the "
                           "gradient back to the input's shape"),
    ("Linear", "weight"): "the weight gradient is x.T @ grad (a transposed product or a missing batch sum is usual)",
    ("Linear", "bias"): "the bias gradient is grad summed over the batch axis, with a + sign",
    ("Linear", "input"): "the input gradient is grad @ weight.T",
    ("ReLU", "input"): "ReLU passes the gradient only where its input was positive, and zero elsewhere",
    ("Sigmoid", "input"): "Sigmoid's derivative is s * (1 - s), with s its output (not its input)",
    ("BinaryCrossEntropyLoss", "input"): ("BCE's gradient is (p - y) / (p * (1 - p)) divided by the number of "
                                          "predictions"),
    ("CrossEntropyLoss", "input"): ("CrossEntropyLoss's gradient is (softmax(logits) - one_hot(labels)) "
                                    "divided by the batch size"),
    ("Conv2d", "weight"): ("each kernel entry's gradient sums input patch * output gradient over batch and "
                           "positions; a flipped kernel or swapped axes are usual causes"),
    ("Conv2d", "bias"): "the bias gradient is the output gradient summed over batch and positions",
    ("Conv2d", "input"): "the input gradient spreads each output gradient back over its patch, weighted by the kernel",
    ("MaxPool2d", "input"): "MaxPool2d sends each window's gradient to the one cell that held its maximum",
    ("Embedding", "weight"): ("Embedding's weight gradient must add the gradient of every occurrence of a token "
                              "(np.add.at), so repeated tokens accumulate"),
    ("PositionalEncoding", "input"): "adding the position table passes the input's gradient through unchanged",
    ("PositionalEncoding", "parameter"): "a learned position table's gradient is the output gradient summed over the batch",
    ("MultiHeadAttention", "input"): ("check the softmax backward (s * (g - sum(g * s)) per row) and the "
                                      "splitting and merging of heads"),
    ("MultiHeadAttention", "parameter"): ("check the softmax backward (s * (g - sum(g * s)) per row), the "
                                          "1/sqrt(head_dim) scale and the projections' backward"),
    ("LayerNorm", "input"): ("LayerNorm's input gradient has terms through the mean and the variance, not only "
                             "g * weight / std"),
    ("LayerNorm", "parameter"): "LayerNorm's weight and bias gradients sum over every position (weight: g * normalised x)",
    ("SGD", "step"): "step() should set p.data = p.data - lr * p.grad.data for every parameter with a gradient",
    ("SGD", "zero_grad"): "zero_grad() should set every parameter's .grad to None (or zeros)",
}
HINT_COMPONENT_RAISED = "the component failed on a small input of the shapes the milestone uses"


def component_hint(component: str, about: str) -> str:
    """The usual cause for a failed check of `component` about `about` (weight, bias, input, parameter, step)."""
    return COMPONENT_HINTS.get((component, about)) or COMPONENT_HINTS.get((component, "parameter"), "")


def training_raised(stage: str, error: str) -> str:
    """Student code raised during the learning test itself (after the component checks passed)."""
    return f"{stage} raised {error}"


STAGE_TRAINING = "building, training or evaluating the model"
HINT_TRAINING_RAISED = "your tinytorch raised this while the milestone's model ran; fix it and export again"
CHECK_STUDENT_CODE = "student code raised"
