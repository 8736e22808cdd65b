"""The result card: an HTML face and a plain-text face naming the failed check, never a log dump."""

from __future__ import annotations

from html.parser import HTMLParser

from tinytorch_milestones.services.verify.result import VerificationResult

FAILED = VerificationResult(
    milestone_id="perceptron",
    milestone_name="1957 - The Perceptron",
    outcome="failed",
    duration_s=1.234,
    mode="subprocess",
    node_id="test_learning_verification.py::test_perceptron_learning",
    message="no gradient reached linear.weight: check Linear's backward",
    check={"check": "gradient present", "measured": None, "threshold": "a gradient", "hint": "check Linear's backward"},
    metrics={"loss_of_good_predictions": 0.0513, "params_with_gradient": 1},
    output_tail=tuple(f"line {n} <b>" for n in range(30)),
)
PASSED = VerificationResult(
    milestone_id="xor",
    milestone_name="1986 - Backpropagation (XOR)",
    outcome="passed",
    duration_s=0.8,
    mode="in-kernel",
    node_id="t.py::test_xor_learning",
    metrics={"accuracy": 1.0, "loss_reduction": 0.9912345},
    newly_completed=True,
    completion_text="🏆 MILESTONE COMPLETED!\n\n1986 - Backpropagation (XOR)",
)


class _Elements(HTMLParser):
    """Collects start tags and their class attributes, and checks every tag is closed."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.classes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        self.classes.extend((dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag):
        assert self.open.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> _Elements:
    elements = _Elements()
    elements.feed(html)
    assert elements.open == []
    return elements


def test_failed_card_text_names_check_measured_bar_and_hint_in_course_words() -> None:
    text = repr(FAILED)
    assert text.splitlines()[:2] == [
        "❌ Verification failed: 1957 - The Perceptron · 1.2 s",
        "no gradient reached linear.weight: check Linear's backward",
    ]
    assert "  What was checked: gradient present" in text
    assert "  Measured: —" in text and "  The bar to clear: a gradient" in text
    assert ("  Measured during training: loss of near-perfect predictions 0.05, "
            "parameters reached by a gradient 1") in text
    for jargon in ("subprocess", "loss_of_good_predictions", "::", "line 29"):
        assert jargon not in text
    assert str(FAILED) == text


def test_failed_card_html_leads_with_one_line_and_folds_the_rest() -> None:
    html = FAILED._repr_html_()
    elements = parsed(html)
    assert {"tinytorch-verification", "tinytorch-verification-failed", "tinytorch-verification-summary",
            "tinytorch-verification-message", "tinytorch-verification-folded"} <= set(elements.classes)
    summary = parsed(FAILED.summary_html())
    assert "".join(summary.text) == ("❌ Verification failed: 1957 - The Perceptron · 1.2 s"
                                     " — no gradient reached linear.weight: check Linear's backward")
    assert "check Linear&#x27;s backward" in html
    assert "<b>" not in html.replace('<b style=', "") and "line 29 &lt;b&gt;" in html
    assert "line 14 &lt;b&gt;" not in html
    assert html.index("<details") < html.index("What was checked") < html.index("line 29")
    assert "loss_of_good_predictions" not in html and "subprocess" not in html
    assert FAILED.completion_html() == ""


def test_passed_card_says_what_was_learned_and_shows_the_completion_card() -> None:
    text = str(PASSED)
    assert text.splitlines()[:2] == [
        "✅ Verification passed: 1986 - Backpropagation (XOR) · 0.8 s",
        "your network learned: accuracy 1.00, the loss fell by 99%",
    ]
    assert text.endswith("🏆 MILESTONE COMPLETED!\n\n1986 - Backpropagation (XOR)")
    html = PASSED._repr_html_()
    card = parsed(PASSED.completion_html())
    assert {"tt-completion-card", "tinytorch-verification-completion", "tt-milestone-name"} <= set(card.classes)
    assert card.text[:2] == ["🏆 MILESTONE COMPLETED!", "1986 - Backpropagation (XOR)"]
    assert PASSED.completion_html() in html
    assert "Last lines of output" not in html


def test_passing_again_says_so() -> None:
    again = VerificationResult(**{**PASSED.__dict__, "newly_completed": False})
    assert str(again).endswith("1986 - Backpropagation (XOR) was already completed; this run passed again.")
    assert again.completion_html() == "" and "was already completed" in again._repr_html_()


def test_attempt_is_what_the_tracker_records() -> None:
    assert FAILED.attempt() == {
        "outcome": "failed",
        "duration_s": 1.234,
        "metrics": {"loss_of_good_predictions": 0.0513, "params_with_gradient": 1},
        "message": "no gradient reached linear.weight: check Linear's backward",
        "mode": "subprocess",
    }
    assert not FAILED.passed and PASSED.passed


def test_timeout_card_has_its_own_heading() -> None:
    timed_out = VerificationResult("cnn", "1998 - Convolutional Networks", "timeout", 3.0, "subprocess", "x::y",
                                   message="the verification was stopped after 3 s without finishing")
    assert str(timed_out).splitlines()[:2] == [
        "⏱️ Verification timed out: 1998 - Convolutional Networks · 3.0 s",
        "the verification was stopped after 3 s without finishing",
    ]
    assert "tinytorch-verification-timeout" in parsed(timed_out._repr_html_()).classes
