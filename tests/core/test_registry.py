"""The registry: the documented milestones, module names and their normal forms, definition checks."""

from __future__ import annotations

import pytest

from tinytorch_milestones import MILESTONE_ORDER, MILESTONES, check_module_export
from tinytorch_milestones.core import registry
from tinytorch_milestones.core.errors import MilestoneDefinitionError, ModuleNameError, UnknownMilestoneError

from .conftest import ALL_MODULES


def test_the_five_documented_milestones_in_order() -> None:
    assert MILESTONE_ORDER == ["perceptron", "xor", "mlp_digits", "cnn", "transformer"]
    assert MILESTONES["perceptron"] == {
        "name": "1957 - The Perceptron",
        "requires": ["00_setup", "01_tensor", "02_autograd"],
        "test": "test_perceptron_learning",
        "description": "First learning algorithm with automatic weight updates",
        "unlock_message": "🎉 You can now verify that gradient descent actually works!",
    }
    assert [MILESTONES[m]["test"] for m in MILESTONE_ORDER] == [
        "test_perceptron_learning", "test_xor_learning", "test_mlp_digits_learning",
        "test_cnn_learning", "test_transformer_learning",
    ]
    assert MILESTONES["xor"]["requires"] == ["00_setup", "01_tensor", "02_autograd", "03_nn"]


def test_catalog_is_derived_from_requirements_in_course_order() -> None:
    assert registry.module_names() == ALL_MODULES


def test_year_and_title_come_from_the_name() -> None:
    perceptron = registry.get_milestone("perceptron")
    assert (perceptron.year, perceptron.title) == ("1957", "The Perceptron")


@pytest.mark.parametrize("typed, full", [
    ("01_tensor", "01_tensor"), ("01", "01_tensor"), ("1", "01_tensor"), ("tensor", "01_tensor"),
    ("Tensor", "01_tensor"), ("  02_autograd ", "02_autograd"), ("7", "07_spatial"), ("spatial", "07_spatial"),
    ("11-embeddings", "11_embeddings"), ("0", "00_setup"), ("setup", "00_setup"), ("1_tensor", "01_tensor"),
])
def test_short_forms_normalise_to_the_full_name(typed: str, full: str) -> None:
    assert registry.normalize_module_name(typed) == full


@pytest.mark.parametrize("bad, problem", [
    ("", "it is empty"),
    ("   ", "it is empty"),
    ("01 tensor", "it contains whitespace"),
    ("modules/01_tensor", "it contains a path separator"),
    ("..\\01_tensor", "it contains a path separator"),
    ("01_tensor\x00", "it contains a control character"),
    ("tensor\x1b[31m", "it contains a control character"),
    ("x" * 500, "it is 500 characters long (at most 64)"),
])
def test_malformed_module_names_get_one_line_naming_the_problem(bad: str, problem: str, progress_file) -> None:
    with pytest.raises(ModuleNameError) as caught:
        check_module_export(bad)
    message = str(caught.value)
    assert "\n" not in message
    assert problem in message
    assert "Valid modules: 00_setup, 01_tensor" in message
    assert not progress_file.exists()


@pytest.mark.parametrize("typo, suggestion", [("tensr", "01_tensor"), ("01_tensro", "01_tensor"), ("atention", "12_attention")])
def test_unknown_module_names_suggest_the_closest(typo: str, suggestion: str, progress_file) -> None:
    with pytest.raises(ModuleNameError) as caught:
        check_module_export(typo)
    assert str(caught.value).startswith(f"unknown module {typo!r}. Did you mean {suggestion!r}?")
    assert not progress_file.exists()


def test_a_number_the_course_does_not_have_is_unknown() -> None:
    with pytest.raises(ModuleNameError, match="unknown module '05'"):
        registry.normalize_module_name("05")


def test_non_text_module_name_is_refused() -> None:
    with pytest.raises(ModuleNameError, match="module name must be text, got int 1"):
        registry.normalize_module_name(1)  # type: ignore[arg-type]


def test_unknown_milestone_names_valid_ids() -> None:
    with pytest.raises(UnknownMilestoneError) as caught:
        registry.get_milestone("perceptorn")
    assert str(caught.value) == (
        "unknown milestone 'perceptorn'. Did you mean 'perceptron'? "
        "Valid milestones: perceptron, xor, mlp_digits, cnn, transformer"
    )


@pytest.mark.usefixtures("recipe")
@pytest.mark.parametrize("break_it, expected", [
    (lambda: MILESTONE_ORDER.append("ghost"), "MILESTONE_ORDER lists milestone 'ghost', which MILESTONES does not define"),
    (lambda: MILESTONE_ORDER.append("xor"), "MILESTONE_ORDER lists milestone 'xor' twice"),
    (lambda: MILESTONES["cnn"].pop("test"), "milestone 'cnn': missing field 'test'"),
    (lambda: MILESTONES["cnn"].update(requires=[]), "milestone 'cnn': field 'requires' must be a non-empty list"),
    (lambda: MILESTONES["cnn"].update(requires=["01_tensor", "01_tensor"]), "milestone 'cnn': field 'requires' lists '01_tensor' twice"),
    (lambda: MILESTONES["cnn"].update(requires=["tensor"]), "milestone 'cnn': field 'requires' has 'tensor'"),
    (lambda: MILESTONES["cnn"].update(name=""), "milestone 'cnn': field 'name' must be non-empty text"),
    (lambda: MILESTONES.update(cnn="oops"), "milestone 'cnn': its definition must be a dict"),
])
def test_broken_definitions_name_the_milestone_and_field(break_it, expected: str, progress_file) -> None:
    break_it()
    with pytest.raises(MilestoneDefinitionError) as caught:
        check_module_export("01_tensor")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("digits", ["²", "١", "１", "0²"])
def test_non_ascii_digits_are_unknown_not_a_crash_or_a_module(digits: str, progress_file) -> None:
    with pytest.raises(ModuleNameError, match=f"unknown module '{digits}'"):
        check_module_export(digits)
    assert not progress_file.exists()


@pytest.mark.usefixtures("recipe")
def test_a_recipe_milestone_with_capitals_is_found_by_its_own_id() -> None:
    MILESTONES["GPT"] = {**MILESTONES["transformer"], "name": "2018 - GPT"}
    MILESTONE_ORDER.append("GPT")
    assert registry.get_milestone("GPT").name == "2018 - GPT"
    assert registry.get_milestone("gpt").name == "2018 - GPT"


@pytest.mark.usefixtures("recipe")
@pytest.mark.parametrize("requires, expected", [
    (["01_other"], "modules '01_other' and '01_tensor' share a number"),
    (["21_tensor"], "modules '01_tensor' and '21_tensor' share a name"),
])
def test_modules_that_would_make_short_forms_ambiguous_are_refused(requires, expected: str, progress_file) -> None:
    MILESTONES["extra"] = {**MILESTONES["perceptron"], "requires": requires}
    MILESTONE_ORDER.append("extra")
    with pytest.raises(MilestoneDefinitionError, match=expected):
        check_module_export("1")
    assert not progress_file.exists()
