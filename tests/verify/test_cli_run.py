"""`tinytorch-milestones run`: live output, the card, and exit codes 0 / 1 / 2."""

from __future__ import annotations

from pathlib import Path

from tinytorch_milestones.frontends.cli import main


def test_pass_prints_live_output_then_the_card_and_exits_0(project: Path, unlock, capsys) -> None:
    unlock("perceptron")
    assert main(["run", "perceptron", "--project-dir", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.index("perceptron: epoch 25/100") < out.index("✅ Verification passed: 1957 - The Perceptron")
    assert "🏆 MILESTONE COMPLETED!" in out


def test_failed_verification_exits_1_naming_the_check(broken_project, unlock, capsys) -> None:
    project = broken_project("noop_optimizer")
    unlock("perceptron")
    assert main(["run", "perceptron", "--project-dir", str(project)]) == 1
    out = capsys.readouterr().out
    assert "❌ Verification failed: 1957 - The Perceptron" in out
    assert "  What was checked: component SGD" in out


def test_locked_milestone_is_one_line_with_exit_2(project: Path, capsys) -> None:
    assert main(["run", "perceptron", "--project-dir", str(project)]) == 2
    assert capsys.readouterr().err.startswith(
        "tinytorch-milestones: error: 1957 - The Perceptron is locked: complete 00_setup, 01_tensor, 02_autograd first")


def test_force_timeout_and_progress_file_are_passed_through(project: Path, tmp_path: Path, capsys) -> None:
    progress_file = tmp_path / "elsewhere.json"
    assert main(["run", "perceptron", "--force", "--timeout", "60", "--project-dir", str(project),
                 "--progress-file", str(progress_file)]) == 0
    assert '"perceptron"' in progress_file.read_text(encoding="utf-8")


def test_a_nan_timeout_is_refused_in_one_line_with_exit_2(project: Path, capsys) -> None:
    assert main(["run", "perceptron", "--force", "--timeout", "nan", "--project-dir", str(project)]) == 2
    assert capsys.readouterr().err == (
        "tinytorch-milestones: error: timeout must be a finite number of seconds above 0, got nan\n")


def test_mounted_in_the_cli_exit_codes_are_0_and_2(project: Path, capsys) -> None:
    assert main(["run", "xor", "--project-dir", str(project)]) == 2
    err = capsys.readouterr().err
    assert err == ("tinytorch-milestones: error: 1986 - Backpropagation (XOR) is locked: complete 00_setup, 01_tensor, "
                   "02_autograd, 03_nn first (or pass --force to run its verification anyway).\n")
    assert main(["run", "xor", "--force", "--project-dir", str(project)]) == 0
    assert "✅ Verification passed: 1986 - Backpropagation (XOR)" in capsys.readouterr().out
