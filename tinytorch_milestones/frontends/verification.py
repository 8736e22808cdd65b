"""Running a milestone's verification from the notebook: the Verify buttons' action, over the verify service."""

from __future__ import annotations

from typing import Any

from ..core import messages
from ..core.errors import MilestoneError
from .views.live import LIVE_VIEWS


def verify_into_output(milestone_id: str, output: Any) -> None:
    """Verify `milestone_id`, streaming its output lines into the Output widget, then show the result card there.

    The service calls back on this (the main) thread, so the widget is only touched from it. Every
    live view is refreshed afterwards: a button click is no cell run, so no cell hook would do it.
    """
    from ..services.verify import run_verification

    try:
        result = run_verification(milestone_id, on_output=lambda line: output.append_stdout(line + "\n"))
    except MilestoneError as error:
        output.append_stdout(f"{error}\n")
    except KeyboardInterrupt:
        output.append_stdout(messages.VERIFY_INTERRUPTED + "\n")
    else:
        output.append_display_data(result)
    finally:
        LIVE_VIEWS.refresh_stale()
