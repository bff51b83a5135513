"""A case's full history: the claim, the evidence, the decisions, the tickets, the audit trail."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from workbench.errors import WorkbenchError
from workbench.text import strip_control


class HistoryScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "resume", "Resume draft"),
        Binding("p", "reprint", "Print ticket"),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="history", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        try:
            self.view = self.app.store.get_case(self.number)
        except WorkbenchError as exc:
            self.query_one("#history", Static).update(str(exc))
            self.view = None
            return
        self.query_one("#history", Static).update("\n".join(history_lines(self.view)))

    def action_resume(self) -> None:
        if self.view is not None and self.view.summary.status == "draft":
            self.app.pop_screen()
            self.app.resume_claim(self.number)
        else:
            self.notify("Only a draft can be resumed.", markup=False)

    def action_reprint(self) -> None:
        if self.view is None or self.view.decision is None:
            self.notify("This case is not decided: no ticket yet.", markup=False)
            return
        self.notify("Printing…", markup=False)
        self._reprint()

    @work(thread=True, exclusive=True, group="ticket")
    def _reprint(self) -> None:
        # A printer may take up to lp's timeout to answer: never on the UI thread.
        from workbench.ticket.issue import reprint

        try:
            outcome = reprint(self.app.store, self.number, self.app.config, self.app.policy)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, outcome.message,
                                  severity="information" if outcome.printed else "warning", markup=False)
        self.app.call_from_thread(self._show)


def history_lines(view) -> list[str]:
    s = view.summary
    out = [f"Case {s.number} · {s.status} · step {s.step} · {s.technician} · opened {s.created_at:%Y-%m-%d %H:%M} UTC",
           "", "Claim:"]
    out += [f"  {key}: {value}" for key, value in sorted(view.fields.items())
            if key not in ("inspection", "inspection_notes", "drive")]
    if view.inspection:
        out += ["", "Inspection:"]
        out += [f"  {'FOUND' if i.finding else 'no   '} {i.key}" + (f" — {i.note}" if i.note else "")
                for i in view.inspection]
    for snap in view.snapshots:
        r = snap.readout
        out += ["", f"SMART {snap.taken_at:%Y-%m-%d %H:%M}: {r.get('model')} {r.get('serial')} fw {r.get('firmware')}, "
                    f"health {r.get('health')}, written {snap.host_bytes_written}"]
    if view.findings:
        out += ["", "Counterfeit checks:"] + [f"  {f.severity:<6} {f.check}: {f.message}" for f in view.findings]
    for d in view.decisions:
        out += ["", f"Decision {d.decided_at:%Y-%m-%d %H:%M} by {d.technician}: {d.verdict} ({d.policy_id})"]
        out += [f"  {r['code']}: {r['text']}" for r in d.decision.get("reasons", [])]
        if d.override_verdict:
            out.append(f"  OVERRIDE by {d.override_by}: {d.override_verdict} — {d.override_reason}")
    for t in view.tickets:
        out += ["", f"Ticket {t.id}: {t.status}, {t.attempts} attempt(s) on {t.printer}"
                    + (f"; last error: {t.last_error}" if t.last_error else "")]
    out += ["", "Audit trail:"] + [f"  {a.at:%Y-%m-%d %H:%M:%S} {a.actor}: {a.action}" for a in view.audit]
    return [strip_control(line) for line in out]
