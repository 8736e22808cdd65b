"""The command line as a user types it: tinytorch-milestones, python -m ..., and tito's mount."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys

import pytest

from tinytorch_milestones.core import messages
from tinytorch_milestones.frontends import cli

from .conftest import ALL_MODULES, modules_loaded_by_the_cli, read_json, run_cli


def test_original_testing_the_api_section(progress_file) -> None:
    first = run_cli("complete", "00_setup", module="milestone_tracker")
    second = run_cli("complete", "01_tensor", module="milestone_tracker")
    third = run_cli("complete", "02_autograd", module="milestone_tracker")
    assert [p.returncode for p in (first, second, third)] == [0, 0, 0]
    assert "MILESTONE UNLOCKED" not in first.stdout + second.stdout
    assert "🔓 MILESTONE UNLOCKED!" in third.stdout
    assert "1957 - The Perceptron" in third.stdout
    progress = run_cli("progress", module="milestone_tracker")
    assert "1957 - The Perceptron" in progress.stdout and "Unlocked" in progress.stdout
    listing = run_cli("list", module="milestone_tracker")
    assert "tinytorch-milestones run perceptron" in listing.stdout
    assert read_json(progress_file)["unlocked_milestones"] == ["perceptron"]


def test_console_script_is_installed() -> None:
    script = shutil.which("tinytorch-milestones", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert script is not None
    done = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for command in ("complete", "progress", "list", "status", "reset"):
        assert command in done.stdout


def test_complete_accepts_several_short_forms(progress_file, capsys) -> None:
    assert cli.main(["complete", "0", "tensor", "02"]) == 0
    out = capsys.readouterr().out
    assert "Recorded 00_setup as complete." in out
    assert "Recorded 02_autograd as complete; unlocked: perceptron." in out
    assert read_json(progress_file)["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]


def test_a_typo_among_several_modules_records_none(progress_file, capsys) -> None:
    assert cli.main(["complete", "01", "tensr"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "tinytorch-milestones: error: unknown module 'tensr'. Did you mean '01_tensor'? "
        "Valid modules: " + ", ".join(ALL_MODULES) + "\n"
    )
    assert not progress_file.exists()


@pytest.mark.parametrize("argv, fragment", [
    (["bogus"], "tinytorch-milestones: error: unknown command 'bogus'. Valid commands: progress, list, status, "),
    (["progres"], "unknown command 'progres'. Did you mean 'progress'? Valid commands: progress, list,"),
    (["help", "complet"], "unknown command 'complet'. Did you mean 'complete'?"),
    (["complete"], "the following arguments are required: MODULE"),
    (["status", "--jsn"], "unrecognized arguments: --jsn"),
])
def test_bad_usage_exits_2_with_one_error_line(argv, fragment) -> None:
    done = run_cli(*argv)
    assert done.returncode == 2
    assert fragment in done.stderr
    assert "Traceback" not in done.stderr


def test_status_json_is_machine_readable(progress_file) -> None:
    run_cli("complete", "0", "1", "2", "3")
    done = run_cli("status", "--json")
    assert done.returncode == 0
    status = json.loads(done.stdout)
    assert status["progress_file"] == str(progress_file)
    assert status["completed_modules"] == ["00_setup", "01_tensor", "02_autograd", "03_nn"]
    assert [(m["id"], m["status"]) for m in status["milestones"]] == [
        ("perceptron", "unlocked"), ("xor", "unlocked"), ("mlp_digits", "locked"), ("cnn", "locked"), ("transformer", "locked"),
    ]
    assert status["milestones"][2]["missing"] == ["04_training"]
    assert status["next"]["id"] == "perceptron"


def test_status_text_is_the_detailed_status_view_the_magic_shows(progress_file, capsys) -> None:
    from tinytorch_milestones.frontends.views.milestones_view import MilestonesView

    cli.main(["complete", "0", "1"])
    capsys.readouterr()
    assert cli.main(["status"]) == 0
    out = capsys.readouterr().out
    assert out == MilestonesView("status", live=False).to_text() + "\n"
    assert f"Progress file: {progress_file}\nCompleted modules: 00_setup, 01_tensor\n" in out
    assert "1957 - The Perceptron           Locked     2/3 modules  needs 02_autograd\n" in out
    assert "    First learning algorithm with automatic weight updates\n" in out


def _arguments(parser: argparse.ArgumentParser) -> dict[tuple[str, ...], tuple[object, ...]]:
    return {tuple(action.option_strings) or (action.dest,): (action.help, action.nargs, action.metavar, action.default)
            for action in parser._actions if action.dest not in ("help", "progress_file", "course", "debug")}


def test_the_cli_and_the_magic_are_built_from_one_definition_of_each_command() -> None:
    from tinytorch_milestones.frontends.commands import COMMANDS
    from tinytorch_milestones.frontends.ipython.commands import magic_parser

    parser = cli.build_parser()
    assert parser.description == messages.CLI_DESCRIPTION
    assert list(COMMANDS) == list(messages.COMMAND_HELP)
    commands = cli._parsers_of(parser).commands
    texts = {value for value in vars(messages).values() if isinstance(value, str)}
    for name in COMMANDS:
        sub = commands.parser_for(name)
        magic = magic_parser(COMMANDS[name])
        assert sub.description == magic.description == messages.COMMAND_HELP[name]
        assert _arguments(sub) == _arguments(magic), name
        if name in ("class", "grade"):
            continue  # their wording is the classroom service's (checked in tests/classroom)
        assert all(action.help in texts for action in sub._actions if action.help and action.dest != "help")


def test_importing_the_cli_and_printing_status_text_stays_lean() -> None:
    heavy = ("IPython", "ipywidgets", "nbformat", "pytest", "rich", "ipykernel")
    assert modules_loaded_by_the_cli(["status"], heavy) == ([], [])


def test_progress_file_option_before_or_after_the_command(tmp_path, progress_file) -> None:
    elsewhere = tmp_path / "p.json"
    assert run_cli("--progress-file", str(elsewhere), "complete", "01").returncode == 0
    assert run_cli("complete", "02", "--progress-file", str(elsewhere)).returncode == 0
    assert read_json(elsewhere)["completed_modules"] == ["01_tensor", "02_autograd"]
    assert not progress_file.exists()


def test_reset_asks_and_refuses_without_a_terminal(progress_file) -> None:
    run_cli("complete", "01")
    refused = run_cli("reset", input_text="")
    assert refused.returncode == 2
    assert "pass --yes" in refused.stderr
    assert read_json(progress_file)["completed_modules"] == ["01_tensor"]
    done = run_cli("reset", "--yes")
    assert done.returncode == 0
    assert "the previous progress is kept at" in done.stdout
    assert read_json(progress_file)["completed_modules"] == []
    assert len(list(progress_file.parent.glob("progress.json.reset-*"))) == 1


def test_reset_prompt_answer_no_keeps_progress(progress_file, monkeypatch, capsys) -> None:
    cli.main(["complete", "01"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert cli.main(["reset"]) == 0
    assert "Reset cancelled; nothing changed." in capsys.readouterr().out
    assert read_json(progress_file)["completed_modules"] == ["01_tensor"]


def test_tito_can_mount_the_parser_as_its_milestones_subcommand(progress_file, capsys) -> None:
    tito = argparse.ArgumentParser(prog="tito")
    commands = tito.add_subparsers(dest="command")
    cli.build_parser(commands.add_parser("milestones", help="milestone progress"))
    commands.add_parser("module")

    args = tito.parse_args(["milestones", "complete", "00", "01", "02"])
    assert args.command == "milestones"
    assert cli.run(args) == 0
    assert "unlocked: perceptron" in capsys.readouterr().out

    args = tito.parse_args(["milestones", "status", "--json"])
    assert cli.run(args) == 0
    assert json.loads(capsys.readouterr().out)["milestones"][0]["status"] == "unlocked"


def test_help_under_titos_mount_leaves_titos_command_name_alone(progress_file, capsys) -> None:
    tito = argparse.ArgumentParser(prog="tito")
    commands = tito.add_subparsers(dest="command")  # tito dispatches on args.command
    cli.build_parser(commands.add_parser("milestones", help="milestone progress"))
    commands.add_parser("module")
    commands.add_parser("export")

    shown_for = {}
    for topic in ([], ["module"], ["export"]):
        args = tito.parse_args(["milestones", "help", *topic])
        assert args.command == "milestones"  # so tito runs milestones, not its own module or export
        shown_for[tuple(topic)] = (cli.run(args), capsys.readouterr())
    assert shown_for[()][0] == 0 and "import-tito" in shown_for[()][1].out
    assert shown_for[("module",)][0] == 2 and "unknown command 'module'" in shown_for[("module",)][1].err
    assert shown_for[("export",)][0] == 0 and "NOTEBOOK" in shown_for[("export",)][1].out

def test_no_command_shows_progress() -> None:
    done = run_cli()
    assert done.returncode == 0
    assert "🎯 TinyTorch Milestone Progress" in done.stdout


def test_importing_the_core_stays_lean() -> None:
    heavy = ("IPython", "ipywidgets", "nbformat", "pytest", "rich", "jsonschema", "ipykernel")
    code = (
        "import sys, tinytorch_milestones, milestone_tracker\n"
        "from tinytorch_milestones import check_module_export\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_end_of_input_at_the_reset_prompt_cancels(progress_file, monkeypatch, capsys) -> None:
    cli.main(["complete", "01"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)

    def end_of_input(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", end_of_input)
    assert cli.main(["reset"]) == 0
    assert "Reset cancelled; nothing changed." in capsys.readouterr().out
    assert read_json(progress_file)["completed_modules"] == ["01_tensor"]


def _wait_until_blocked(pid: int, deadline: float) -> None:
    """Wait until the process sleeps (in its read of the answer), where Linux shows it.

    A SIGINT that lands between the prompt's write and the read is noted by Python but wakes no
    read: CPython would wait for a key press, as after a Ctrl+C typed that early at any prompt.
    """
    import time
    from pathlib import Path

    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        pytest.skip("needs Linux's /proc to see when the prompt is reading")
    while time.monotonic() < deadline:
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "S":
            return
        time.sleep(0.01)
    pytest.fail("the reset prompt never started reading its answer")


def test_ctrl_c_at_the_reset_prompt_is_one_line_and_exit_130(progress_file) -> None:
    import os
    import pty
    import select
    import signal
    import time

    run_cli("complete", "01")
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tinytorch_milestones", "reset"],
                            stdin=terminal, stdout=terminal, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as from a shell prompt
    os.close(terminal)
    prompt = b""
    deadline = time.monotonic() + 30
    while b"[y/N]" not in prompt and time.monotonic() < deadline:
        if select.select([proc.stderr], [], [], 0.5)[0]:
            prompt += os.read(proc.stderr.fileno(), 1024)
    _wait_until_blocked(proc.pid, deadline)
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=30)
    os.close(controller)
    assert proc.returncode == 130
    assert (prompt + rest).decode().endswith("? [y/N] Interrupted; nothing more was changed.\n")
    assert read_json(progress_file)["completed_modules"] == ["01_tensor"]


@pytest.mark.parametrize("line, prog, problem", [
    (["nope"], "tinytorch-milestones", "unknown command 'nope'"),
    (["progress", "-x"], "tinytorch-milestones", "unrecognized arguments: -x"),
    (["complete"], "tinytorch-milestones complete", "the following arguments are required: MODULE"),
    (["--progress-file"], "tinytorch-milestones", "argument --progress-file: expected one argument"),
])
def test_a_command_line_argparse_refuses_is_one_line(line: list[str], prog: str, problem: str) -> None:
    done = run_cli(*line)
    assert done.returncode == 2 and done.stdout == ""
    [error] = done.stderr.strip().splitlines()
    assert error.startswith(f"{prog}: error: {problem}") and error.endswith(f"(see {prog} --help)")


def test_an_output_that_cannot_show_emoji_still_gets_the_whole_answer(progress_file, monkeypatch) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    done = run_cli("complete", "00", "01", "02")
    assert done.returncode == 0, done.stderr
    assert "Recorded 02_autograd as complete; unlocked: perceptron." in done.stdout
    assert "? MILESTONE UNLOCKED!" in done.stdout
    assert read_json(progress_file)["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
