"""Fixtures for the verification tests: the reference `tinytorch`, exported once from the course notebooks."""

from __future__ import annotations

import re
import sys
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinytorch_milestones.core.registry import get_milestone
from tinytorch_milestones.core.tracker import MilestoneTracker

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(scope="session")
def reference_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference `tinytorch/` folder, exported from notebooks/NN_*.ipynb into a temporary folder."""
    from tinytorch_milestones.services.export import export_notebook

    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert notebooks, f"no course notebooks (NN_*.ipynb) in {NOTEBOOKS}"
    root = tmp_path_factory.mktemp("reference")
    for notebook in notebooks:
        export_notebook(notebook, package_root=root)
    return root / "tinytorch"


@pytest.fixture
def project(tmp_path: Path, reference_package: Path) -> Path:
    """A student's project folder of this test's own: a copy of the reference `tinytorch/`."""
    folder = tmp_path / "project"
    shutil.copytree(reference_package, folder / "tinytorch", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.fixture
def importable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty folder on sys.path for a `tinytorch/` imported in this process; any `tinytorch`
    imported before or from it is forgotten around the test."""
    forget_tinytorch()
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    forget_tinytorch()


def forget_tinytorch() -> None:
    for name in [name for name in sys.modules if name == "tinytorch" or name.startswith("tinytorch.")]:
        del sys.modules[name]


@pytest.fixture
def add_milestone(recipe):
    """Add a milestone the way API.md's recipe does, with a test of its own; restored afterwards."""

    def add(milestone_id: str, test: str, test_file: str | None = None, requires=("00_setup", "01_tensor")) -> None:
        definition = {
            "name": f"2025 - {milestone_id}",
            "requires": list(requires),
            "test": test,
            "description": "A milestone added by the recipe",
            "unlock_message": "🎉 You can now...",
        }
        if test_file is not None:
            definition["test_file"] = test_file
        recipe.add(milestone_id, definition)

    return add


@pytest.fixture
def unlock(progress_file: Path):
    """Record every module a milestone needs as complete, in the isolated progress file."""

    def unlock_milestone(milestone_id: str) -> None:
        tracker = MilestoneTracker()
        for module in get_milestone(milestone_id).requires:
            tracker.mark_module_complete(module)

    return unlock_milestone


def defining_file(package: Path, class_name: str) -> Path:
    """The one module file of `package` that defines `class_name`."""
    pattern = re.compile(rf"^class {class_name}\b", re.MULTILINE)
    files = [path for path in sorted(package.rglob("*.py")) if pattern.search(path.read_text(encoding="utf-8"))]
    assert len(files) == 1, f"expected one definition of {class_name} in {package}, found {files}"
    return files[0]


def dotted(package: Path, file: Path) -> str:
    """The import name of a module file of `package` ("tinytorch.core.tensor")."""
    return ".".join((package.name, *file.relative_to(package).with_suffix("").parts))


def append_patch(package: Path, class_name: str, code: str) -> None:
    """Append `code` to the module defining `class_name`, so it runs when that module is imported."""
    file = defining_file(package, class_name)
    source = code.replace("TENSOR_MODULE", dotted(package, defining_file(package, "Tensor")))
    file.write_text(file.read_text(encoding="utf-8") + "\n\n" + textwrap.dedent(source), encoding="utf-8")


ZERO_GRADIENTS = '''
import numpy as _verify_np
from TENSOR_MODULE import Tensor as _VerifyTensor


class _VerifyZeroGradient:
    """Broken on purpose: every gradient read back is all zeros."""

    def __get__(self, tensor, owner=None):
        if tensor is None:
            return self
        stored = tensor.__dict__.get("_verify_grad")
        if stored is None:
            return None
        return _VerifyTensor(_verify_np.zeros_like(_verify_np.asarray(getattr(stored, "data", stored))))

    def __set__(self, tensor, value):
        tensor.__dict__["_verify_grad"] = value


Tensor.grad = _VerifyZeroGradient()
'''

NOOP_OPTIMIZER = '''
def _verify_step_that_does_nothing(self, *args, **kwargs):
    """Broken on purpose: an optimizer step that changes nothing."""


SGD.step = _verify_step_that_does_nothing
'''

CONSTANT_LOSS = '''
import numpy as _verify_np
from TENSOR_MODULE import Tensor as _VerifyTensor


def _verify_constant_loss(self, *args, **kwargs):
    """Broken on purpose: the same loss whatever the predictions."""
    loss = _VerifyTensor(_verify_np.array(0.6931, dtype=_verify_np.float32))
    loss.requires_grad = True
    return loss


{name}.__call__ = _verify_constant_loss
{name}.forward = _verify_constant_loss
'''

DETACHED_LINEAR_WEIGHT = '''
import numpy as _verify_np
from TENSOR_MODULE import Tensor as _VerifyTensor

_verify_method = "forward" if any("forward" in vars(cls) for cls in Linear.__mro__) else "__call__"
_verify_original = getattr(Linear, _verify_method)


def _verify_forward_without_weight_gradient(self, *args, **kwargs):
    """Broken on purpose: the weight enters the forward pass as a copy outside the graph."""
    weight = self.weight
    self.weight = _VerifyTensor(_verify_np.array(weight.data))
    try:
        return _verify_original(self, *args, **kwargs)
    finally:
        self.weight = weight


setattr(Linear, _verify_method, _verify_forward_without_weight_gradient)
'''


def break_package(package: Path, variant: str) -> None:
    """Patch the exported `tinytorch/` in place into one of the deliberately broken variants."""
    if variant == "zero_gradients":
        append_patch(package, "Tensor", ZERO_GRADIENTS)
    elif variant == "noop_optimizer":
        append_patch(package, "SGD", NOOP_OPTIMIZER)
    elif variant == "constant_loss":
        append_patch(package, "BinaryCrossEntropyLoss", CONSTANT_LOSS.format(name="BinaryCrossEntropyLoss"))
        append_patch(package, "CrossEntropyLoss", CONSTANT_LOSS.format(name="CrossEntropyLoss"))
    elif variant == "detached_linear_weight":
        append_patch(package, "Linear", DETACHED_LINEAR_WEIGHT)
    else:
        raise ValueError(f"unknown variant {variant!r}")


@pytest.fixture
def broken_project(project: Path):
    """The test's project with its `tinytorch/` patched into a broken variant (see `break_package`)."""

    def make(variant: str) -> Path:
        break_package(project / "tinytorch", variant)
        return project

    return make
