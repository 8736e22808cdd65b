"""The grading limits' defaults and bounds (seconds and bytes), shared by the service and its commands."""

from __future__ import annotations

DEFAULT_TIMEOUT_S = 600.0
DEFAULT_MEMORY_LIMIT_BYTES = 2048 * 1024 * 1024
MIN_MEMORY_BYTES = 64 * 1024 * 1024
