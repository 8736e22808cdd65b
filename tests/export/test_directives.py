"""Every directive form nbdev accepts, read from a real notebook, exported, and imported in a fresh process."""

from __future__ import annotations

import pytest

from tinytorch_milestones.services.export import ExportError, export_notebook
from tinytorch_milestones.services.export.directives import Directive, split_directives

from .conftest import markdown, run_python

HEAD = "#| default_exp core.tensor"


@pytest.mark.parametrize(
    "line",
    ["#| export", "#|export", "# | export", "#| export:", "#|export:", "  #|   export  ", "#| exports", "#| hide\n#| export"],
)
def test_each_export_form_exports_the_cell_and_its_public_names(make_notebook, workspace, line):
    notebook = make_notebook("01_tensor.ipynb", [HEAD, f"{line}\ndef double(x):\n    return 2 * x\n"])

    result = export_notebook(notebook)

    text = result.target.read_text()
    assert "#|" not in text.split("__all__")[1]
    assert result.names == ("double",)
    output = run_python(workspace, """
        from tinytorch.core.tensor import *
        import tinytorch.core.tensor as module
        print(double(21), module.__all__)
    """)
    assert output.split() == ["42", "['double']"]


def test_exporti_exports_the_code_but_keeps_its_names_out_of_all(make_notebook, workspace):
    notebook = make_notebook("01_tensor.ipynb", [
        HEAD,
        "#| exporti\ndef helper():\n    return 'internal'\n",
        "#| export\ndef public():\n    return helper()\n",
    ])

    result = export_notebook(notebook)

    assert result.names == ("public",)
    output = run_python(workspace, """
        import tinytorch.core.tensor as module
        namespace = {}
        exec("from tinytorch.core.tensor import *", namespace)
        print(module.public(), module.helper(), "helper" in namespace, module.__all__)
    """)
    assert output.split() == ["internal", "internal", "False", "['public']"]


def test_a_directive_below_code_does_not_export_the_cell(make_notebook):
    notebook = make_notebook("01_tensor.ipynb", [
        HEAD,
        "#| export\nkept = 1\n",
        "not_kept = 2\n#| export\nalso_not_kept = 3\n",
        "# an ordinary comment is code, so the directive after it is not at the top\n#| export\nnor_this = 4\n",
    ])

    text = export_notebook(notebook).target.read_text()

    assert "kept = 1" in text
    assert "not_kept" not in text and "also_not_kept" not in text and "nor_this" not in text


def test_markdown_cells_are_never_exported(make_notebook):
    notebook = make_notebook("01_tensor.ipynb", [
        HEAD,
        markdown("#| export\nmarkdown_text = 1"),
        "#| export\ncode_value = 2\n",
    ])

    result = export_notebook(notebook)

    assert "markdown_text" not in result.target.read_text()
    assert result.names == ("code_value",) and result.cell_count == 1


def test_blank_lines_between_directives_still_count_and_are_removed(make_notebook, workspace):
    notebook = make_notebook("01_tensor.ipynb", ["\n#|default_exp: core.tensor", "#| hide\n\n#| export\n\nvalue = 5\n"])

    result = export_notebook(notebook)

    assert result.import_name == "tinytorch.core.tensor"
    body = result.target.read_text().split("cell 2\n", 1)[1]
    assert body == "value = 5\n"
    assert run_python(workspace, "from tinytorch.core.tensor import value; print(value)").strip() == "5"


def test_directive_names_are_case_sensitive_as_in_nbdev(make_notebook):
    notebook = make_notebook("01_tensor.ipynb", [HEAD, "#| Export\nupper = 1\n", "#| export\nlower = 2\n"])

    assert export_notebook(notebook).names == ("lower",)


def test_a_cell_with_only_directives_exports_nothing_but_is_not_an_error(make_notebook):
    notebook = make_notebook("01_tensor.ipynb", [HEAD, "#| export\n", "#| export\nvalue = 1\n"])

    result = export_notebook(notebook)

    assert result.cell_count == 1 and "cell 2" not in result.target.read_text()


def test_a_cell_magic_in_an_exported_cell_is_reported_not_dropped(make_notebook):
    notebook = make_notebook("01_tensor.ipynb", [HEAD, "#| export\n%%time\nvalue = 1\n"])

    with pytest.raises(ExportError) as raised:
        export_notebook(notebook)

    assert "cell 2" in str(raised.value) and "%%time" in str(raised.value)


@pytest.mark.parametrize(
    ("source", "directives", "code"),
    [
        ("#| export\nx = 1", [Directive("export", ())], "\nx = 1"),
        ("# | default_exp core.tensor", [Directive("default_exp", ("core.tensor",))], "\n"),
        ("#|default_exp: core.tensor\n", [Directive("default_exp", ("core.tensor",))], "\n"),
        ("#| echo: false\n#| export:\nx = 1", [Directive("echo", ("false",)), Directive("export", ())], "\n\nx = 1"),
        ("x = 1\n#| export", [], "x = 1\n#| export"),
        ("#|\nx = 1", [], "\nx = 1"),
    ],
)
def test_split_directives_keeps_line_numbers_of_the_code(source, directives, code):
    directed = split_directives(source)

    assert list(directed.directives) == directives
    assert directed.code == code


@pytest.mark.parametrize("line", ["#| export core.transformer", "#|export core.transformer", "#| export: core.transformer"])
def test_a_cell_can_name_its_own_module_as_in_nbdev(make_notebook, workspace, line):
    notebook = make_notebook("12_attention.ipynb", [
        "#| default_exp core.attention",
        "#| export\ndef attend():\n    return 'attention'\n",
        f"{line}\nfrom tinytorch.core.attention import attend\n\ndef norm():\n    return attend() + '+norm'\n",
        "#| exporti core.transformer\ndef _helper():\n    return 0\n",
    ])

    result = export_notebook(notebook)

    assert [(m.import_name, m.cell_count, m.names) for m in result.modules] == [
        ("tinytorch.core.attention", 1, ("attend",)),
        ("tinytorch.core.transformer", 2, ("norm",)),
    ]
    assert result.summary.startswith("Exported 1 cell to ")
    assert "and 2 cells to " in result.summary and result.summary.endswith("from 12_attention.ipynb.")
    transformer = (workspace / "tinytorch" / "core" / "transformer.py").read_text()
    assert transformer.startswith("# AUTOGENERATED! DO NOT EDIT! File to edit: 12_attention.ipynb")
    assert "def attend" not in transformer
    output = run_python(workspace, """
        from tinytorch.core.transformer import norm, _helper
        import tinytorch.core.transformer as module
        print(norm(), _helper(), module.__all__)
    """)
    assert output.split() == ["attention+norm", "0", "['norm']"]


def test_other_nbdev_directives_beside_export_are_dropped_and_change_nothing(make_notebook, workspace):
    notebook = make_notebook("01_tensor.ipynb", [
        "#| default_exp core.tensor",
        "#| hide\n#| eval: false\n#| export\n#| code-fold: true\ndef shown():\n    return 'ok'\n",
        "#| hide\ndef hidden_not_exported():\n    pass\n",
        "#| eval: false\n#| exporti\n_slow = 'kept'\n",
    ])

    result = export_notebook(notebook)

    text = result.target.read_text()
    assert "#|" not in text and "hidden_not_exported" not in text
    assert result.names == ("shown",)
    assert run_python(workspace, "from tinytorch.core.tensor import shown, _slow; print(shown(), _slow)").split() == ["ok", "kept"]
