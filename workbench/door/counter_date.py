"""The counter's date: one place, so the tests can fix it."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()
