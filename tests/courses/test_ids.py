"""Ids people type, in the current course: `run 03`, `run 3` and `run mlp` all mean milestone 03."""

from __future__ import annotations

import pytest

from tinytorch_milestones import MILESTONE_ORDER, MILESTONES, MilestoneTracker
from tinytorch_milestones.core import registry
from tinytorch_milestones.core.errors import MilestoneDefinitionError, UnknownMilestoneError

from .conftest import run_cli, tinytorch_project


@pytest.mark.parametrize("typed", ["03", "3", "mlp", "MLP", " mlp_digits "])
def test_a_milestone_answers_to_its_id_number_and_aliases(typed: str, use_course) -> None:
    use_course("tinytorch")
    assert registry.get_milestone(typed).id == "03"


@pytest.mark.parametrize("typed, full", [("1", "01_tensor"), ("08", "08_dataloader"), ("dataloader", "08_dataloader"),
                                         ("13_transformers", "13_transformers"), ("20", "20_capstone")])
def test_modules_answer_to_numbers_and_short_names(typed: str, full: str, use_course) -> None:
    use_course("tinytorch")
    assert registry.normalize_module_name(typed) == full


def test_an_unknown_id_names_the_valid_ones(use_course) -> None:
    use_course("tinytorch")
    with pytest.raises(UnknownMilestoneError) as raised:
        registry.get_milestone("7")
    assert str(raised.value).endswith("Valid milestones: 01, 02, 03, 04, 05, 06")


def test_the_cli_runs_and_explains_by_any_form(tmp_path) -> None:
    project = tinytorch_project(tmp_path)
    for typed in ("03", "3", "mlp"):
        info = run_cli("info", typed, cwd=project)
        assert info.returncode == 0, info.stderr
        assert "1986 - MLP Revival" in info.stdout and "08_dataloader" in info.stdout
    locked = run_cli("run", "3", cwd=project)
    assert locked.returncode == 2 and "1986 - MLP Revival is locked" in locked.stderr


def test_an_alias_two_milestones_share_is_refused_in_one_line(use_course, recipe) -> None:
    use_course("tinytorch")
    recipe.add("07", {**MILESTONES["03"], "aliases": ["cnn"]})
    with pytest.raises(MilestoneDefinitionError) as raised:
        registry.get_milestone("01")
    assert str(raised.value) == ("milestones '04' and '07' both answer to 'cnn' (an id, a number or an alias): "
                                 "give each its own")


def test_api_md_recipe_works_at_run_time_in_the_current_course(use_course, recipe, progress_file) -> None:
    use_course("tinytorch")
    recipe.add("new_milestone", {
        "name": "2025 - New Breakthrough",
        "requires": ["01_tensor", "21_new_module"],
        "test": "test_new_milestone_learning",
        "description": "Description of the breakthrough",
        "unlock_message": "🎉 You can now...",
    })
    tracker = MilestoneTracker()
    assert tracker.mark_module_complete("1")["newly_unlocked"] == []
    assert tracker.mark_module_complete("21")["newly_unlocked"] == ["new_milestone"]
    assert "21_new_module" in registry.module_names()


def test_validation_notices_a_change_made_in_place(use_course, progress_file) -> None:
    """Validation is cached; changing a definition's requirements in place still counts at once."""
    use_course("tinytorch")
    tracker = MilestoneTracker()
    assert tracker.missing_modules("01")[-1] == "06_optimizers"
    MILESTONES["01"]["requires"].append("20_capstone")
    assert tracker.missing_modules("01")[-1] == "20_capstone"
    MILESTONE_ORDER.remove("06")
    assert [row["id"] for row in tracker.status()["milestones"]] == ["01", "02", "03", "04", "05"]
