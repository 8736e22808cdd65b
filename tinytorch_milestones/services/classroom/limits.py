"""The grading limits' defaults and bounds (seconds and bytes), shared by the service and its commands."""

from __future__ import annotations

DEFAULT_TIMEOUT_S = 600.0
DEFAULT_MEMORY_LIMIT_BYTES = 2048 * 1024 * 1024
MIN_MEMORY_BYTES = 64 * 1024 * 1024
MAX_MEMORY_BYTES = 1 << 44  # 16 TiB: larger values overflow the operating system's limit
MAX_TIMEOUT_S = 7 * 24 * 3600.0  # a week: larger values overflow the clocks a run is timed by
