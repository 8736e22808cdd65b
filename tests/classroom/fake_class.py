"""A fake class of 50 students, built from copies of the reference `tinytorch/` package.

Each student's folder is a submission (their `tinytorch/` and maybe a progress file). The kinds:
complete, partial, damaged progress files, hand-edited claims with broken code, code that
misbehaves (hangs, crashes, forks, prints 50 MB, allocates 4 GiB), no progress file, no package.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from tinytorch_milestones.core.registry import milestone_ids, module_names

MODULES = module_names()
MILESTONES = milestone_ids()
PERCEPTRON_MODULES = ["00_setup", "01_tensor", "02_autograd"]

# Appended to tinytorch/core/autograd.py, which the perceptron's verification imports.
SABOTAGE = {
    "cheater": "\nSGD.step = lambda self: None  # hand-edited: the optimizer never updates\n",
    "hang": "\nimport time as _time\n_time.sleep(3600)\n",
    "hang_ignoring_term": "\nimport signal as _signal, time as _time\n_signal.signal(_signal.SIGTERM, _signal.SIG_IGN)\n_time.sleep(3600)\n",
    "crash": "\nimport os as _os\n_os.abort()\n",
    "fork": "\nimport os as _os, time as _time\nfor _ in range(4):\n    _os.fork()\n_time.sleep(3600)\n",
    "print50mb": "\nfor _ in range(50):\n    print('y' * 1_000_000)\n",
    "hog": "\nimport numpy as _np\n_HOG = _np.ones((4096, 1024, 1024), dtype=_np.uint8)\n",
}

DAMAGED_FILES: dict[str, bytes] = {
    "truncated": b'{"completed_modules": ["00_setup", "01_tens',
    "not_utf8": b'{"completed_modules": ["\xff\xfe"]}',
    "a_list": b'["perceptron"]',
    "foreign": b'{"name": "my notes", "grade": "A+"}',
    "empty": b"",
    "bad_field": json.dumps({"completed_modules": "all of them", "completed_milestones": ["perceptron"]}).encode(),
    "null": b"null",
    "binary": bytes(range(256)),
}


@dataclass(frozen=True)
class Student:
    name: str
    kind: str
    folder: Path
    progress_file: Path | None
    claims_perceptron: bool


def progress_document(modules: list[str], completed: list[str]) -> dict:
    """A progress file as the tracker writes one (API.md's three keys, timestamps, one verification)."""
    unlocked = [m for m in MILESTONES if m in completed or m == "perceptron" and set(PERCEPTRON_MODULES) <= set(modules)]
    return {
        "completed_modules": modules,
        "unlocked_milestones": unlocked,
        "completed_milestones": completed,
        "schema_version": 2,
        "timestamps": {"modules": {m: "2026-11-30T10:00:00+00:00" for m in modules},
                       "unlocked": {m: "2026-11-30T11:00:00+00:00" for m in unlocked},
                       "completed": {m: "2026-12-01T09:30:00+00:00" for m in completed}},
        "verifications": {m: [{"time": "2026-12-01T09:30:00+00:00", "outcome": "passed"}] for m in completed},
    }


def _student(root: Path, reference: Path, name: str, kind: str, *, package: bool = True,
             progress: bytes | None = None, hidden: bool = False, sabotage: str | None = None,
             claims: bool = False) -> Student:
    folder = root / name
    folder.mkdir()
    if package:
        shutil.copytree(reference, folder / "tinytorch", ignore=shutil.ignore_patterns("__pycache__"))
    if sabotage:
        with (folder / "tinytorch" / "core" / "autograd.py").open("a") as stream:
            stream.write(SABOTAGE[sabotage])
    file = None
    if progress is not None:
        file = folder / ".tinytorch" / "progress.json" if hidden else folder / "progress.json"
        file.parent.mkdir(exist_ok=True)
        file.write_bytes(progress)
    return Student(name, kind, folder, file, claims)


def _json(document: dict) -> bytes:
    return json.dumps(document, indent=2).encode()


def build_class(root: Path, reference: Path) -> list[Student]:
    """Fifty submissions under `root`; `reference` is the reference `tinytorch/` folder."""
    students = []
    everything = _json(progress_document(MODULES, MILESTONES))
    for index in range(14):
        students.append(_student(root, reference, f"complete{index:02d}", "complete", progress=everything,
                                 hidden=index % 2 == 0, claims=True))
    partial = _json(progress_document(PERCEPTRON_MODULES, ["perceptron"]))
    for index in range(12):
        students.append(_student(root, reference, f"partial{index:02d}", "partial", progress=partial,
                                 hidden=index % 2 == 1, claims=True))
    for label, data in DAMAGED_FILES.items():
        students.append(_student(root, reference, f"damaged_{label}", "damaged", progress=data, hidden=True))
    for index in range(8):
        students.append(_student(root, reference, f"cheater{index:02d}", "cheater", progress=everything,
                                 sabotage="cheater", claims=True))
    for label in ("hang", "crash", "fork", "print50mb", "hog"):
        students.append(_student(root, reference, f"misbehaves_{label}", label, progress=partial,
                                 sabotage=label, claims=True))
    for index in range(2):
        students.append(_student(root, reference, f"silent{index:02d}", "no_progress"))
    students.append(_student(root, reference, "nopackage", "no_package", package=False, progress=everything, claims=True))
    assert len(students) == 50
    return students
