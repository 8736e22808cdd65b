"""Writes the independent TinyTorch (minitorch.py) into a project as `tinytorch/`, with one defect switched on.

`DEFECTS` maps each realistic student bug to the component check that must reject it (the
component named at the start of the failure message); `VARIANTS` are harmless differences a
correct student may have; `LAYOUTS` are the classic course's module paths and the current
20-module course's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tinytorch_milestones.services.verify.components import MILESTONE_COMPONENTS

SOURCE = Path(__file__).with_name("minitorch.py")

# defect -> (component check that must catch it, the component whose milestones it touches)
DEFECTS: dict[str, tuple[str, str]] = {
    "sum_grad_averaged": ("Tensor.sum", "Tensor"),
    "mul_grad_swapped": ("Tensor *", "Tensor"),
    "reshape_cuts_graph": ("reshape", "reshape"),
    "sgd_ignores_lr": ("SGD", "SGD"),
    "sgd_ascends": ("SGD", "SGD"),
    "zero_grad_noop": ("SGD", "SGD"),
    "bias_grad_wrong_sign": ("Linear", "Linear"),
    "bias_grad_mean": ("Linear", "Linear"),
    "linear_weight_grad_transposed": ("Linear", "Linear"),
    "linear_weight_grad_first_sample": ("Linear", "Linear"),
    "linear_input_grad_untransposed": ("Linear", "Linear"),
    "relu_backward_passes_all": ("ReLU", "ReLU"),
    "relu_forward_abs": ("ReLU", "ReLU"),
    "bce_summed": ("BinaryCrossEntropyLoss", "BinaryCrossEntropyLoss"),
    "ce_summed": ("CrossEntropyLoss", "CrossEntropyLoss"),
    "sigmoid_grad_of_input": ("Sigmoid", "Sigmoid"),
    "bce_grad_not_averaged": ("BinaryCrossEntropyLoss", "BinaryCrossEntropyLoss"),
    "ce_grad_not_averaged": ("CrossEntropyLoss", "CrossEntropyLoss"),
    "conv_weight_grad_flipped": ("Conv2d", "Conv2d"),
    "conv_bias_grad_one_position": ("Conv2d", "Conv2d"),
    "maxpool_routes_to_first_cell": ("MaxPool2d", "MaxPool2d"),
    "embedding_grad_not_accumulated": ("Embedding", "Embedding"),
    "pe_drops_input_grad": ("PositionalEncoding", "PositionalEncoding"),
    "softmax_backward_elementwise": ("MultiHeadAttention", "MultiHeadAttention"),
    "layernorm_backward_drops_mean_terms": ("LayerNorm", "LayerNorm"),
}

VARIANTS = ("torch_init", "xavier", "small_init", "float64", "conv_no_bias", "learned_pe", "data_property")

CLASSIC_MODULES = {
    "__init__": ("Tensor", "Linear", "ReLU", "Sigmoid", "SGD", "BinaryCrossEntropyLoss", "CrossEntropyLoss"),
    "core/__init__": (),
    "core/spatial": ("Conv2d", "MaxPool2d"),
    "core/attention": ("MultiHeadAttention",),
    "core/transformer": ("LayerNorm",),
    "data/__init__": (),
    "data/loader": ("TensorDataset", "DataLoader"),
    "text/__init__": (),
    "text/embeddings": ("Embedding", "PositionalEncoding"),
}
CURRENT_MODULES = {
    "__init__": (),
    "core/__init__": (),
    "core/tensor": ("Tensor",),
    "core/activations": ("ReLU", "Sigmoid"),
    "core/layers": ("Linear",),
    "core/losses": ("BinaryCrossEntropyLoss", "CrossEntropyLoss"),
    "core/optimizers": ("SGD",),
    "core/dataloader": ("TensorDataset", "DataLoader"),
    "core/spatial": ("Conv2d", "MaxPool2d"),
    "core/embeddings": ("Embedding", "PositionalEncoding"),
    "core/attention": ("MultiHeadAttention",),
    "core/transformer": ("LayerNorm",),
}
LAYOUTS = {"classic": CLASSIC_MODULES, "current": CURRENT_MODULES}


def touched_milestones(defect: str) -> list[str]:
    """The milestones whose models use the component a defect lives in."""
    component = DEFECTS[defect][1]
    return [milestone for milestone, needed in MILESTONE_COMPONENTS.items() if component in needed]


def write_package(project: Path, defect: str | None = None, variants: tuple[str, ...] = (),
                  layout: str = "classic") -> Path:
    """Write `project/tinytorch/` (replacing one there) and return the project folder."""
    assert defect is None or defect in DEFECTS, defect
    assert set(variants) <= set(VARIANTS), variants
    package = project / "tinytorch"
    shutil.rmtree(package, ignore_errors=True)
    package.mkdir(parents=True)
    shutil.copy(SOURCE, package / "_impl.py")
    (package / "_config.py").write_text(f"DEFECT = {defect!r}\nVARIANTS = {tuple(variants)!r}\n", encoding="utf-8")
    for module, names in LAYOUTS[layout].items():
        file = package / f"{module}.py"
        file.parent.mkdir(parents=True, exist_ok=True)
        depth = ".." if "/" in module else "."
        line = f"from {depth}_impl import {', '.join(names)}\n" if names else ""
        file.write_text(line, encoding="utf-8")
    return project


def learning_results(project: Path, milestones: list[str], seed: int = 1957) -> dict[str, dict]:
    """Each milestone's test result (the result plugin's report of its test) from the runner's own
    isolated pytest child in `project`, run with `TINYTORCH_VERIFY_SEED` = `seed`."""
    from tinytorch_milestones.services.verify.subprocess_run import run_pytest_subprocess
    from tinytorch_milestones.services.verify.target import SHIPPED_TESTS

    results = {}
    before = os.environ.get("TINYTORCH_VERIFY_SEED")
    os.environ["TINYTORCH_VERIFY_SEED"] = str(seed)
    try:
        for milestone in milestones:
            run = run_pytest_subprocess(f"{SHIPPED_TESTS}::test_{milestone}_learning", project, timeout_s=600)
            assert run.results is not None, "\n".join(run.output_tail)
            results[milestone] = run.results["tests"][0]
    finally:
        if before is None:
            del os.environ["TINYTORCH_VERIFY_SEED"]
        else:
            os.environ["TINYTORCH_VERIFY_SEED"] = before
    return results
