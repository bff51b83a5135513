"""The headless commands (see workbench/cli.py), and what several of them share."""

from __future__ import annotations

import argparse
from datetime import date

from policy.message import Message
from workbench.words.language import _, say


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


def said(exc: BaseException) -> str:
    """An exception's words in the session's language: those from below the counter (a Message
    from the policy or the records) said in it, any other as it is."""
    return say(exc.args[0]) if exc.args and isinstance(exc.args[0], Message) else str(exc)
