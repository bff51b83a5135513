"""The counter's words for the steps of a claim and for verdicts: one place for the flow,
the screens, the ticket and the command line.

The tables are marked for the catalog (N_) where they are defined and hold the English words;
a screen, the ticket or a command shows them in the session's language with `step_title(step)`,
`verdict_words(verdict)`, `next_steps(verdict)` and `state_words(status, verdict)` (or `_()` on
a table's value). The keys are the records' codes: never translated."""

from __future__ import annotations

from workbench.words.language import N_, _

# The steps in the order a technician meets them. The drive is read before the
# counterfeit checks because they compare the label with what the drive reports; a genuine
# drive is then diagnosed: the warranty serves a drive that really fails.
STEPS = ("intake", "inspection", "smart", "counterfeit", "diagnosis", "decision", "ticket")
STEP_TITLES = {
    "intake": N_("Intake"),
    "inspection": N_("Physical inspection"),
    "smart": N_("SMART readout"),
    "counterfeit": N_("Counterfeit checks"),
    "diagnosis": N_("Diagnosis"),
    "decision": N_("Decision"),
    "ticket": N_("Ticket"),
}

# The contract's verdicts (policy.assess gives one of them), in words: the same on the
# screen and on the customer's ticket.
VERDICT_WORDS = {
    "covered": N_("COVERED: repair or replace under warranty"),
    "not_covered": N_("NOT COVERED under the warranty policy"),
    "refused": N_("REFUSED: not a genuine Netac product"),
    "needs_review": N_("NEEDS REVIEW before a decision"),
}
VERDICTS = tuple(VERDICT_WORDS)

# A state or a verdict by its code where the counter names it short (lists, the station's figures,
# a change of verdict inside a sentence): in English the code as the records hold it (what
# `workbench assess` says); another language says what it means. The catalog's ids are the codes.
CODES = (
    # Translators: a case's state or a verdict, as its code; say what it means in a word or two.
    N_("draft"),
    N_("review"),
    N_("decided"),
    N_("awaiting_repair"),
    N_("awaiting_stock"),
    N_("ready"),
    N_("handed_back"),
    N_("withdrawn"),
    N_("covered"),
    N_("not_covered"),
    N_("refused"),
    N_("needs_review"),
)


def code_words(code: str) -> str:
    """A state or verdict code as the session says it short (English: the code itself)."""
    return _(code) if code in CODES else code


# What happens next, as the ticket tells the customer.
NEXT_STEPS = {
    "covered": N_(
        "Netac repairs or replaces the drive free of charge. Keep this ticket; we will contact "
        "you when the drive is ready."
    ),
    "not_covered": N_("The drive is returned to you. You may ask for a paid repair or quotation at the counter."),
    "refused": N_("Service is refused under the policy. The drive is returned to you."),
    "needs_review": N_("The station or Netac will review the claim and contact you; keep this ticket."),
}

# The states of a case (db.lifecycle.STATES) in the counter's words.
STATE_WORDS = {
    "draft": N_("draft"),
    "review": N_("waiting for a supervisor"),
    "decided": N_("decided"),
    "awaiting_repair": N_("awaiting repair"),
    "awaiting_stock": N_("awaiting replacement stock"),
    "ready": N_("ready for pickup"),
    "handed_back": N_("handed back"),
    "withdrawn": N_("withdrawn"),
}


def step_title(step: str) -> str:
    """A step's title in the session's language (an unknown step's code as it is)."""
    return _(STEP_TITLES[step]) if step in STEP_TITLES else step


def verdict_words(verdict: str) -> str:
    """A verdict in words (screen and ticket), in the session's language; an unknown code as it is."""
    return _(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict


def next_steps(verdict: str) -> str:
    """What happens next for the customer, in the session's language ("" for an unknown verdict)."""
    return _(NEXT_STEPS[verdict]) if verdict in NEXT_STEPS else ""


def state_words(status: str, verdict: str | None = None) -> str:
    """A case's state as the counter says it, in the session's language; a covered case just
    decided waits for the choice."""
    if status == "decided" and verdict == "covered":
        return _("decided: repair or replace")
    return _(STATE_WORDS[status]) if status in STATE_WORDS else status


def step_after(step: str) -> str:
    return STEPS[STEPS.index(step) + 1]


def step_before(step: str) -> str:
    return STEPS[STEPS.index(step) - 1]


# The technician's conclusions, as the contract spells them, and in the counter's words
# (marked for the catalog: shown as `conclusion_words(key)`).
CONCLUSIONS = {
    "confirmed": N_("Fault confirmed: the failure shows on the drive"),
    "not_found": N_("No fault found: the drive works"),
    "untested": N_("Could not be tested"),
}


def conclusion_words(fault: str) -> str:
    """A conclusion (a key of CONCLUSIONS) in the session's language."""
    return _(CONCLUSIONS[fault]) if fault in CONCLUSIONS else fault


# Each field's name as the technician knows it, for messages that name the field (marked for
# the catalog: shown with `field_name(key)`). The keys are the draft's JSON keys: never translated.
FIELD_NAMES = {
    "customer_name": N_("customer"),
    "customer_contact": N_("contact"),
    "model": N_("model"),
    "capacity_gb": N_("capacity (GB)"),
    "serial": N_("serial"),
    "purchase_date": N_("purchase date"),
    "manufacture_date": N_("manufacturing date"),
    "failure_description": N_("failure description"),
    "data_acknowledged": N_("data acknowledgement"),
    "claim_date": N_("claim date"),
    "counterfeit": N_("counterfeit conclusion"),
    "host_bytes_written": N_("bytes written"),
    "fault": N_("diagnosis"),
}


def field_name(key: str) -> str:
    """A field's name as the technician knows it, in the session's language (a key without one as it is)."""
    return _(FIELD_NAMES[key]) if key in FIELD_NAMES else key
