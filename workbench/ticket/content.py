"""What the ticket says in words, from the case record and the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from workbench.claim_draft import ClaimDraft
from workbench.words.diagnosis_text import recorded_test, summary_line
from workbench.words.text import strip_control
from workbench.words.vocabulary import NEXT_STEPS, VERDICT_WORDS


@dataclass(frozen=True)
class TicketContent:
    title: str
    lines: tuple[str, ...]  # the words under the QR, in order


def ticket_content(view, policy, station_name: str, zone: tzinfo | None = None) -> TicketContent:
    """The ticket's words: case, product, verdict, reasons with clauses, next steps, notes.
    The date is the decision's on the station's clock (`zone`, None for the system's)."""
    decision = view.decision
    verdict = decision.final_verdict
    claim = ClaimDraft.from_json(view.fields)
    lines = [
        f"Case {view.number}",
        f"{station_name}",
        f"Date {decision.decided_at.astimezone(zone):%Y-%m-%d}",
        f"Product Netac {strip_control(claim.model)} {strip_control(claim.capacity_gb)} GB",
        f"Serial {strip_control(claim.serial)}",
        f"Verdict: {VERDICT_WORDS[verdict]}",
    ]
    if decision.override_verdict:
        lines.append(
            f"(Supervisor {strip_control(decision.override_by or '')} changed "
            f"{decision.verdict} to {verdict}: {strip_control(decision.override_reason or '')})"
        )
    if "fault" in view.fields or view.diagnosis_tests:  # cases decided before the diagnosis have none
        tried = [recorded_test(t.kind, t.outcome, t.result) for t in view.diagnosis_tests]
        words = summary_line(claim.fault, [t.words for t in tried if t.tried], claim.fault_note)
        lines.append(f"Diagnosis: {strip_control(words)}")
    for reason in decision.decision.get("reasons", []):
        # The clause recorded with the decision: the one in force when the case was decided.
        clause = reason.get("clause") or clause_ref(policy, reason["code"])
        lines.append(f"- {strip_control(reason['text'])} [{strip_control(clause)}]")
    issued = [a for a in view.audit if a.action == "ticket_issued"]
    if issued:  # the station's audit trail as it stood when this ticket was issued, kept on paper
        lines.append(f"Audit anchor {issued[-1].anchor} (for workbench audit verify --anchor)")
    lines += [
        f"Next: {NEXT_STEPS[verdict]}",
        f"Your data: {policy.clauses['data_backup'].text}",
        f"Proof of purchase: {policy.clauses['required_information'].text} {policy.clauses['warranty_start'].text}",
        f"Policy {decision.policy_id}"
        + (f", file sha256 {decision.policy_sha256[:16]}" if decision.policy_sha256 else "")
        + ". Verify this ticket: workbench ticket verify.",
    ]
    return TicketContent(title="Netac warranty service ticket", lines=tuple(lines))


def clause_ref(policy, code: str) -> str:
    """Where a reason code's clause is in the policy, for the customer to read."""
    clause = policy.clause_for(code)
    return clause.ref if clause is not None else "product catalog"
