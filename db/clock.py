"""The records' clock: every time they keep is UTC, taken here (one place, so a test can fix it)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
