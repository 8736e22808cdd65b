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


def test_failed_card_text_names_check_measured_threshold_and_hint() -> None:
    text = repr(FAILED)
    assert text.splitlines()[0] == "❌ Verification failed: 1957 - The Perceptron (1.2 s, subprocess)"
    assert "no gradient reached linear.weight: check Linear's backward" in text
    assert "  Failed check: gradient present" in text
    assert "  Measured: —" in text and "  Threshold: a gradient" in text
    assert "  Metrics: loss_of_good_predictions=0.0513, params_with_gradient=1" in text
    assert "line 29" not in text
    assert str(FAILED) == text


def test_failed_card_html_is_well_formed_escaped_and_keeps_the_log_folded() -> None:
    html = FAILED._repr_html_()
    elements = parsed(html)
    assert {"tinytorch-verification", "tinytorch-verification-failed", "tinytorch-verification-message"} <= set(elements.classes)
    assert "check Linear&#x27;s backward" in html
    assert "<b>" not in html and "line 29 &lt;b&gt;" in html
    assert "line 14 &lt;b&gt;" not in html
    assert html.index("<details>") > html.index("Failed check")
    assert "gradient present" in "".join(elements.text)


def test_passed_card_shows_completion_and_metrics_without_log() -> None:
    text = str(PASSED)
    assert text.startswith("✅ Verification passed: 1986 - Backpropagation (XOR) (0.8 s, in-kernel)")
    assert "accuracy=1, loss_reduction=0.9912" in text
    assert text.endswith("🏆 MILESTONE COMPLETED!\n\n1986 - Backpropagation (XOR)")
    html = PASSED._repr_html_()
    assert "tinytorch-verification-completion" in parsed(html).classes
    assert "<details>" not in html


def test_passing_again_says_so() -> None:
    again = VerificationResult(**{**PASSED.__dict__, "newly_completed": False})
    assert str(again).endswith("1986 - Backpropagation (XOR) was already completed; this run passed again.")


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
        "⏱️ Verification timed out: 1998 - Convolutional Networks (3.0 s, subprocess)",
        "the verification was stopped after 3 s without finishing",
    ]
    assert "tinytorch-verification-timeout" in parsed(timed_out._repr_html_()).classes
