"""A case's record as text: the case history screen and `workbench cases show` print the same."""

from __future__ import annotations

from workbench.words.text import strip_control
from workbench.words.vocabulary import state_words


def why_it_waits(view) -> list[str]:
    """A case in the review queue: the engine's verdict and reasons, and any technician's request."""
    d = view.decision
    if d is None:
        return ["No decision recorded."]
    out = [f"The engine's verdict: {d.verdict} (decided by {d.technician}, policy {d.policy_id})"]
    out += [
        f"  {r['code']}: {r['text']}" + (f" [{r['clause']}]" if r.get("clause") else "")
        for r in d.decision.get("reasons", [])
    ]
    if d.review_request:
        r = d.review_request
        out.append(f"{r.get('by')} asks for {r.get('verdict')}: {r.get('reason')}")
    return [strip_control(line) for line in out]


def case_lines(view) -> list[str]:
    """A case's whole record as lines of plain text (people's and drives' strings cleaned)."""
    s = view.summary
    out = [
        f"Case {s.number}: {state_words(s.status, s.verdict)}, step {s.step}, technician {s.technician}, "
        f"opened {s.created_at:%Y-%m-%d %H:%M} UTC",
        "",
        "Claim:",
    ]
    out += [
        f"  {key}: {value}"
        for key, value in sorted(view.fields.items())
        if key not in ("inspection", "inspection_notes", "drive")
    ]
    if view.inspection:
        out += ["", "Inspection:"]
        out += [
            f"  {'FOUND' if i.finding else 'no   '} {i.key}" + (f" — {i.note}" if i.note else "")
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
            f"SMART {snap.taken_at:%Y-%m-%d %H:%M}: {r.get('model')} {r.get('serial')} fw {r.get('firmware')}, "
            f"health {r.get('health')}, written {snap.host_bytes_written}",
        ]
        if snap.id in set_aside:
            out.append(f"  SET ASIDE (drive recorded as unreadable by {set_aside[snap.id]})")
    if view.findings:
        out += ["", "Counterfeit checks:"] + [f"  {f.severity:<6} {f.check}: {f.message}" for f in view.findings]
    for d in view.decisions:
        out += [
            "",
            f"Decision {d.decided_at:%Y-%m-%d %H:%M} by {d.technician}: {d.verdict} ({d.policy_id})",
            f"  policy file sha256 {d.policy_sha256 or 'not recorded (decided before revision 0004)'}",
        ]
        out += [
            f"  {r['code']}: {r['text']}" + (f" [{r['clause']}]" if r.get("clause") else "")
            for r in d.decision.get("reasons", [])
        ]
        if d.override_verdict:
            out.append(f"  OVERRIDE by {d.override_by}: {d.override_verdict} — {d.override_reason}")
    for t in view.tickets:
        out += [
            "",
            f"Ticket {t.id}: {t.status}, {t.attempts} attempt(s) on {t.printer}"
            + (f"; last error: {t.last_error}" if t.last_error else ""),
        ]
    out += after_decision_lines(view)
    out += ["", "Audit trail:"] + [f"  {a.at:%Y-%m-%d %H:%M:%S} {a.actor}: {a.action}" for a in view.audit]
    return [strip_control(line) for line in out]


def after_decision_lines(view) -> list[str]:
    """What happened after the decision: the replacement, the hand-back, the parcel to Netac."""
    out = []
    r = view.replacement
    if r is not None:
        out += [
            "",
            f"Replaced {r.recorded_at:%Y-%m-%d %H:%M} by {r.technician}: {r.model} {r.capacity_gb} GB, serial {r.serial}",
        ]
        if r.substitution_reason:
            out.append(f"  SUBSTITUTION allowed by {r.substitution_by}: {r.substitution_reason}")
    h = view.hand_back
    if h is not None:
        checked = "ID checked" if h.id_checked else f"ID NOT checked: {h.id_check_reason or 'no reason recorded'}"
        how = ", ticket scanned" if h.by_ticket else ""
        out += [
            "",
            f"Handed back {h.at:%Y-%m-%d %H:%M} by {h.technician} to {h.collected_by} ({checked}{how}): "
            f"drive {h.drive_serial}",
        ]
    if view.shipment:
        out += ["", f"Failed drive sent to Netac in shipment {view.shipment}"]
    return [strip_control(line) for line in out]
