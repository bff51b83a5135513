"""A case's record as text: the case history screen and `workbench cases show` print the same.

Our words are in the session's language; the record's own codes (verdicts, reason codes,
steps, inspection keys, ticket states, audit actions) and what people and drives wrote stay as
the record holds them. A reason's text is said from its template (workbench.words.language.say)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len

from workbench.words.language import ENGLISH, N_, _, language, ngettext, say, shown_time
from workbench.words.text import pad, strip_control
from workbench.words.vocabulary import conclusion_words, field_name, state_words, step_title

# The clause recorded for a reason the product catalog gives (no clause of Netac's): stored in
# English with the decision, shown with `clause_words(ref)`.
PRODUCT_CATALOG = N_("product catalog")


def clause_words(ref: str) -> str:
    """A reason's recorded clause reference as a person reads it: Netac's reference as it is, or
    ours ("product catalog") in the session's language."""
    return _(PRODUCT_CATALOG) if ref == PRODUCT_CATALOG else ref


def reason_line(reason: dict[str, Any]) -> str:
    """A recorded reason: its code, its text in the session's language, and the clause it cites."""
    clause = reason.get("clause")
    return f"  {reason.get('code')}: {say(reason)}" + (f" [{clause_words(clause)}]" if clause else "")


def why_it_waits(view) -> list[str]:
    """A case in the review queue: the engine's verdict and reasons, and any technician's request."""
    d = view.decision
    if d is None:
        return [_("No decision recorded.")]
    out = [
        _("The engine's verdict: {verdict} (decided by {technician}, policy {policy})").format(
            verdict=d.verdict, technician=d.technician, policy=d.policy_id
        )
    ]
    out += [reason_line(r) for r in d.decision.get("reasons", [])]
    if d.review_request:
        r = d.review_request
        out.append(
            _("{by} asks for {verdict}: {reason}").format(
                by=r.get("by"), verdict=r.get("verdict"), reason=r.get("reason")
            )
        )
    return [strip_control(line) for line in out]


def _field_line(key: str, value: object) -> str:
    """A recorded field: in English as the record holds it (`capacity_gb: 2000`), which the
    command line has always printed; in another language by its name and in words."""
    if language() == ENGLISH:
        return f"  {key}: {value}"
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    elif key == "fault" and isinstance(value, str):
        value = conclusion_words(value)
    return f"  {field_name(key)}: {value}"


def case_lines(view) -> list[str]:
    """A case's whole record as lines of plain text (people's and drives' strings cleaned)."""
    s = view.summary
    out = [
        _("Case {number}: {state}, step {step}, technician {technician}, opened {opened} UTC").format(
            number=s.number,
            state=state_words(s.status, s.verdict),
            step=s.step if language() == ENGLISH else step_title(s.step),
            technician=s.technician,
            opened=shown_time(s.created_at),
        ),
        "",
        _("Claim:"),
    ]
    out += [
        _field_line(key, value)
        for key, value in sorted(view.fields.items())
        if key not in ("inspection", "inspection_notes", "drive")
    ]
    if view.inspection:
        found, clear = _("FOUND"), _("no")
        width = max(cell_len(found), cell_len(clear))
        out += ["", _("Inspection:")]
        out += [
            f"  {pad(found if i.finding else clear, width)} {i.key}" + (f" — {i.note}" if i.note else "")
            for i in view.inspection
        ]
    set_aside = {
        snapshot: f"{a.actor}: {a.detail.get('reason')}"
        for a in view.audit
        if a.action == "smart_set_aside"
        for snapshot in a.detail.get("snapshots", [])
    }
    for snap in view.snapshots:
        r = snap.readout
        out += [
            "",
            _("SMART {taken}: {model} {serial} fw {firmware}, health {health}, written {written}").format(
                taken=shown_time(snap.taken_at),
                model=r.get("model"),
                serial=r.get("serial"),
                firmware=r.get("firmware"),
                health=r.get("health"),
                written=snap.host_bytes_written,
            ),
        ]
        if snap.id in set_aside:
            out.append("  " + _("SET ASIDE (drive recorded as unreadable by {who})").format(who=set_aside[snap.id]))
    if view.findings:
        out += ["", _("Counterfeit checks:")] + [
            f"  {f.severity:<6} {f.check}: {say(f.said.get('message') or f.message)}" for f in view.findings
        ]
    for d in view.decisions:
        out += [
            "",
            _("Decision {at} by {technician}: {verdict} ({policy})").format(
                at=shown_time(d.decided_at), technician=d.technician, verdict=d.verdict, policy=d.policy_id
            ),
            "  "
            + (
                _("policy file sha256 {sha256}").format(sha256=d.policy_sha256)
                if d.policy_sha256
                else _("policy file sha256 not recorded (decided before revision 0004)")
            ),
        ]
        out += [reason_line(r) for r in d.decision.get("reasons", [])]
        if d.override_verdict:
            out.append(
                "  "
                + _("OVERRIDE by {by}: {verdict} — {reason}").format(
                    by=d.override_by, verdict=d.override_verdict, reason=d.override_reason
                )
            )
    for t in view.tickets:
        if t.last_error:
            line = ngettext(
                "Ticket {id}: {status}, {attempts} attempt(s) on {printer}; last error: {error}",
                "Ticket {id}: {status}, {attempts} attempt(s) on {printer}; last error: {error}",
                t.attempts,
            )
        else:
            line = ngettext(
                "Ticket {id}: {status}, {attempts} attempt(s) on {printer}",
                "Ticket {id}: {status}, {attempts} attempt(s) on {printer}",
                t.attempts,
            )
        out += ["", line.format(id=t.id, status=t.status, attempts=t.attempts, printer=t.printer, error=t.last_error)]
    out += after_decision_lines(view)
    out += ["", _("Audit trail:")] + [f"  {a.at:%Y-%m-%d %H:%M:%S} {a.actor}: {a.action}" for a in view.audit]
    return [strip_control(line) for line in out]


def after_decision_lines(view) -> list[str]:
    """What happened after the decision: the replacement, the hand-back, the parcel to Netac."""
    out = []
    r = view.replacement
    if r is not None:
        out += [
            "",
            _("Replaced {at} by {technician}: {model} {capacity} GB, serial {serial}").format(
                at=shown_time(r.recorded_at),
                technician=r.technician,
                model=r.model,
                capacity=r.capacity_gb,
                serial=r.serial,
            ),
        ]
        if r.substitution_reason:
            out.append(
                "  "
                + _("SUBSTITUTION allowed by {by}: {reason}").format(by=r.substitution_by, reason=r.substitution_reason)
            )
    h = view.hand_back
    if h is not None:
        checked = (
            _("ID checked")
            if h.id_checked
            else _("ID NOT checked: {reason}").format(reason=h.id_check_reason or _("no reason recorded"))
        )
        if h.by_ticket:
            line = _("Handed back {at} by {technician} to {collector} ({check}, ticket scanned): drive {serial}")
        else:
            line = _("Handed back {at} by {technician} to {collector} ({check}): drive {serial}")
        out += [
            "",
            line.format(
                at=shown_time(h.at),
                technician=h.technician,
                collector=h.collected_by,
                check=checked,
                serial=h.drive_serial,
            ),
        ]
    if view.shipment:
        out += ["", _("Failed drive sent to Netac in shipment {shipment}").format(shipment=view.shipment)]
    return [strip_control(line) for line in out]
