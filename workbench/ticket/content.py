"""What the ticket says in words, from the case record and the policy, in the session's
language; and those words wrapped to a width without cutting a character (`wrap`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from rich.cells import cell_len

from workbench.claim_draft import ClaimDraft
from workbench.words.clause_text import clause_text
from workbench.words.diagnosis_text import recorded_test, summary_line
from workbench.words.language import _, say, shown_date
from workbench.words.text import strip_control
from workbench.words.vocabulary import NEXT_STEPS, VERDICT_WORDS, code_words


@dataclass(frozen=True)
class TicketContent:
    title: str
    lines: tuple[str, ...]  # the words under the QR, in order

    def shown_lines(self, width: int = 80) -> list[str]:
        """The lines as a terminal of `width` columns shows them: wrapped by cells (a Han
        character takes two), at spaces or between Han characters, never in a character."""
        return [piece for line in self.lines for piece in wrap(line, width)]


def ticket_content(view, policy, station_name: str, zone: tzinfo | None = None) -> TicketContent:
    """The ticket's words: case, product, verdict, reasons with clauses, next steps, notes.
    The date is the decision's on the station's clock (`zone`, None for the system's)."""
    decision = view.decision
    verdict = decision.final_verdict
    claim = ClaimDraft.from_json(view.fields)
    # Netac's clauses are quoted as Netac wrote them, in any language; only our words around them
    # are translated.
    lines = [
        _("Case {number}").format(number=view.number),
        f"{station_name}",
        _("Date {date}").format(date=shown_date(decision.decided_at.astimezone(zone).date())),
        _("Product Netac {model} {capacity} GB").format(
            model=strip_control(claim.model), capacity=strip_control(claim.capacity_gb)
        ),
        _("Serial {serial}").format(serial=strip_control(claim.serial)),
        _("Verdict: {verdict}").format(verdict=_(VERDICT_WORDS[verdict])),
    ]
    if decision.override_verdict:
        lines.append(
            _("(Supervisor {supervisor} changed {old} to {new}: {reason})").format(
                supervisor=strip_control(decision.override_by or ""),
                old=code_words(decision.verdict),
                new=code_words(verdict),
                reason=strip_control(decision.override_reason or ""),
            )
        )
    if "fault" in view.fields or view.diagnosis_tests:  # cases decided before the diagnosis have none
        tried = [recorded_test(t.kind, t.outcome, t.result) for t in view.diagnosis_tests]
        words = summary_line(claim.fault, [t.words for t in tried if t.tried], claim.fault_note)
        lines.append(_("Diagnosis: {findings}").format(findings=strip_control(words)))
    for reason in decision.decision.get("reasons", []):
        # The clause recorded with the decision: the one in force when the case was decided.
        clause = reason.get("clause") or clause_ref(policy, reason["code"])
        lines.append(f"- {strip_control(say(reason) or reason['text'])} [{strip_control(clause)}]")
    issued = [a for a in view.audit if a.action == "ticket_issued"]
    if issued:  # the station's audit trail as it stood when this ticket was issued, kept on paper
        lines.append(_("Audit anchor {anchor} (for workbench audit verify --anchor)").format(anchor=issued[-1].anchor))
    clauses = policy.clauses
    lines += [
        _("Next: {steps}").format(steps=_(NEXT_STEPS[verdict])),
        _("Your data: {clause}").format(clause=clause_text(clauses["data_backup"])),
        _("Proof of purchase: {information} {start}").format(
            information=clause_text(clauses["required_information"]), start=clause_text(clauses["warranty_start"])
        ),
        _("Policy {policy}, file sha256 {sha256}. Verify this ticket: workbench ticket verify.").format(
            policy=decision.policy_id, sha256=decision.policy_sha256[:16]
        )
        if decision.policy_sha256
        else _("Policy {policy}. Verify this ticket: workbench ticket verify.").format(policy=decision.policy_id),
    ]
    return TicketContent(title=_("Netac warranty service ticket"), lines=tuple(lines))


def clause_ref(policy, code: str) -> str:
    """Where a reason code's clause is in the policy, for the customer to read."""
    clause = policy.clause_for(code)
    return clause.ref if clause is not None else _("product catalog")


# --- Wrapping by width, for a terminal, a receipt or a PDF ---------------------------------------------

# Never at the start of a line (closing punctuation) or at its end (opening punctuation): each
# keeps to the character beside it, as Chinese typesetting does.
NO_LINE_START = frozenset("，。、：；！？）」』】》〉”’…％,.:;!?)]}%")
NO_LINE_END = frozenset("（「『【《〈“‘([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _units(text: str) -> list[str]:
    """`text` in the pieces a line may break between: runs of spaces, words of narrow
    characters, and each wide (Han) character by itself; punctuation kept with its neighbour."""
    units: list[str] = []
    for char in text:
        last = units[-1] if units else ""
        if char == " ":
            joined = last.endswith(" ") and not last.strip()
        elif char in NO_LINE_START:
            joined = bool(last) and not last.endswith(" ")
        elif last and last[-1] in NO_LINE_END:
            joined = True
        elif _wide(char):
            joined = False
        else:
            joined = bool(last) and not last.endswith(" ") and not _wide(last[-1])
        if joined:
            units[-1] += char
        else:
            units.append(char)
    return units


def wrap(text: str, width: float, measure: Callable[[str], float] = cell_len) -> list[str]:
    """`text` in lines of at most `width` (as `measure` counts: terminal cells by default),
    broken at spaces or between Han characters; a word longer than a line is broken between
    characters, never inside one. An empty text is one empty line."""
    lines: list[str] = []
    line = ""
    for unit in _units(text):
        if measure(line + unit) <= width:
            line += unit
            continue
        if not unit.strip():  # spaces where the line breaks: they go
            if line:
                lines.append(line)
            line = ""
            continue
        if line.strip():
            lines.append(line.rstrip(" "))
        line = ""
        for char in unit:  # a unit longer than a line: character by character
            if line and measure(line + char) > width:
                lines.append(line)
                line = ""
            line += char
    lines.append(line.rstrip(" ") if lines else line)
    return lines
