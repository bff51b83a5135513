"""The headless commands (see workbench/cli.py), and what several of them share."""

from __future__ import annotations

import argparse
from datetime import date

from workbench.words.language import _


def day(text: str) -> date:
    """An argparse type: a day as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a day in the form YYYY-MM-DD").format(text=repr(text))
        ) from None


def csv_safe(row: dict) -> dict:
    # A spreadsheet runs a cell starting with = + - @ as a formula: quote it as text.
    return {k: ("'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()}
