"""The store keeps every readable byte: stray bytes, deep nesting, newer versions, editors' files,
typed names, symbolic links, and lock or OS errors (each of these once lost progress or crashed)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tinytorch_milestones import MilestoneTracker, ProgressFileError, check_module_export
from tinytorch_milestones.core import store

from .conftest import read_json, run_cli


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def backups(progress_file: Path) -> list[Path]:
    return sorted(progress_file.parent.glob("progress.json.corrupt-*"))


# --- a stray byte costs at most the value it sits in -------------------------------------------


def test_a_non_utf8_byte_costs_only_the_value_it_sits_in(progress_file: Path, capsys) -> None:
    content = (b'{"completed_modules": ["00_setup", "01_tensor", "02_auto\xffgrad"], '
               b'"tito": {"theme": "dark", "font": "b\xe9ta"}, "unlocked_milestones": []}')
    write_bytes(progress_file, content)

    status = MilestoneTracker().status()
    check_module_export("03_nn")

    assert status["completed_modules"] == ["00_setup", "01_tensor"]
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "not UTF-8 text at byte 56; the 2 value(s) holding such bytes were left out" in line
    assert [backup.read_bytes() for backup in backups(progress_file)] == [content]
    saved = read_json(progress_file)
    assert saved["completed_modules"] == ["00_setup", "01_tensor", "03_nn"]
    assert saved["tito"] == {"theme": "dark"}


def test_an_escaped_lone_surrogate_is_left_out_and_writes_still_work(progress_file: Path) -> None:
    write_bytes(progress_file, b'{"completed_modules": ["00_setup", "\\udc80x"], "note": "\\ud800"}')
    check_module_export("01")
    saved = read_json(progress_file)
    assert saved["completed_modules"] == ["00_setup", "01_tensor"]
    assert "note" not in saved


# --- deep nesting and anything else the parser can't take: kept and reported, never a traceback ---


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("content", [
    '{"completed_modules": ["01_tensor"], "deep": ' + nested(1000) + "}",
    nested(100_000),
    '{"completed_modules": ["01_tensor"], "huge": ' + "9" * 5000 + "}",
])
def test_a_file_the_parser_cannot_take_is_damage_not_a_traceback(progress_file: Path, content: str) -> None:
    write_bytes(progress_file, content.encode())
    for command in (["progress"], ["status", "--json"], ["complete", "00"]):
        done = run_cli(*command)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert [backup.read_bytes() for backup in backups(progress_file)] == [content.encode()]
    assert "00_setup" in read_json(progress_file)["completed_modules"]


def test_deep_nesting_costs_only_the_deep_value(progress_file: Path, capsys) -> None:
    write_bytes(progress_file, ('{"completed_modules": ["01_tensor"], "tito": {"ok": 1, "deep": ' + nested(300) + "}}").encode())
    check_module_export("00")
    assert "nested more than 100 levels deep" in capsys.readouterr().err
    saved = read_json(progress_file)
    assert saved["completed_modules"] == ["01_tensor", "00_setup"]
    assert saved["tito"]["ok"] == 1


# --- a file from a newer version: read, never rewritten --------------------------------------------

NEWER = {"schema_version": 99, "completed_modules": ["00_setup", "01_tensor"], "unlocked_milestones": [],
         "completed_milestones": [], "hyperspace": {"kept": True}, "timestamps": "a new shape"}


def test_a_newer_file_is_read_but_never_rewritten(progress_file: Path) -> None:
    write_bytes(progress_file, json.dumps(NEWER).encode())
    before = progress_file.read_bytes()

    assert MilestoneTracker().status()["completed_modules"] == ["00_setup", "01_tensor"]
    assert check_module_export("01_tensor") == {"newly_unlocked": [], "messages": []}
    with pytest.raises(ProgressFileError) as refusal:
        check_module_export("02")
    with pytest.raises(ProgressFileError):
        MilestoneTracker().reset()
    done = run_cli("complete", "02")

    assert str(refusal.value) == (
        f"progress file {progress_file} was written by a newer version of tinytorch-milestones (schema_version 99; "
        "this version writes 2): upgrade tinytorch-milestones to change it; nothing was changed")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "upgrade tinytorch-milestones" in done.stderr
    assert progress_file.read_bytes() == before
    assert backups(progress_file) == []


# --- what editors and the original tracker wrote ---------------------------------------------------


def test_a_bom_and_crlf_file_is_read_as_python_reads_it(progress_file: Path, capsys) -> None:
    text = json.dumps({"completed_modules": ["00_setup", "01_tensor"]}, indent=2).replace("\n", "\r\n")
    write_bytes(progress_file, b"\xef\xbb\xbf" + text.encode())
    check_module_export("02")
    assert capsys.readouterr().err == ""
    assert read_json(progress_file)["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    assert backups(progress_file) == []


def test_typed_names_are_normalised_on_load_and_unknown_ones_kept(progress_file: Path) -> None:
    write_bytes(progress_file, json.dumps({
        "completed_modules": ["00_setup", "tensor", "02", "01_tensor", "my_own_module"],
        "unlocked_milestones": [], "completed_milestones": [],
        "timestamps": {"modules": {"tensor": "2024-01-01T00:00:00+00:00"}, "unlocked": {}, "completed": {}},
    }).encode())
    status = MilestoneTracker().status()
    assert status["completed_modules"] == ["00_setup", "01_tensor", "02_autograd", "my_own_module"]
    assert status["milestones"][0]["status"] == "unlocked"
    check_module_export("03")
    saved = read_json(progress_file)
    assert saved["completed_modules"] == ["00_setup", "01_tensor", "02_autograd", "my_own_module", "03_nn"]
    assert saved["timestamps"]["modules"]["01_tensor"] == "2024-01-01T00:00:00+00:00"


# --- a write keeps what the user's path is --------------------------------------------------------


def test_a_symlinked_progress_file_stays_a_link_and_keeps_its_permissions(progress_file: Path, tmp_path: Path) -> None:
    real = tmp_path / "synced" / "progress.json"
    write_bytes(real, json.dumps({"completed_modules": ["00_setup"]}).encode())
    real.chmod(0o640)
    progress_file.parent.mkdir(parents=True)
    progress_file.symlink_to(real)

    check_module_export("01")
    MilestoneTracker().record_verification("perceptron", {"outcome": "failed"})

    assert progress_file.is_symlink() and progress_file.resolve() == real
    assert read_json(real)["completed_modules"] == ["00_setup", "01_tensor"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["progress.json", "progress.json.lock"]


# --- lock and OS errors: one line naming the file, the reason and a way out; nothing lost; reads work ---

AS_ANOTHER_USER = textwrap.dedent("""
    import os, sys
    from tinytorch_milestones import MilestoneTracker, ProgressFileError, check_module_export
    MilestoneTracker(sys.argv[2]).mark_module_complete("00")   # imports everything while we still can
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)
    print(MilestoneTracker().status()["completed_modules"])
    try:
        check_module_export(sys.argv[1])
    except ProgressFileError as error:
        print(error)
""")


@pytest.fixture
def shared_folder(monkeypatch: pytest.MonkeyPatch):
    """A folder any user can enter, as TINYTORCH_HOME, and a place for the other user's script to warm up."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        root.chmod(0o755)
        home = root / "home"
        home.mkdir()
        monkeypatch.setenv("TINYTORCH_HOME", str(home))
        yield root


def run_as_another_user(root: Path, module: str) -> list[str]:
    script = root / "other_user.py"
    script.write_text(AS_ANOTHER_USER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), module, str(root / "warm" / "p.json")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_lock_file_owned_by_another_user_is_one_line_and_reads_keep_working(shared_folder: Path) -> None:
    home = shared_folder / "home"
    home.chmod(0o777)
    progress_file = home / "progress.json"
    progress_file.write_text(json.dumps({"completed_modules": ["00_setup"]}))
    progress_file.chmod(0o666)
    lock = home / "progress.json.lock"
    lock.touch()
    lock.chmod(0o600)
    if os.geteuid() != 0:
        pytest.skip("needs root to play the owner of the lock file")
    before = progress_file.read_bytes()

    read, refusal = run_as_another_user(shared_folder, "01")

    assert read == "['00_setup']"
    assert refusal == (f"cannot lock progress file {progress_file} (lock {lock}): Permission denied; nothing was changed "
                       "(to keep progress elsewhere, set TINYTORCH_HOME to a folder on a local disk you can write to)")
    assert progress_file.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_folder_is_one_line_and_reads_keep_working(shared_folder: Path) -> None:
    home = shared_folder / "home"
    progress_file = home / "progress.json"
    progress_file.write_text(json.dumps({"completed_modules": ["00_setup"]}))
    home.chmod(0o555)
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to a user the folder is read-only for") if os.access(home, os.W_OK) else None

    read, refusal = run_as_another_user(shared_folder, "01")

    assert read == "['00_setup']"
    assert refusal.startswith(f"cannot lock progress file {progress_file}")
    assert "Permission denied" in refusal and "set TINYTORCH_HOME" in refusal
    assert read_json(progress_file) == {"completed_modules": ["00_setup"]}


def test_a_lock_path_the_os_refuses_is_one_line_in_the_cli(progress_file: Path) -> None:
    write_bytes(progress_file, json.dumps({"completed_modules": ["00_setup"]}).encode())
    (progress_file.parent / "progress.json.lock").mkdir()
    done = run_cli("complete", "01")
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert f"cannot lock progress file {progress_file}" in line and "set TINYTORCH_HOME" in line
    assert run_cli("progress").returncode == 0
    assert read_json(progress_file) == {"completed_modules": ["00_setup"]}


PRECIOUS = "a file of the user's\n"


@pytest.fixture
def planted(progress_file: Path, tmp_path: Path) -> Callable[[str, str], Path]:
    """A progress file holding 00_setup, and a function that puts beside it, under a name, a "link" to
    `tmp_path/precious.txt` (a file of the user's), a "pipe", a "folder" holding a file "inside", or a
    half-written "file"; it returns the planted path."""
    write_bytes(progress_file, json.dumps({"completed_modules": ["00_setup"]}).encode())
    precious = tmp_path / "precious.txt"
    precious.write_text(PRECIOUS)

    def plant(name: str, kind: str) -> Path:
        path = progress_file.parent / name
        if kind == "link":
            path.symlink_to(precious)
        elif kind == "pipe":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
            (path / "inside").write_text("kept\n")
        else:
            path.write_text('{"half": ')  # a writer died mid-write
        return path

    return plant


@pytest.mark.parametrize("kind", ["link", "pipe", "folder"])
def test_a_lock_path_that_is_not_a_regular_file_is_refused_and_left_alone(planted, progress_file: Path, tmp_path: Path,
                                                                        kind: str) -> None:
    lock = planted("progress.json.lock", kind)
    with pytest.raises(ProgressFileError) as refused:
        check_module_export("01")
    assert str(refused.value) == (
        f"cannot lock progress file {progress_file} (lock {lock}): it is not a regular file (a symbolic link, a pipe, "
        "a device or a folder), so remove it; nothing was changed "
        "(to keep progress elsewhere, set TINYTORCH_HOME to a folder on a local disk you can write to)")
    assert (tmp_path / "precious.txt").read_text() == PRECIOUS
    assert read_json(progress_file) == {"completed_modules": ["00_setup"]}


FULL_DISK = textwrap.dedent("""
    import resource, signal
    from tinytorch_milestones import MilestoneTracker, ProgressFileError
    tracker = MilestoneTracker()
    tracker.progress
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))
    try:
        tracker.record_verification("perceptron", {"outcome": "failed", "message": "x" * 500})
    except ProgressFileError as error:
        print(error)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_full_disk_is_one_line_and_nothing_is_lost(progress_file: Path) -> None:
    write_bytes(progress_file, json.dumps({"completed_modules": ["00_setup"]}).encode())
    before = progress_file.read_bytes()
    done = subprocess.run([sys.executable, "-c", FULL_DISK], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.strip() == (f"cannot write progress file {progress_file}: File too large; nothing was changed "
                                   "(to keep progress elsewhere, set TINYTORCH_HOME to a folder on a local disk you can write to)")
    assert progress_file.read_bytes() == before
    assert sorted(p.name for p in progress_file.parent.iterdir()) == ["progress.json", "progress.json.lock"]


HOLD_LOCK = {
    "zc.lockfile": "from zc.lockfile import LockFile\nheld = LockFile(sys.argv[1])",
    # filelock's UnixFileLock, which earlier versions of this store used, takes the same flock
    "flock, as earlier versions took it": ("import fcntl, os\nfd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
                                           "fcntl.flock(fd, fcntl.LOCK_EX)"),
}


@pytest.mark.parametrize("holder_code", list(HOLD_LOCK.values()), ids=list(HOLD_LOCK))
def test_a_lock_held_too_long_is_one_line(progress_file: Path, monkeypatch: pytest.MonkeyPatch, holder_code: str) -> None:
    write_bytes(progress_file, json.dumps({"completed_modules": ["00_setup"]}).encode())
    code = f"import sys, time\n{holder_code}\nprint('held', flush=True)\ntime.sleep(30)\n"
    holder = subprocess.Popen([sys.executable, "-c", code, str(progress_file) + ".lock"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.5)
        with pytest.raises(ProgressFileError, match=r"stayed locked by another process for 0.5 s; nothing was changed"):
            check_module_export("01")
        assert MilestoneTracker().status()["completed_modules"] == ["00_setup"]
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_released_while_waiting_is_taken(progress_file: Path) -> None:
    write_bytes(progress_file, json.dumps({"completed_modules": ["00_setup"]}).encode())
    code = ("import sys, time\nfrom zc.lockfile import LockFile\nheld = LockFile(sys.argv[1])\n"
            "print('held', flush=True)\ntime.sleep(0.5)\nprint(open(sys.argv[2]).read(), flush=True)\nheld.close()\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(progress_file) + ".lock", str(progress_file)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert check_module_export("01") == {"newly_unlocked": [], "messages": []}
        seen_while_held = json.loads(holder.stdout.read())
        assert seen_while_held["completed_modules"] == ["00_setup"]  # nothing was written while the lock was held
        assert MilestoneTracker().status()["completed_modules"] == ["00_setup", "01_tensor"]
    finally:
        holder.kill()
        holder.wait()


def test_reading_and_a_repeated_export_never_import_the_lock_library(progress_file: Path) -> None:
    check_module_export("01")
    code = ("import sys\nfrom tinytorch_milestones import MilestoneTracker, check_module_export\n"
            "MilestoneTracker().status()\ncheck_module_export('01')\nprint('zc.lockfile' in sys.modules)\n"
            "check_module_export('02')\nprint('zc.lockfile' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "True"], done.stderr


@pytest.mark.parametrize("kind", ["fifo", "device link", "folder"])
def test_anything_but_a_regular_file_is_refused_and_never_replaced(tmp_path: Path, kind: str) -> None:
    """`--progress-file /dev/null` (or a link to a device, a pipe, a folder) is one line, exit 2; nothing is replaced."""
    path = tmp_path / "progress.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device link":
        path.symlink_to(os.devnull)
    else:
        path.mkdir()
    for args in (["complete", "01"], ["progress"], ["reset", "--yes"]):
        done = run_cli("--progress-file", str(path), *args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and "not a regular file" in done.stderr
    assert os.path.exists(os.devnull) and not Path(os.devnull).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]


@pytest.mark.parametrize("version", ['"99"', "1e400", "2.5", "true"])
def test_a_schema_version_this_version_cannot_read_is_never_rewritten(progress_file: Path, version: str) -> None:
    write_bytes(progress_file, f'{{"completed_modules": ["00_setup"], "schema_version": {version}}}'.encode())
    before = progress_file.read_bytes()
    done = run_cli("complete", "01")
    assert done.returncode == 2 and "written by a newer version" in done.stderr
    assert MilestoneTracker().status()["completed_modules"] == ["00_setup"]
    assert progress_file.read_bytes() == before


@pytest.mark.parametrize("leftover", ["file", "folder", "link"])
def test_whatever_sits_at_the_temporary_name_a_write_goes_on_and_leaves_it_be(planted, progress_file: Path,
                                                                            tmp_path: Path, leftover: str) -> None:
    temporary = planted(".progress.json.tmp", leftover)

    check_module_export("01")
    check_module_export("02")

    assert read_json(progress_file)["completed_modules"] == ["00_setup", "01_tensor", "02_autograd"]
    assert (tmp_path / "precious.txt").read_text() == PRECIOUS
    left = sorted(path.name for path in progress_file.parent.iterdir())
    if leftover == "folder":
        assert (temporary / "inside").read_text() == "kept\n"
        assert left == [".progress.json.tmp", "progress.json", "progress.json.lock"]
    else:
        assert left == ["progress.json", "progress.json.lock"]


@pytest.mark.parametrize("kind", ["loop of links", "file as folder"])
def test_reset_of_a_path_that_cannot_be_a_file_is_one_line(tmp_path: Path, kind: str) -> None:
    if kind == "loop of links":
        path = tmp_path / "progress.json"
        path.symlink_to(path)
    else:
        (tmp_path / "file").write_text("x\n")
        path = tmp_path / "file" / "progress.json"
    done = run_cli("--progress-file", str(path), "reset", "--yes")
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"tinytorch-milestones: error: cannot read progress file {path}")


def test_a_file_system_without_locks_is_one_line_and_nothing_is_lost(progress_file: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """NFS without a lock daemon answers flock with ENOLCK (FACTS.md); no such file system is at hand, so
    the OS's answer is given here, at the one call that meets it."""
    import errno
    import fcntl

    write_bytes(progress_file, json.dumps({"completed_modules": ["00_setup"]}).encode())

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(ProgressFileError) as refused:
        check_module_export("01")
    lock = progress_file.parent / "progress.json.lock"
    assert str(refused.value).startswith(f"cannot lock progress file {progress_file} (lock {lock}): No locks available;")
    assert MilestoneTracker().status()["completed_modules"] == ["00_setup"]
