"""The diagnosis in the counter's words: each recorded test in one line, and what the
diagnosis found as the customer's ticket says it. From what the records hold, so a resumed
case and a reprinted ticket read the same as the day it was diagnosed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A self-test's outcome in the counter's words; the others keep smartctl's own message (why
# the drive has none, how it vanished).
SELF_TEST_WORDS = {"passed": "completed without error", "aborted": "stopped before its end (aborted)"}


@dataclass(frozen=True)
class TestRecord:
    """A test of this claim's drive as recorded: what it was and what it found, in words."""

    kind: str  # "self_test" or "read_test"
    outcome: str
    words: str  # one line for the screen and the ticket
    confirms_fault: bool
    tried: bool  # it ran to an end that says something about the drive


def summary_line(fault: str, tried: list[str], note: str = "") -> str:
    """What the diagnosis found, as the ticket tells the customer."""
    done = "; ".join(tried)
    if fault == "confirmed":
        return f"Fault confirmed: {done or note or 'the failure shows on the drive'}"
    if fault == "not_found":
        return f"No fault found after {_tests_named(tried)}: the drive is returned to you"
    return f"Not diagnosed: {note}" if note else "Not diagnosed"


def _tests_named(tried: list[str]) -> str:
    names = [f"a {t.split(':', 1)[0].lower()}" for t in tried]
    return " and ".join(dict.fromkeys(names)) or "the tests"


def recorded_test(kind: str, outcome: str, result: dict[str, Any]) -> TestRecord:
    """A recorded test in words (from what the records hold, so a resumed case reads the same)."""
    if kind == "self_test":
        test = "Extended self-test" if result.get("kind") == "long" else "Short self-test"
        lba = result.get("failing_lba")
        if outcome == "failed" and isinstance(lba, int):
            message = f"read failure at LBA {lba:,}"
        else:
            message = SELF_TEST_WORDS.get(outcome) or str(result.get("message") or outcome).rstrip(".")
        return TestRecord(
            kind,
            outcome,
            f"{test}: {message}",
            confirms_fault=outcome == "failed",
            tried=outcome in ("passed", "failed"),
        )
    unreadable = result.get("unreadable") or []
    first = unreadable[0].get("first") if unreadable and isinstance(unreadable[0], dict) else None
    at = f", the first at LBA {first:,}" if isinstance(first, int) else ""
    mode = "Read test of the whole drive" if result.get("mode") == "whole" else "Read test"
    if outcome == "complete" and unreadable:
        words = f"{mode}: {len(unreadable)} unreadable range(s){at}"
    elif outcome == "complete":
        words = f"{mode}: every block read ({result.get('mb_per_s', 0)} MB/s)"
    else:
        words = f"{mode}: {outcome} ({result.get('problem') or 'stopped before the end'})"
    return TestRecord(
        kind, outcome, words, confirms_fault=bool(unreadable), tried=outcome == "complete" or bool(unreadable)
    )
