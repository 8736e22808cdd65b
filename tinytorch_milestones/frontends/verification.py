"""Running a milestone's verification from the notebook: the Verify buttons' action, over the verify service."""

from __future__ import annotations

from collections.abc import Callable

from ..core import messages
from ..core.errors import MilestoneError
from ..services.verify.result import VerificationResult
from .views.live import LIVE_VIEWS


def verify_for_button(milestone_id: str, on_output: Callable[[str], None]) -> VerificationResult | str:
    """Verify `milestone_id`, passing each output line (no newline) to `on_output` as it appears.

    Returns the result card, or one line saying why nothing was verified (a locked milestone, the
    stop button). The service calls back on this (the main) thread, so widgets are only touched from
    it. Every live view is refreshed afterwards: a button click is no cell run, so no cell hook would do it.
    """
    from ..services.verify import run_verification

    try:
        return run_verification(milestone_id, on_output=on_output)
    except MilestoneError as error:
        return str(error)
    except KeyboardInterrupt:
        return messages.VERIFY_INTERRUPTED
    finally:
        LIVE_VIEWS.refresh_stale()
