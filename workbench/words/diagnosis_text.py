"""The diagnosis in the counter's words: each recorded test in one line, and what the
diagnosis found as the customer's ticket says it. From what the records hold, so a resumed
case and a reprinted ticket read the same as the day it was diagnosed (in the session's language)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.words.language import N_, _, ngettext, say, shown_number

# A self-test's outcome in the counter's words; the others keep smartctl's own message (why
# the drive has none, how it vanished).
SELF_TEST_WORDS = {"passed": N_("completed without error"), "aborted": N_("stopped before its end (aborted)")}
# A read test that did not complete, in the counter's words (the records keep the code).
READ_TEST_WORDS = {"cancelled": N_("cancelled"), "vanished": N_("vanished")}

# Each test's name as a recorded test's line begins, and as "No fault found after ..." names it.
TEST_NAMES = {
    N_("Extended self-test"): N_("a extended self-test"),
    N_("Short self-test"): N_("a short self-test"),
    N_("Read test of the whole drive"): N_("a read test of the whole drive"),
    N_("Read test"): N_("a read test"),
}


@dataclass(frozen=True)
class TestRecord:
    """A test of this claim's drive as recorded: what it was and what it found, in words."""

    kind: str  # "self_test" or "read_test"
    outcome: str
    words: str  # one line for the screen and the ticket
    confirms_fault: bool
    tried: bool  # it ran to an end that says something about the drive


def summary_line(fault: str, tried: list[str] | list[TestRecord], note: str = "") -> str:
    """What the diagnosis found, as the ticket tells the customer. `tried`: the lines of the
    tests tried (TestRecord.words, made in the session's language), or the TestRecords."""
    lines = [t.words if isinstance(t, TestRecord) else t for t in tried]
    if fault == "confirmed":
        done = _joined(lines, N_("{tests}; {test}"))
        return _("Fault confirmed: {evidence}").format(evidence=done or note or _("the failure shows on the drive"))
    if fault == "not_found":
        return _("No fault found after {tests}: the drive is returned to you").format(tests=_tests_named(lines))
    return _("Not diagnosed: {note}").format(note=note) if note else _("Not diagnosed")


def _tests_named(lines: list[str]) -> str:
    names = list(dict.fromkeys(_test_named(line) for line in lines))
    return _joined(names, N_("{tests} and {test}")) or _("the tests")


def _joined(items: list[str], template: str) -> str:
    """`items` joined one by one with `template` (marked for the catalog) in the session's language."""
    said = items[0] if items else ""
    for item in items[1:]:
        said = _(template).format(tests=said, test=item)
    return said


def _test_named(line: str) -> str:
    """The test a recorded test's line is of, named as in "No fault found after a short self-test"."""
    for title in sorted(TEST_NAMES, key=lambda t: -len(_(t))):
        if line.startswith(_(title)):
            return _(TEST_NAMES[title])
    return f"a {line.split(':', 1)[0].lower()}"


def _stored(result: Mapping[str, Any], name: str) -> str:
    """A recorded test's text in the session's language: from the template the record keeps under
    "said" (workbench.inspection.said), else (a record kept before it had one) its English."""
    entries = result.get("said")
    entry = entries.get(name) if isinstance(entries, Mapping) else None
    if isinstance(entry, Mapping) and isinstance(entry.get("template"), str):
        return say(entry)
    return say(result.get(name))


def _line(test: str, result: str) -> str:
    return _("{test}: {result}").format(test=test, result=result)


def recorded_test(kind: str, outcome: str, result: dict[str, Any]) -> TestRecord:
    """A recorded test in words (from what the records hold, so a resumed case reads the same)."""
    if kind == "self_test":
        test = _("Extended self-test") if result.get("kind") == "long" else _("Short self-test")
        lba = result.get("failing_lba")
        if outcome == "failed" and isinstance(lba, int):
            message = _("read failure at LBA {lba}").format(lba=shown_number(lba))
        elif outcome in SELF_TEST_WORDS:
            message = _(SELF_TEST_WORDS[outcome])
        else:
            message = (_stored(result, "message") or outcome).rstrip(".")
        return TestRecord(
            kind,
            outcome,
            _line(test, message),
            confirms_fault=outcome == "failed",
            tried=outcome in ("passed", "failed"),
        )
    unreadable = result.get("unreadable") or []
    first = unreadable[0].get("first") if unreadable and isinstance(unreadable[0], dict) else None
    mode = _("Read test of the whole drive") if result.get("mode") == "whole" else _("Read test")
    if outcome == "complete" and unreadable and isinstance(first, int):
        words = ngettext(
            "{count} unreadable range(s), the first at LBA {first}",
            "{count} unreadable range(s), the first at LBA {first}",
            len(unreadable),
        ).format(count=len(unreadable), first=shown_number(first))
    elif outcome == "complete" and unreadable:
        words = ngettext("{count} unreadable range(s)", "{count} unreadable range(s)", len(unreadable)).format(
            count=len(unreadable)
        )
    elif outcome == "complete":
        words = _("every block read ({speed} MB/s)").format(speed=result.get("mb_per_s", 0))
    else:
        said = _(READ_TEST_WORDS[outcome]) if outcome in READ_TEST_WORDS else outcome
        words = _("{outcome} ({problem})").format(
            outcome=said, problem=_stored(result, "problem") or _("stopped before the end")
        )
    return TestRecord(
        kind,
        outcome,
        _line(mode, words),
        confirms_fault=bool(unreadable),
        tried=outcome == "complete" or bool(unreadable),
    )
