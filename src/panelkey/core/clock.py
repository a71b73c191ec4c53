"""Time as panelkey stores and prints it: ISO 8601, UTC, whole seconds."""

from __future__ import annotations

import time


def iso(at: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if at is None else at))


def plesk_date(stamp: str) -> str:
    """Plesk's `cr_date` form (`2026-11-22`) of a stored timestamp."""
    return stamp[:10]
