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


def move_problem(current: str, target: str, verdict: str | None) -> str | None:
    """Why a case in `current` with `verdict` cannot move to `target`, or None when it can."""
    if target not in STATES:
        return f"{target!r} is not a state of a case (one of {', '.join(STATES)})"
    if target not in MOVES.get(current, ()):
        return f"a case that is {current} cannot become {target}"
    if target in COVERED_ONLY and verdict != "covered":
        return f"only a covered case is repaired or replaced (this one is {verdict})"
    if current == "decided" and target == "ready" and verdict == "covered":
        return "a covered case is ready for pickup once repaired or replaced"
    return None


@dataclass(frozen=True)
class Seen:
    """The decision of a case as a session last saw it (its latest decision's id; None before
    any). A write made against an older one is stale: another session decided since."""

    decision: int | None = None
