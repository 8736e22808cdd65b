"""The contract lookup against real `tinytorch/` folders of both course layouts, imported in this process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinytorch_milestones.services.verify.checks import CheckFailed
from tinytorch_milestones.services.verify.contract import contract_places, load

from broken.package import CLASSIC_MODULES, CURRENT_MODULES, write_package


@pytest.mark.parametrize("layout", ["classic", "current"])
def test_every_contract_name_is_found_in_both_layouts(layout: str, importable_folder: Path) -> None:
    write_package(importable_folder, layout=layout)
    for name in contract_places():
        assert load(name).__name__ == name
        assert load(name).__module__ == "tinytorch._impl"


def test_the_active_courses_place_comes_first_and_both_layouts_are_covered() -> None:
    contract = contract_places()
    assert contract["DataLoader"].modules == ("tinytorch.data.loader", "tinytorch.core.dataloader")
    assert contract["Embedding"].modules == ("tinytorch.text.embeddings", "tinytorch.core.embeddings")
    assert contract["DataLoader"].export == "04_training"
    for modules in (CLASSIC_MODULES, CURRENT_MODULES):
        homes = {name: "tinytorch" + ("." + module.replace("/", ".")).removesuffix(".__init__")
                 for module, names in modules.items() for name in names}
        assert set(homes) == set(contract)
        assert all(homes[name] in contract[name].modules for name in contract)


def test_in_the_current_course_its_own_places_come_first() -> None:
    from tinytorch_milestones.core import registry

    before = registry.active_course()
    registry.use_course("tinytorch")
    try:
        contract = contract_places()
    finally:
        registry.use_course(before)
    assert contract["DataLoader"].modules == ("tinytorch.core.dataloader", "tinytorch.data.loader")
    assert contract["DataLoader"].export == "08_dataloader"
    assert contract["quantize_int8"].modules[0] == "tinytorch.perf.quantization"


def test_a_missing_name_says_where_it_looked_and_what_to_export(importable_folder: Path) -> None:
    write_package(importable_folder)
    (importable_folder / "tinytorch" / "data" / "loader.py").write_text("from .._impl import TensorDataset\n", encoding="utf-8")
    with pytest.raises(CheckFailed) as failure:
        load("DataLoader")
    assert str(failure.value) == ("DataLoader is in neither tinytorch.data.loader nor tinytorch.core.dataloader: "
                                  "export 04_training (in the tinytorch course: 08_dataloader)")
    assert failure.value.check == "contract"


def test_a_module_that_is_missing_entirely_is_looked_past(importable_folder: Path) -> None:
    write_package(importable_folder)
    (importable_folder / "tinytorch" / "core" / "attention.py").unlink()
    with pytest.raises(CheckFailed, match=r"^MultiHeadAttention is not in tinytorch.core.attention: export 12_attention$"):
        load("MultiHeadAttention")


def test_a_module_that_raises_on_import_is_one_line_naming_it(importable_folder: Path) -> None:
    write_package(importable_folder)
    (importable_folder / "tinytorch" / "core" / "spatial.py").write_text("import numpy\nraise ValueError('bad kernel\\nmore')\n",
                                                               encoding="utf-8")
    with pytest.raises(CheckFailed) as failure:
        load("Conv2d")
    assert str(failure.value).startswith("importing tinytorch.core.spatial (for Conv2d) raised ValueError: bad kernel: ")
    assert "\n" not in str(failure.value)


def test_a_module_importing_something_missing_is_not_mistaken_for_an_absent_one(importable_folder: Path) -> None:
    write_package(importable_folder)
    (importable_folder / "tinytorch" / "core" / "spatial.py").write_text("import scipy_that_is_not_installed\n", encoding="utf-8")
    with pytest.raises(CheckFailed, match=r"raised ModuleNotFoundError: No module named 'scipy_that_is_not_installed'"):
        load("Conv2d")


def test_no_tinytorch_at_all_is_left_to_the_result_plugin(importable_folder: Path) -> None:
    with pytest.raises(ModuleNotFoundError) as failure:
        load("Tensor")
    assert failure.value.name == "tinytorch"
