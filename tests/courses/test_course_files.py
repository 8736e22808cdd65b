"""The shipped course files: classic is exactly API.md's milestones; tinytorch is COURSES.md's current course."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tinytorch_milestones.core.courses import SHIPPED_COURSES, load_course_file
from tinytorch_milestones.core.errors import CourseError
from tinytorch_milestones.services.verify.target import SHIPPED_TESTS

# API.md's MILESTONES, as the original tracker and this package defined them before courses were data.
API_MD_MILESTONES = {
    "perceptron": {
        "name": "1957 - The Perceptron",
        "requires": ["00_setup", "01_tensor", "02_autograd"],
        "test": "test_perceptron_learning",
        "description": "First learning algorithm with automatic weight updates",
        "unlock_message": "🎉 You can now verify that gradient descent actually works!",
    },
    "xor": {
        "name": "1986 - Backpropagation (XOR)",
        "requires": ["00_setup", "01_tensor", "02_autograd", "03_nn"],
        "test": "test_xor_learning",
        "description": "Solving non-linear problems with hidden layers",
        "unlock_message": "🎉 You can now solve the problem that stumped neural networks for decades!",
    },
    "mlp_digits": {
        "name": "1989 - MLP on Real Data",
        "requires": ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training"],
        "test": "test_mlp_digits_learning",
        "description": "Scaling to real-world image classification",
        "unlock_message": "🎉 You can now train networks on real datasets!",
    },
    "cnn": {
        "name": "1998 - Convolutional Networks",
        "requires": ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training", "07_spatial"],
        "test": "test_cnn_learning",
        "description": "Preserving spatial structure in images",
        "unlock_message": "🎉 You can now build networks that understand spatial relationships!",
    },
    "transformer": {
        "name": "2017 - Transformer (Attention)",
        "requires": ["00_setup", "01_tensor", "02_autograd", "03_nn", "04_training", "11_embeddings", "12_attention"],
        "test": "test_transformer_learning",
        "description": "Attention mechanism for sequence processing",
        "unlock_message": "🎉 You can now build the architecture that powers modern language models!",
    },
}

# COURSES.md: the current course's modules and where each exports.
CURRENT_MODULES = {
    "01_tensor": "tinytorch.core.tensor", "02_activations": "tinytorch.core.activations",
    "03_layers": "tinytorch.core.layers", "04_losses": "tinytorch.core.losses",
    "05_autograd": "tinytorch.core.autograd", "06_optimizers": "tinytorch.core.optimizers",
    "07_training": "tinytorch.core.training", "08_dataloader": "tinytorch.core.dataloader",
    "09_spatial": "tinytorch.core.spatial", "10_tokenization": "tinytorch.core.tokenization",
    "11_embeddings": "tinytorch.core.embeddings", "12_attention": "tinytorch.core.attention",
    "13_transformers": "tinytorch.core.transformer", "14_profiling": "tinytorch.perf.profiling",
    "15_quantization": "tinytorch.perf.quantization", "16_compression": "tinytorch.perf.compression",
    "17_memoization": "tinytorch.perf.memoization", "18_acceleration": "tinytorch.perf.acceleration",
    "19_benchmarking": "tinytorch.bench", "20_capstone": "tinytorch.capstone",
}
CORE = ["01_tensor", "02_activations", "03_layers", "04_losses", "05_autograd", "06_optimizers"]


def test_classic_is_exactly_api_md() -> None:
    classic = load_course_file(SHIPPED_COURSES["classic"])
    assert classic.name == "classic"
    assert classic.milestone_definitions() == API_MD_MILESTONES
    assert classic.order == list(API_MD_MILESTONES)


def test_the_current_course_has_twenty_modules_and_six_milestones() -> None:
    course = load_course_file(SHIPPED_COURSES["tinytorch"])
    assert {module.name: module.exports for module in course.modules} == CURRENT_MODULES
    assert [module.number for module in course.modules] == list(range(1, 21))
    assert course.order == ["01", "02", "03", "04", "05", "06"]
    years = [course.definitions[i]["year"] for i in course.order]
    assert years == [1957, 1969, 1986, 1998, 2017, 2018]


def test_the_current_course_requires_what_each_verification_imports() -> None:
    """COURSES.md's corrections of tito's lists (test_requires_exactly.py proves them by running)."""
    requires = {i: d["requires"] for i, d in load_course_file(SHIPPED_COURSES["tinytorch"]).definitions.items()}
    assert requires == {
        "01": CORE, "02": CORE, "03": [*CORE, "08_dataloader"], "04": [*CORE, "08_dataloader", "09_spatial"],
        "05": [*CORE, "11_embeddings", "12_attention", "13_transformers"],
        "06": [*CORE, "08_dataloader", "15_quantization", "16_compression"],
    }


def test_the_current_course_accepts_the_older_committed_places() -> None:
    contract = load_course_file(SHIPPED_COURSES["tinytorch"]).contract
    assert contract["DataLoader"].modules == ("tinytorch.core.dataloader", "tinytorch.data.loader")
    assert contract["Embedding"].modules == ("tinytorch.core.embeddings", "tinytorch.text.embeddings")
    assert contract["quantize_int8"].modules == ("tinytorch.perf.quantization", "tinytorch.optimization.quantization")
    assert contract["DataLoader"].export == "08_dataloader"


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


@pytest.mark.parametrize("name", sorted(SHIPPED_COURSES))
def test_every_shipped_milestone_names_a_test_that_exists(name: str) -> None:
    for definition in load_course_file(SHIPPED_COURSES[name]).definitions.values():
        test_file = Path(definition.get("test_file") or SHIPPED_TESTS)
        assert test_file.is_file()
        assert definition["test"] in _tests_in(test_file)


VALID = """
[course]
name = "mine"
[[modules]]
name = "01_tensor"
exports = "tinytorch.core.tensor"
[[milestones]]
id = "first"
name = "1957 - First"
requires = ["01_tensor"]
test = "test_first"
description = "d"
unlock_message = "u"
"""

BAD = {
    "not TOML": ("[course\n", "is not valid TOML"),
    "no name": (VALID.replace('name = "mine"', 'title = "x"'), "non-empty name"),
    "unknown top key": (VALID + "\n[extra]\n", "unknown key 'extra'"),
    "bad module name": (VALID.replace('name = "01_tensor"', 'name = "tensor"'), "'tensor'"),
    "bad exports": (VALID.replace('exports = "tinytorch.core.tensor"', 'exports = "tiny torch"'), "'tiny torch'"),
    "unknown required module": (VALID.replace('requires = ["01_tensor"]', 'requires = ["02_autograd"]'), "'02_autograd'"),
    "missing field": (VALID.replace('test = "test_first"\n', ""), "missing field 'test'"),
    "typo in a field": (VALID.replace("unlock_message", "unlock_mesage"), "unknown field 'unlock_mesage'"),
    "bad aliases": (VALID.replace('id = "first"', 'id = "first"\naliases = ["a b"]'), "'aliases'"),
    "bad year": (VALID.replace('id = "first"', 'id = "first"\nyear = "soon"'), "'soon'"),
    "duplicate id": (VALID + VALID[VALID.index("[[milestones]]"):], "'first' twice"),
    "shared number": (VALID.replace('[[milestones]]', '[[modules]]\nname = "01_other"\nexports = "x"\n[[milestones]]'), "share a number"),
    "bad contract": (VALID + '\n[contract]\nTensor = { modules = "x", export = "01_tensor" }\n', "contract 'Tensor'"),
    "contract of no module": (VALID + '\n[contract]\nTensor = { modules = ["x"], export = "09_x" }\n', "'09_x'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_course_file_is_one_line_naming_the_file_and_the_value(case: str, tmp_path: Path) -> None:
    text, expected = BAD[case]
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CourseError) as raised:
        load_course_file(path)
    message = str(raised.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_a_valid_course_file_of_ones_own_loads(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(VALID.replace('test = "test_first"', 'test = "test_first"\ntest_file = "checks/first.py"'),
                    encoding="utf-8")
    course = load_course_file(path)
    assert course.name == "mine" and course.order == ["first"]
    assert course.definitions["first"]["test_file"] == str(tmp_path / "checks" / "first.py")


@pytest.mark.parametrize("name", sorted(SHIPPED_COURSES))
def test_a_course_of_ones_own_cannot_take_a_shipped_name(name: str, tmp_path: Path) -> None:
    path = tmp_path / "lookalike.toml"
    path.write_text(VALID.replace('name = "mine"', f'name = "{name}"'), encoding="utf-8")
    with pytest.raises(CourseError) as refusal:
        load_course_file(path)
    assert str(refusal.value).endswith(f"the name '{name}' belongs to a shipped course (classic, tinytorch): "
                                       "give your course its own name")
