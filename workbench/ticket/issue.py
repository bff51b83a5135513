"""Issuing a ticket for a decided case: build, sign, record, print; and checking one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from workbench.claim_draft import ClaimDraft
from workbench.config import TRAINING_STATION, StationConfig
from workbench.errors import ONE_LINE_ERRORS, WorkbenchError
from workbench.ticket.content import TicketContent, ticket_content
from workbench.ticket.keys import station_key, trusted_keys, verify_signature
from workbench.ticket.payload import TicketFacts, parse, signed_text
from workbench.ticket.printers import NoPrinter, PrintError, print_ticket, printer_name
from workbench.words.language import N_, _, spoken
from workbench.words.text import shown, strip_control

# The first word a clerk reads of a verification (Verification.verdict_word), by its status.
VERDICT_WORDS = {"good": N_("GOOD"), "not_on_record": N_("NOT ON RECORD"), "record_differs": N_("CHANGED")}
NOT_GENUINE = N_("NOT GENUINE")


@dataclass(frozen=True)
class TicketOutcome:
    ticket_id: int
    qr_text: str
    content: TicketContent
    printed: bool
    message: str  # what the printer did, or why the ticket is still queued
    failed: bool = False  # a printer was tried and did not take it (no printer at all is no failure)


def facts_for(view, station_id: str, zone: tzinfo | None = None) -> TicketFacts:
    """The facts a ticket signs; its date is the decision's on the station's clock."""
    decision = view.decision
    if decision is None:
        raise WorkbenchError(
            _("case {number}: not decided yet, so there is no ticket to print").format(number=view.number)
        )
    claim = ClaimDraft.from_json(view.fields)
    return TicketFacts(
        case_number=view.number,
        station=station_id,
        date=f"{decision.decided_at.astimezone(zone):%Y-%m-%d}",
        model=claim.model,
        capacity_gb=claim.capacity_gb,
        serial=claim.serial,
        verdict=decision.final_verdict,
        # The contract's one remedy goes with covered, whether the engine or a supervisor said so.
        remedy="repair_or_replace" if decision.final_verdict == "covered" else "",
        policy=decision.policy_id,
    )


def issue_ticket(store, number: str, config: StationConfig, policy) -> TicketOutcome:
    """Sign and record a ticket for the case's latest decision, then try the printer once."""
    view = store.get_case(number)
    if view.summary.status == "review":
        raise WorkbenchError(
            _("case {number} waits for a supervisor's review: its ticket comes with the verdict").format(number=number)
        )
    facts = facts_for(view, config.station_id, config.time_zone)
    qr_text = signed_text(facts, station_key(config))
    ticket_id = store.add_ticket(number, qr_text, printer_name(config))
    # The words carry the trail's link that recorded this ticket: read back once it is written.
    content = ticket_content(store.get_case(number), policy, config.station_name, config.time_zone)
    return _attempt(store, config, ticket_id, content, qr_text)


def reprint(store, number: str, config: StationConfig, policy) -> TicketOutcome:
    """Print the case's latest ticket again (the same signed text); issue one if it has none."""
    view = store.get_case(number)
    if not view.tickets:
        return issue_ticket(store, number, config, policy)
    ticket = view.tickets[-1]
    return _attempt(
        store, config, ticket.id, ticket_content(view, policy, config.station_name, config.time_zone), ticket.payload
    )


def _attempt(store, config, ticket_id: int, content: TicketContent, qr_text: str) -> TicketOutcome:
    try:
        done = print_ticket(config, content, qr_text)
    except NoPrinter as exc:  # stays queued, no attempt counted
        return TicketOutcome(ticket_id, qr_text, content, False, spoken(exc))
    except PrintError as exc:  # the record keeps the English words (its audit entry); the clerk reads theirs
        store.mark_ticket(ticket_id, "failed", str(exc))
        message = _("{error} (queued: reprint from the case)").format(error=spoken(exc))
        return TicketOutcome(ticket_id, qr_text, content, False, message, failed=True)
    store.mark_ticket(ticket_id, "printed")
    return TicketOutcome(ticket_id, qr_text, content, True, done)


@dataclass(frozen=True)
class Verification:
    # good | forged | unknown_station | wrong_station | not_on_record | record_differs | training
    status: str
    station: str | None
    facts: TicketFacts | None
    message: str
    record_matches: bool | None = None  # None: no case record to compare with

    def __post_init__(self) -> None:
        # The message is shown to the clerk (status line, toast, the case's notice, `ticket
        # verify`): clean whatever it quotes, so no caller can show it raw. (The station and
        # facts are clean already: TicketFacts cleans its texts.)
        object.__setattr__(self, "message", strip_control(self.message))

    @property
    def good(self) -> bool:
        """The ticket can be relied on: exit status 0, and the only case printed as GOOD."""
        return self.status == "good"

    @property
    def genuine(self) -> bool:
        """Signed by a trusted station for one of its own cases, whatever the records say now."""
        return self.status in ("good", "not_on_record", "record_differs")

    @property
    def verdict_word(self) -> str:
        """The first word a clerk reads: it always agrees with the exit status."""
        return _(VERDICT_WORDS.get(self.status, NOT_GENUINE))


def verify_ticket(text: str, config: StationConfig, store=None) -> Verification:
    """Check a scanned ticket: its signature, its station, and (with a store) the case record.

    A ticket is good only when a trusted station signed it, its case number is that
    station's, and, for this station's own cases when the records are at hand, the case is
    on record with the same facts.
    """
    parsed = parse(text)  # InputError for text that is not a ticket at all
    facts = parsed.facts
    signer = facts.station.upper()
    # The ticket's texts as quoted in a message: before its signature is checked, anyone's.
    station, case = shown(facts.station, 40), shown(facts.case_number, 40)
    if signer == TRAINING_STATION or facts.case_number.upper().startswith(TRAINING_STATION + "-"):
        return Verification(
            "training",
            facts.station,
            facts,
            _("a TRAINING ticket from the practice bench: no real case, no warranty decision"),
        )
    key = trusted_keys(config).get(signer)
    if key is None:
        return Verification(
            "unknown_station",
            facts.station,
            facts,
            _("station {station} is not among this station's trusted keys ([ticket.trusted_keys])").format(
                station=station
            ),
        )
    if not verify_signature(key, parsed.signature, parsed.body):
        return Verification(
            "forged",
            facts.station,
            facts,
            _("the signature does not match: the text was altered, or not signed by {station}").format(station=station),
        )
    prefix = facts.case_number.split("-", 1)[0].upper()
    if prefix != signer:
        return Verification(
            "wrong_station",
            facts.station,
            facts,
            _(
                "case {case} is station {prefix}'s, but the ticket is signed by "
                "station {station}: a station signs tickets for its own cases only"
            ).format(case=case, prefix=prefix, station=station),
        )
    if store is None:
        return Verification(
            "good",
            facts.station,
            facts,
            _("genuine ticket signed by station {station} (case records not checked)").format(station=station),
        )
    try:
        recorded = facts_for(store.get_case(facts.case_number), facts.station, config.time_zone)
    except ONE_LINE_ERRORS:
        if signer == config.station_id:
            return Verification(
                "not_on_record",
                facts.station,
                facts,
                _(
                    "signed by this station, but case {case} is not in its records "
                    "(deleted, or the records were restored from an older backup)"
                ).format(case=case),
            )
        return Verification(
            "good",
            facts.station,
            facts,
            _("genuine ticket signed by station {station}; case {case} is kept at station {station}, not here").format(
                station=station, case=case
            ),
        )
    differences = [
        name
        for name, a, b in zip(TicketFacts.__dataclass_fields__, _values(recorded), _values(facts), strict=True)
        if a != b
    ]
    if differences:
        return Verification(
            "record_differs",
            facts.station,
            facts,
            _("signed by station {station}, but the case record now differs in: {facts} (a later decision?)").format(
                station=station, facts=", ".join(differences)
            ),
            record_matches=False,
        )
    return Verification(
        "good",
        facts.station,
        facts,
        _("genuine ticket signed by station {station}; matches case {case}").format(station=station, case=case),
        record_matches=True,
    )


def _values(facts: TicketFacts):
    return [getattr(facts, name) for name in TicketFacts.__dataclass_fields__]
