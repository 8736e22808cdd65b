"""What every view object the magic returns shares: one mime bundle with widget, `text/html` and `text/plain`.

In a kernel the bundle carries the widget (JupyterLab), the HTML (nbconvert, GitHub) and plain text;
in a terminal it carries the rich-rendered terminal text and the HTML, and no widget is ever built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .mode import TEXT, Mode

if TYPE_CHECKING:
    from .widgets import Verify

MimeBundle = dict[str, Any]


def default_verify() -> Verify:
    """What a Verify button does unless told otherwise: run the verify service into the button's output."""
    from ..verification import verify_for_button

    return verify_for_button


class ViewObject:
    """A displayable view: subclasses give its widget and its HTML, plain and terminal texts."""

    mode: Mode

    @property
    def widget(self) -> Any:
        raise NotImplementedError

    def to_text(self) -> str:
        raise NotImplementedError

    def to_html(self) -> str:
        raise NotImplementedError

    def to_terminal_text(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> MimeBundle:
        if self.mode == TEXT:
            return {"text/plain": self.to_terminal_text(), "text/html": self.to_html()}
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle.update({"text/html": self.to_html(), "text/plain": self.to_text()})
        return bundle

    def __repr__(self) -> str:
        return self.to_text()
