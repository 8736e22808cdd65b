"""Properties, for any input hypothesis finds: the store's load/save round trip (also for damaged and
cut-off files), module-name normalisation, and the unlock rule."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from tinytorch_milestones.core import registry, store as store_module
from tinytorch_milestones.core.errors import ModuleNameError
from tinytorch_milestones.core.store import LIST_KEYS, ProgressStore
from tinytorch_milestones.core.tracker import MilestoneTracker, milestone_status

KNOWN_KEYS = {*LIST_KEYS, "schema_version", "timestamps", "verifications"}
JSON_LEAVES = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=20)
UNKNOWN = st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda key: key not in KNOWN_KEYS), JSON_VALUES, max_size=5)
NAMES = st.lists(st.sampled_from(registry.module_names()) | st.from_regex(r"[0-9]{2}_[a-z]{1,8}", fullmatch=True), max_size=8)


def quiet_store(folder: str) -> ProgressStore:
    return ProgressStore(Path(folder) / "progress.json", notify=lambda text: None)


@settings(max_examples=30, deadline=None)
@given(unknown=UNKNOWN, modules=NAMES, milestones=st.lists(st.sampled_from(registry.milestone_ids()), unique=True))
def test_load_then_save_keeps_every_known_and_unknown_value(unknown, modules, milestones) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = quiet_store(folder)
        document = {**unknown, "completed_modules": modules, "unlocked_milestones": milestones, "completed_milestones": []}
        store.path.write_text(json.dumps(document), encoding="utf-8")

        state = store.load()
        assert store.problem is None
        assert {key: state[key] for key in unknown} == unknown
        assert state["completed_modules"] == list(dict.fromkeys(modules))

        store.update(lambda state: state.setdefault("added", []).append(1))
        saved = json.loads(store.path.read_text(encoding="utf-8"))
        assert {key: saved[key] for key in unknown} == unknown
        assert saved["completed_modules"] == state["completed_modules"]
        assert saved["unlocked_milestones"] == milestones
        assert saved["added"] == [1]
        assert store.load() == {**state, "added": [1]}


def _check_survives(data: bytes) -> None:
    """Loading `data` never raises, gives a usable document, keeps damaged bytes, and the next write is valid JSON."""
    with tempfile.TemporaryDirectory() as folder:
        store = quiet_store(folder)
        store.path.write_bytes(data)
        state = store.load()
        for key in LIST_KEYS:
            assert isinstance(state[key], list) and all(isinstance(name, str) for name in state[key])
        kept = [path.read_bytes() for path in store.path.parent.glob("progress.json.corrupt-*")]
        assert kept == ([data] if store.problem else [])
        if store.newer_schema is None:
            store.update(lambda state: state["completed_modules"].append("00_setup"))
            saved = json.loads(store.path.read_text(encoding="utf-8"))
            assert "00_setup" in saved["completed_modules"]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_load_without_raising_and_damage_is_kept(data: bytes) -> None:
    _check_survives(data)


@settings(max_examples=50, deadline=None)
@given(unknown=UNKNOWN, modules=NAMES, cut=st.floats(0, 1), noise=st.binary(max_size=3))
def test_a_file_cut_off_or_with_bytes_spliced_in_loads_without_raising(unknown, modules, cut: float, noise: bytes) -> None:
    whole = json.dumps({**unknown, "completed_modules": modules}, indent=2, ensure_ascii=False).encode()
    at = int(len(whole) * cut)
    _check_survives(whole[:at])
    _check_survives(whole[:at] + noise + whole[at:])


# --- names -------------------------------------------------------------------------------------

MODULES = registry.course_modules()


@given(module=st.sampled_from(MODULES), zeros=st.integers(0, 3), upper=st.booleans(), form=st.sampled_from(["full", "short", "number", "pair"]))
def test_every_form_of_a_module_name_normalises_to_its_full_name(module, zeros: int, upper: bool, form: str) -> None:
    number = "0" * zeros + str(module.number)
    typed = {"full": module.full_name, "short": module.short_name, "number": number,
             "pair": f"{number}_{module.short_name}"}[form]
    typed = typed.upper() if upper else typed
    assert registry.normalize_module_name(typed) == module.full_name
    assert registry.normalize_module_name(f"  {typed}\t") == module.full_name


@given(st.text(max_size=40))
def test_any_text_normalises_to_a_catalog_name_or_raises_module_name_error(text: str) -> None:
    try:
        name = registry.normalize_module_name(text)
    except ModuleNameError as error:
        assert "\n" not in str(error)
    else:
        assert name in registry.module_names()
        assert registry.normalize_module_name(name) == name


# --- the unlock rule -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(registry.module_names()), unique=True).flatmap(st.permutations))
def test_a_milestone_unlocks_exactly_when_all_its_modules_are_complete_in_any_order(done: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tracker = MilestoneTracker(Path(folder) / "progress.json")
        announced: list[str] = []
        for module in done:
            announced += tracker.mark_module_complete(module)["newly_unlocked"]
        state = tracker.progress
        expected = [m.id for m in registry.milestones() if set(m.requires) <= set(done)]
        assert sorted(announced) == sorted(expected)
        assert sorted(state["unlocked_milestones"]) == sorted(expected)
        for milestone in registry.milestones():
            assert (milestone_status(state, milestone) == "unlocked") == (milestone.id in expected)
            assert tracker.can_run_milestone(milestone.id) == (milestone.id in expected)


@settings(max_examples=40, deadline=None)
@given(unknown=UNKNOWN, modules=NAMES, milestones=st.lists(st.sampled_from(registry.milestone_ids()), unique=True),
       added=NAMES)
def test_what_a_process_keeps_after_its_write_is_what_a_fresh_read_gives(unknown, modules, milestones, added) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = quiet_store(folder)
        document = {**unknown, "completed_modules": modules, "unlocked_milestones": milestones, "completed_milestones": []}
        store.path.write_text(json.dumps(document), encoding="utf-8")
        tracker = MilestoneTracker(store.path)
        for name in added:
            if name in registry.module_names():
                tracker.mark_module_complete(name)
        tracker.record_verification(registry.milestone_ids()[0], {"passed": False, "metrics": {"loss": 0.5}})
        kept = store.load()
        store_module._clean_read = None  # as a new process would: parse the file's bytes
        assert store.load() == kept
