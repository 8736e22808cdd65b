"""Where each name of the verification contract lives in a student's `tinytorch`, and the lookup.

`CONTRACT` is plain data (TINYTORCH_CONTRACT.md, COURSES.md): for every name the learning tests
use, the modules to look in, in order (the classic course's place first, then the current
20-module course's), and for each course layout the module that exports it. A later step lets the
active course supply this table; `load` only reads it.

`load(name)` returns the object; a name found nowhere raises `CheckFailed` naming the name, every
module looked in, and the module to export. A package that is not importable at all re-raises the
`ModuleNotFoundError` for `tinytorch` (the result plugin words that case). Any other exception
raised while importing the student's module becomes a failed check with its one line.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from . import messages
from .checks import CheckFailed

CLASSIC = "classic"
CURRENT = "current"


@dataclass(frozen=True)
class Place:
    """Where one contract name is looked for (`modules`, in order) and which course module exports it."""

    modules: tuple[str, ...]
    exported_by: dict[str, str]


def _place(modules: tuple[str, ...], classic: str, current: str) -> Place:
    return Place(modules, {CLASSIC: classic, CURRENT: current})


CONTRACT: dict[str, Place] = {
    "Tensor": _place(("tinytorch", "tinytorch.core.tensor"), "01_tensor", "01_tensor"),
    "Linear": _place(("tinytorch", "tinytorch.core.layers"), "02_autograd", "03_layers"),
    "Sigmoid": _place(("tinytorch", "tinytorch.core.activations"), "02_autograd", "02_activations"),
    "ReLU": _place(("tinytorch", "tinytorch.core.activations"), "03_nn", "02_activations"),
    "BinaryCrossEntropyLoss": _place(("tinytorch", "tinytorch.core.losses"), "02_autograd", "04_losses"),
    "CrossEntropyLoss": _place(("tinytorch", "tinytorch.core.losses"), "03_nn", "04_losses"),
    "SGD": _place(("tinytorch", "tinytorch.core.optimizers"), "02_autograd", "06_optimizers"),
    "TensorDataset": _place(("tinytorch.data.loader", "tinytorch.core.dataloader"), "04_training", "08_dataloader"),
    "DataLoader": _place(("tinytorch.data.loader", "tinytorch.core.dataloader"), "04_training", "08_dataloader"),
    "Conv2d": _place(("tinytorch.core.spatial",), "07_spatial", "09_spatial"),
    "MaxPool2d": _place(("tinytorch.core.spatial",), "07_spatial", "09_spatial"),
    "Embedding": _place(("tinytorch.text.embeddings", "tinytorch.core.embeddings"), "11_embeddings", "11_embeddings"),
    "PositionalEncoding": _place(("tinytorch.text.embeddings", "tinytorch.core.embeddings"),
                                 "11_embeddings", "11_embeddings"),
    "MultiHeadAttention": _place(("tinytorch.core.attention",), "12_attention", "12_attention"),
    "LayerNorm": _place(("tinytorch.core.transformer",), "12_attention", "13_transformers"),
}

PACKAGE = "tinytorch"


def _is_absent(error: ModuleNotFoundError, module: str) -> bool:
    """The module itself (or a package above it) is missing, not something it imports."""
    missing = error.name or ""
    return module == missing or module.startswith(missing + ".")


def _import(module: str) -> Any | None:
    """The module, or None when it (or a package above it) does not exist; the package's own absence propagates."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name == PACKAGE or not _is_absent(error, module):
            raise
        return None


def load(name: str, contract: dict[str, Place] | None = None) -> Any:
    """The object the student's `tinytorch` exports as `name`, from the first module in `contract` having it.

    Raises `CheckFailed` (check "contract") when no listed module has it, or when importing one of
    them raises (the exception's type and first line are in the message); `ModuleNotFoundError`
    when `tinytorch` itself cannot be imported; `KeyError` for a name the table lacks.
    """
    place = (contract or CONTRACT)[name]
    for module in place.modules:
        try:
            found = _import(module)
        except ModuleNotFoundError as error:
            if error.name == PACKAGE:
                raise
            raise _import_failed(name, module, error) from None
        except Exception as error:  # noqa: BLE001 - student code: any failure is a failed check
            raise _import_failed(name, module, error) from None
        if found is None:
            continue
        try:
            return getattr(found, name)
        except ImportError:
            continue  # a lazy `from tinytorch import X` whose module is not exported yet
        except AttributeError:
            continue
        except Exception as error:  # noqa: BLE001 - student code: any failure is a failed check
            raise _import_failed(name, module, error) from None
    raise CheckFailed(messages.CHECK_CONTRACT, messages.contract_name_missing(name, place.modules),
                      messages.contract_export_hint(place.exported_by[CLASSIC], place.exported_by[CURRENT]),
                      measured=None, threshold=messages.contract_threshold(name))


def _import_failed(name: str, module: str, error: BaseException) -> CheckFailed:
    return CheckFailed(messages.CHECK_CONTRACT, messages.contract_import_failed(name, module, messages.one_line(error)),
                       messages.HINT_CONTRACT_IMPORT, measured=None, threshold=messages.contract_threshold(name))


def load_all(*names: str) -> tuple[Any, ...]:
    """`load` for each name, in order (for `Tensor, Linear = load_all("Tensor", "Linear")`)."""
    return tuple(load(name) for name in names)
