"""Learning verification: run a milestone's pytest test against the student's `tinytorch`, record the result.

`run_verification` is the one runner; `VerificationResult` is the card it returns.
"""

from __future__ import annotations

from .result import VerificationResult
from .runner import DEFAULT_TIMEOUT_S, run_verification

__all__ = ["DEFAULT_TIMEOUT_S", "VerificationResult", "run_verification"]
