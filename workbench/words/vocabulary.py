"""The counter's words for the steps of a claim and for verdicts: one place for the flow,
the screens, the ticket and the command line."""

from __future__ import annotations

# The steps in the order a technician meets them. The drive is read before the
# counterfeit checks because they compare the label with what the drive reports; a genuine
# drive is then diagnosed: the warranty serves a drive that really fails.
STEPS = ("intake", "inspection", "smart", "counterfeit", "diagnosis", "decision", "ticket")
STEP_TITLES = {
    "intake": "Intake",
    "inspection": "Physical inspection",
    "smart": "SMART readout",
    "counterfeit": "Counterfeit checks",
    "diagnosis": "Diagnosis",
    "decision": "Decision",
    "ticket": "Ticket",
}

# The contract's verdicts (policy.assess gives one of them), in words: the same on the
# screen and on the customer's ticket.
VERDICT_WORDS = {
    "covered": "COVERED: repair or replace under warranty",
    "not_covered": "NOT COVERED under the warranty policy",
    "refused": "REFUSED: not a genuine Netac product",
    "needs_review": "NEEDS REVIEW before a decision",
}
VERDICTS = tuple(VERDICT_WORDS)

# What happens next, as the ticket tells the customer.
NEXT_STEPS = {
    "covered": "Netac repairs or replaces the drive free of charge. Keep this ticket; we will contact "
    "you when the drive is ready.",
    "not_covered": "The drive is returned to you. You may ask for a paid repair or quotation at the counter.",
    "refused": "Service is refused under the policy. The drive is returned to you.",
    "needs_review": "The station or Netac will review the claim and contact you; keep this ticket.",
}

# The states of a case (db.lifecycle.STATES) in the counter's words.
STATE_WORDS = {
    "draft": "draft",
    "review": "waiting for a supervisor",
    "decided": "decided",
    "awaiting_repair": "awaiting repair",
    "awaiting_stock": "awaiting replacement stock",
    "ready": "ready for pickup",
    "handed_back": "handed back",
    "withdrawn": "withdrawn",
}


def state_words(status: str, verdict: str | None = None) -> str:
    """A case's state as the counter says it; a covered case just decided waits for the choice."""
    if status == "decided" and verdict == "covered":
        return "decided: repair or replace"
    return STATE_WORDS.get(status, status)


def step_after(step: str) -> str:
    return STEPS[STEPS.index(step) + 1]


def step_before(step: str) -> str:
    return STEPS[STEPS.index(step) - 1]
