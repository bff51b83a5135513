"""The states a case goes through, and which changes of state the records accept.

    draft ──> review ──> decided ──> awaiting_repair ──> ready ──> handed_back
      │         │          │  └────> awaiting_stock ───┘
      └─────────┴──> withdrawn       └─────────────────> ready (not covered, refused)

A covered case leaves `decided` for repair or replacement; it becomes `ready` for pickup
when its repair is done or its replacement is recorded. A not covered or refused drive is
`ready` as soon as its ticket is finished. Sending the failed drive to Netac is not a state
of the case but its membership of a shipment: the customer may collect before or after.
"""

from __future__ import annotations

from dataclasses import dataclass

from policy.message import Message

STATES = (
    "draft",
    "review",
    "decided",
    "awaiting_repair",
    "awaiting_stock",
    "ready",
    "handed_back",
    "withdrawn",
)
BEFORE_DECISION = ("draft", "review")
# Where a case may go from each state by a plain change of state; the decision, a review's
# resolution, a replacement and the hand-back have their own records and checks.
MOVES: dict[str, tuple[str, ...]] = {
    "draft": ("withdrawn",),
    "review": ("withdrawn",),
    "decided": ("awaiting_repair", "awaiting_stock", "ready"),
    "awaiting_repair": ("awaiting_stock", "ready"),
    "awaiting_stock": ("awaiting_repair",),
}
# Only a covered case is repaired or replaced.
COVERED_ONLY = ("awaiting_repair", "awaiting_stock")


# A state or a verdict inside a sentence of the records, as the counter can say it: in English the
# code itself (what the records' messages have always shown), in another language its word.
CODES = {
    # Translators: a case's state as the records name it (a code), inside a sentence
    "draft": Message("draft"),
    "review": Message("review"),
    "decided": Message("decided"),
    "awaiting_repair": Message("awaiting_repair"),
    "awaiting_stock": Message("awaiting_stock"),
    "ready": Message("ready"),
    "handed_back": Message("handed_back"),
    "withdrawn": Message("withdrawn"),
    # Translators: a verdict as the records name it (a code), inside a sentence
    "covered": Message("covered"),
    "not_covered": Message("not_covered"),
    "refused": Message("refused"),
    "needs_review": Message("needs_review"),
}
# The same in words (the code's underscores as spaces), as a stale session is told what became of its case.
WORDS = {
    "awaiting_repair": Message("awaiting repair"),
    "awaiting_stock": Message("awaiting stock"),
    "handed_back": Message("handed back"),
    "not_covered": Message("not covered"),
    "needs_review": Message("needs review"),
}


def code_named(code: object) -> str:
    """A state or verdict code in a sentence: a Message the counter says in its language (any
    other value as it is, e.g. None)."""
    return CODES.get(code, str(code)) if isinstance(code, str) else str(code)


def code_words(code: str) -> str:
    """A state or verdict code in words ("not covered"), as a Message the counter says in its language."""
    return WORDS.get(code) or CODES.get(code) or code.replace("_", " ")


def move_problem(current: str, target: str, verdict: str | None) -> str | None:
    """Why a case in `current` with `verdict` cannot move to `target`, or None when it can."""
    if target not in STATES:
        return Message(
            "{target} is not a state of a case (one of {states})", target=repr(target), states=", ".join(STATES)
        )
    if target not in MOVES.get(current, ()):
        return Message(
            "a case that is {current} cannot become {target}", current=code_named(current), target=code_named(target)
        )
    if target in COVERED_ONLY and verdict != "covered":
        return Message(
            "only a covered case is repaired or replaced (this one is {verdict})", verdict=code_named(verdict)
        )
    if current == "decided" and target == "ready" and verdict == "covered":
        return Message("a covered case is ready for pickup once repaired or replaced")
    return None


@dataclass(frozen=True)
class Seen:
    """The decision of a case as a session last saw it (its latest decision's id; None before
    any). A write made against an older one is stale: another session decided since."""

    decision: int | None = None
