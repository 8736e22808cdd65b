"""Component checks in this process against the independent implementation written into real folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinytorch_milestones.services.verify.checks import CheckFailed
from tinytorch_milestones.services.verify.components import MILESTONE_COMPONENTS, check_milestone

from broken.package import write_package


@pytest.mark.parametrize(("variants", "tolerance"), [((), 2e-2), (("float64",), 1e-5), (("data_property",), 2e-2)])
def test_correct_code_passes_every_milestone_within_its_precision(variants, tolerance, importable_folder: Path) -> None:
    write_package(importable_folder, variants=variants)
    for milestone, components in MILESTONE_COMPONENTS.items():
        errors = check_milestone(milestone, seed=7)
        assert list(errors) == list(components)
        assert max(errors.values()) < tolerance / 10


def test_student_code_that_raises_is_one_line_naming_the_component(importable_folder: Path) -> None:
    write_package(importable_folder)
    init = importable_folder / "tinytorch" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8") + (
        "\n\nclass Linear(Linear):\n"
        "    def forward(self, x):\n"
        "        raise ValueError('shapes (4,5) and (3,5) not aligned\\nmore detail')\n"), encoding="utf-8")
    with pytest.raises(CheckFailed) as failure:
        check_milestone("perceptron", seed=7)
    assert str(failure.value) == ("Linear: its forward raised ValueError: shapes (4,5) and (3,5) not aligned: "
                                  "the component failed on a small input of the shapes the milestone uses")
    assert failure.value.check == "component Linear"


def test_the_global_random_state_is_left_as_it_was(importable_folder: Path) -> None:
    import numpy as np

    write_package(importable_folder)
    np.random.seed(3)
    expected = np.random.rand()
    np.random.seed(3)
    check_milestone("xor", seed=7)
    assert np.random.rand() == expected
