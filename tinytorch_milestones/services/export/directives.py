"""nbdev's cell directives (`#| export`, `#| default_exp core.tensor`, ...) read the way nbdev reads them.

Only the lines at the top of a code cell count: directive lines, blank lines and cell magics before
the first line of code. `#|export`, `# | export` and `#| export:` are the same directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIRECTIVE_LINE = re.compile(r"^\s*#\s*\|(?P<body>.*)$")
CELL_MAGIC_LINE = re.compile(r"^\s*%%\w+")


@dataclass(frozen=True)
class Directive:
    """One directive: its name ("export") and its arguments (("core.tensor",) for default_exp)."""

    name: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class DirectedSource:
    """A code cell split into its leading directives and its code.

    In `code` the directive lines are left empty, so a line number in `code` is a line of the cell.
    """

    directives: tuple[Directive, ...]
    code: str

    def named(self, name: str) -> Directive | None:
        """The first directive called `name`, or None."""
        return next((directive for directive in self.directives if directive.name == name), None)


def parse_directive(body: str) -> Directive | None:
    """The directive in the text after `#|`; a colon after the name is optional ("export:" is "export")."""
    name, colon, rest = body.strip().partition(":")
    words = name.split()
    if not words:
        return None
    args = words[1:] + rest.split() if colon else words[1:]
    return Directive(name=words[0], args=tuple(args))


def split_directives(source: str) -> DirectedSource:
    """Take the directives from the top of a code cell's `source`, and the code with those lines emptied.

    Cell magics stay, as nbdev leaves them, so that exporting one fails loudly instead of silently
    dropping it.
    """
    lines = source.splitlines(keepends=True)
    directives: list[Directive] = []
    for number, line in enumerate(lines):
        match = DIRECTIVE_LINE.match(line)
        if match:
            directive = parse_directive(match.group("body"))
            if directive is not None:
                directives.append(directive)
            lines[number] = "\n"
        elif not CELL_MAGIC_LINE.match(line) and line.strip():
            break
    return DirectedSource(directives=tuple(directives), code="".join(lines))
