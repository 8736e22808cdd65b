"""The command line built from the one command table, in fresh processes: help, did-you-mean, --json,
terminal advice, output order, and the exit code of an unexpected error."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from tinytorch_milestones.core import messages
from tinytorch_milestones.frontends import cli
from tinytorch_milestones.frontends.commands import COMMANDS

from ..core.conftest import modules_loaded_by_the_cli, run_cli

UNLOCK_ALL_OF_PERCEPTRON = ("complete", "00_setup", "01", "tensor", "02")
EVERY_COMMAND_WITH_ITS_HELP = " ".join(f"{name} {command.help}" for name, command in COMMANDS.items())


def _listed_commands(overview: str) -> str:
    """The overview's list of commands ("progress  show the ...  list  list the ..."), whitespace folded."""
    listing = overview.split("\n  COMMAND\n", 1)[1].split("\n\n", 1)[0]
    return " ".join(listing.split())


def test_help_lists_every_command_and_help_command_equals_its_own_help() -> None:
    overview = run_cli("help")
    assert overview.returncode == 0 and overview.stderr == ""
    assert overview.stdout == run_cli("--help").stdout
    assert _listed_commands(overview.stdout) == " ".join(EVERY_COMMAND_WITH_ITS_HELP.split())
    for name, command in COMMANDS.items():
        one = run_cli("help", name)
        assert one.returncode == 0
        assert one.stdout == run_cli(name, "--help").stdout
        assert one.stdout.startswith(f"usage: tinytorch-milestones {name}")
        assert " ".join(command.help.split()) in " ".join(one.stdout.split())


@pytest.mark.parametrize("argv, line", [
    (["progres"], "tinytorch-milestones: error: unknown command 'progres'. Did you mean 'progress'? Valid commands: "
                  "progress, list, status, complete, run, export, reset, class, grade, info, import-tito, help"),
    (["stauts", "--json"], "tinytorch-milestones: error: unknown command 'stauts'. Did you mean 'status'?"),
    (["help", "lst"], "tinytorch-milestones: error: unknown command 'lst'. Did you mean 'list'?"),
])
def test_a_mistyped_command_suggests_the_closest_and_exits_2(progress_file, argv: list[str], line: str) -> None:
    done = run_cli(*argv)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1].startswith(line)
    assert "Traceback" not in done.stderr
    assert not progress_file.exists()


@pytest.mark.parametrize("command", ["progress", "list"])
def test_json_on_progress_and_list_is_the_data_of_status_json(progress_file, command: str) -> None:
    run_cli(*UNLOCK_ALL_OF_PERCEPTRON)
    done = run_cli(command, "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads(run_cli("status", "--json").stdout)
    assert json.loads(done.stdout)["awaiting_verification"] == ["perceptron"]


def test_complete_records_each_module_once_each_line_before_its_unlock_panel(progress_file) -> None:
    done = run_cli(*UNLOCK_ALL_OF_PERCEPTRON)
    assert done.returncode == 0
    out = done.stdout
    assert out.count("Recorded 01_tensor as complete.") == 1
    recorded = out.index("Recorded 02_autograd as complete; unlocked: perceptron.")
    assert recorded < out.index(messages.UNLOCK_HEADER)
    assert out.count(messages.UNLOCK_HEADER) == 1
    assert out.splitlines()[:3] == ["Recorded 00_setup as complete.", "Recorded 01_tensor as complete.",
                                    "Recorded 02_autograd as complete; unlocked: perceptron."]


@pytest.mark.parametrize("argv", [UNLOCK_ALL_OF_PERCEPTRON, ("progress",), ("list",), ("status",)])
def test_terminal_advice_names_terminal_commands(progress_file, argv: tuple[str, ...]) -> None:
    if argv != UNLOCK_ALL_OF_PERCEPTRON:
        run_cli(*UNLOCK_ALL_OF_PERCEPTRON)
    out = run_cli(*argv).stdout
    assert "tinytorch-milestones run perceptron" in out
    assert "%milestones" not in out


def test_status_json_still_offers_both_commands(progress_file) -> None:
    run_cli(*UNLOCK_ALL_OF_PERCEPTRON)
    next_text = json.loads(run_cli("status", "--json").stdout)["next_text"]
    assert "%milestones run perceptron" in next_text and "tinytorch-milestones run perceptron" in next_text


FAULTY_CLI = (
    "import sys\n"
    "from tinytorch_milestones.core import tracker\n"
    "def broken(self):\n"
    "    raise RuntimeError('disk gremlin')\n"
    "tracker.MilestoneTracker.status = broken\n"
    "from tinytorch_milestones.frontends.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _faulty_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process whose core fails in a way no command expects."""
    return subprocess.run([sys.executable, "-c", FAULTY_CLI, *args], capture_output=True, text=True, timeout=60)


def test_an_unexpected_error_is_one_line_and_exit_3() -> None:
    done = _faulty_cli("status")
    assert done.returncode == cli.EXIT_UNEXPECTED == 3
    assert done.stderr == ("tinytorch-milestones: unexpected error: RuntimeError: disk gremlin "
                           "(--debug shows the traceback)\n")
    assert done.stdout == ""


@pytest.mark.parametrize("argv", [("--debug", "progress"), ("progress", "--debug")])
def test_debug_shows_the_traceback_before_the_line(argv: tuple[str, ...]) -> None:
    done = _faulty_cli(*argv)
    assert done.returncode == 3
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert "RuntimeError: disk gremlin" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("tinytorch-milestones: unexpected error: RuntimeError")


def test_tito_mounted_help_names_tito_and_lists_the_commands(progress_file, capsys) -> None:
    tito = argparse.ArgumentParser(prog="tito")
    cli.build_parser(tito.add_subparsers(dest="command").add_parser("milestones"))
    assert cli.run(tito.parse_args(["milestones", "help", "complete"])) == 0
    assert capsys.readouterr().out.startswith("usage: tito milestones complete")
    assert cli.run(tito.parse_args(["milestones", "progress", "--json"])) == 0
    assert json.loads(capsys.readouterr().out)["completed_modules"] == []
    with pytest.raises(SystemExit) as exit_info:
        tito.parse_args(["milestones", "lsit"])
    assert exit_info.value.code == 2
    assert "unknown command 'lsit'. Did you mean 'list'?" in capsys.readouterr().err


def _tito_exit(tito: argparse.ArgumentParser, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What tito prints for `argv` when argparse itself ends the process with exit code 0 (`--help`)."""
    with pytest.raises(SystemExit) as exit_info:
        tito.parse_args(argv)
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_tito_mounted_parser_lists_every_command_and_gives_each_its_own_help(tmp_path, progress_file, capsys) -> None:
    tito = argparse.ArgumentParser(prog="tito")
    cli.build_parser(tito.add_subparsers(dest="command").add_parser("milestones"))
    overview = _tito_exit(tito, ["milestones", "--help"], capsys)
    assert overview.startswith("usage: tito milestones ")
    assert _listed_commands(overview) == " ".join(EVERY_COMMAND_WITH_ITS_HELP.split())
    for name, command in COMMANDS.items():
        own = _tito_exit(tito, ["milestones", name, "--help"], capsys)
        assert own.startswith(f"usage: tito milestones {name} ")
        assert " ".join(command.help.split()) in " ".join(own.split())
        assert "--progress-file PATH" in own
        assert cli.run(tito.parse_args(["milestones", "help", name])) == 0
        assert capsys.readouterr().out == own
    elsewhere = tmp_path / "elsewhere.json"
    assert cli.run(tito.parse_args(["milestones", "complete", "01", "--progress-file", str(elsewhere)])) == 0
    assert json.loads(elsewhere.read_text())["completed_modules"] == ["01_tensor"]
    assert not progress_file.exists()


def test_building_the_parser_imports_no_service_and_progress_no_verify_service() -> None:
    services = ("tinytorch_milestones.services.verify", "tinytorch_milestones.services.export", "nbformat", "pytest",
                "tinytorch_milestones.services.classroom", "tinytorch_milestones.frontends.classroom")
    after_parser, after_complete = modules_loaded_by_the_cli(["complete", "00_setup"], (*services, "rich"))
    assert after_parser == []
    assert [module for module in after_complete if module in services] == []


def test_a_courses_text_is_shown_as_written_never_as_markup_or_emoji_codes(tmp_path) -> None:
    from tinytorch_milestones.core.courses import SHIPPED_COURSES

    text = SHIPPED_COURSES["classic"].read_text(encoding="utf-8").replace('name = "classic"', 'name = "marked"')
    course = tmp_path / "marked.toml"
    course.write_text(text.replace('name = "1957 - The Perceptron"', 'name = "1957 - The [red]Perceptron[/red] :tada:"'),
                      encoding="utf-8")
    for command in (["info", "perceptron"], ["progress"]):
        done = run_cli("--course", str(course), *command)
        assert done.returncode == 0, done.stderr
        assert "The [red]Perceptron[/red] :tada:" in done.stdout
