"""Learning verification: run a milestone's pytest test against the student's `tinytorch`, record the result.

`run_verification` is the one runner (lock check, run, record); `verify_milestone` is the run alone,
touching no progress file; `VerificationResult` is the card both return.
"""

from __future__ import annotations

from .result import VerificationResult
from .runner import DEFAULT_TIMEOUT_S, run_verification, verify_milestone

__all__ = ["DEFAULT_TIMEOUT_S", "VerificationResult", "run_verification", "verify_milestone"]
