"""Tab completion of `%milestones` through IPython's own completer: commands, options, ids, module names."""

from __future__ import annotations

import pytest

from tinytorch_milestones.core import registry

from .conftest import EXTENSION, add_quick_milestone, completions

ALL_MODULES = ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training", "07_spatial", "11_embeddings",
               "12_attention"]


@pytest.mark.parametrize(("line", "expected"), [
    ("%milestones ", ["class", "complete", "export", "grade", "help", "import-tito", "info", "list", "progress", "reset", "run", "status"]),
    ("%milestones r", ["reset", "run"]),
    ("%milestones st", ["status"]),
    ("%milestones help ", ["class", "complete", "export", "grade", "help", "import-tito", "info", "list", "progress", "reset", "run", "status"]),
    ("%milestones help e", ["export"]),
])
def test_commands_complete(shell, line: str, expected: list[str]) -> None:
    assert completions(shell, line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("%milestones run ", ["cnn", "mlp_digits", "perceptron", "transformer", "xor"]),
    ("%milestones run p", ["perceptron"]),
    ("%milestones run --force x", ["xor"]),
])
def test_milestone_ids_complete_after_run(shell, line: str, expected: list[str]) -> None:
    assert completions(shell, line) == expected


def test_only_one_milestone_id_is_offered(shell) -> None:
    assert not set(completions(shell, "%milestones run perceptron ")) & set(registry.milestone_ids())


@pytest.mark.parametrize(("line", "expected"), [
    ("%milestones complete ", ALL_MODULES),
    ("%milestones complete 0", ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training", "07_spatial"]),
    ("%milestones complete 3", ["03_nn"]),
    ("%milestones complete ten", ["01_tensor"]),
    ("%milestones complete 00_setup at", ["12_attention"]),
    ("%milestones export --module aut", ["02_autograd"]),
])
def test_module_names_complete(shell, line: str, expected: list[str]) -> None:
    assert completions(shell, line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("%milestones run --", ["--force", "--help", "--in-kernel", "--project-dir", "--timeout"]),
    ("%milestones progress --", ["--help", "--json"]),
    ("%milestones list --j", ["--json"]),
    ("%milestones status --j", ["--json"]),
    ("%milestones reset -", ["--help", "--yes", "-h", "-y"]),
    ("%milestones export --", ["--help", "--module", "--to"]),
])
def test_options_complete(shell, line: str, expected: list[str]) -> None:
    assert completions(shell, line) == expected


def test_paths_are_left_to_the_file_completer(shell, tmp_path, monkeypatch) -> None:
    (tmp_path / "01_tensor.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert "01_tensor.ipynb" in completions(shell, "%milestones export 01_")
    assert "01_tensor.ipynb" in completions(shell, "%milestones export --to 01_")


def test_the_value_of_an_option_is_not_taken_for_a_positional(shell) -> None:
    assert completions(shell, "%milestones run --timeout 5 per") == ["perceptron"]
    assert "perceptron" not in completions(shell, "%milestones run perceptron --force ")


def test_help_completes_command_names(shell) -> None:
    assert completions(shell, "%milestones help st") == ["status"]


def test_a_milestone_added_at_run_time_completes(shell, recipe, tmp_path) -> None:
    add_quick_milestone(recipe, tmp_path, "quick", passes=True)
    assert completions(shell, "%milestones run q") == ["quick"]


def test_other_lines_complete_as_before(shell) -> None:
    assert "print" in completions(shell, "pri")
    assert "%milestones" in completions(shell, "%milest")


def test_nothing_is_offered_once_the_extension_is_unloaded(shell) -> None:
    shell.run_line_magic("unload_ext", EXTENSION)
    try:
        assert "perceptron" not in completions(shell, "%milestones run ")
    finally:
        shell.run_line_magic("load_ext", EXTENSION)


def test_a_broken_milestone_definition_breaks_no_completion(shell, recipe, capsys) -> None:
    ids = set(registry.milestone_ids())
    registry.MILESTONE_ORDER.append("missing")
    assert not set(completions(shell, "%milestones run ")) & ids
    assert "print" in completions(shell, "pri")
    assert "Traceback" not in capsys.readouterr().err
