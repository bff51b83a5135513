"""A decided case is final (issue 21, F2-F4): the records, not the screens, enforce each case's
life. Two real sessions (processes of their own, tests/case_session.py) work on one draft."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from db.errors import StaleCase
from tests.after_helpers import NV7000_FIGURES, SERIAL, decided_claim

CLAIM = {
    "customer_name": "Li Wei",
    "customer_contact": "138 0000 0000",
    "model": "NV7000",
    "capacity_gb": "2000",
    "serial": SERIAL,
    "proof_of_purchase": True,
    "purchase_date": "2025-01-10",
    "failure_description": "Not detected by the BIOS",
    "data_acknowledged": True,
    "fault": "confirmed",
}


class Session:
    """A technician's session in a process of its own."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.case_session"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, do: str, **args: object) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"do": do, **args}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        assert self.process.wait(timeout=30) == 0


@pytest.fixture
def station(bench):
    return bench(station_lines=NV7000_FIGURES).station


@pytest.fixture
def two(station):
    """A draft at its decision step, and two sessions that both resumed it there."""
    flow = station.new_claim()
    flow.update(**CLAIM)
    flow.save("inspection")
    flow.record_inspection([(e.key, False, "") for e in station.exclusions()])
    flow.record_smart(station.read_drive("/dev/nvme0"))
    flow.record_counterfeit(flow.counterfeit_findings(), not_genuine=False, note="")
    flow.save("decision")
    sessions = Session(), Session()
    for session in sessions:
        assert session("resume", number=flow.number) == {"ok": None}
    yield flow.number, sessions
    for session in sessions:
        session.close()


def test_a_second_session_cannot_decide_a_case_the_first_decided(station, two):
    number, (first, second) = two
    assert first("decide") == {"ok": "covered"}
    ticket = station.reprint(number)  # the customer's ticket
    answer = second("inspect", found=["sticker_removed"])
    assert answer["stale"] and "changed in another session since you opened it: decided covered by" in answer["error"]
    answer = second("decide")
    assert answer["stale"] and answer["error"].endswith("the decision was not recorded")
    view = station.case(number)
    assert (view.summary.status, view.summary.verdict, len(view.decisions)) == ("decided", "covered", 1)
    assert not any(i.finding for i in view.inspection)
    assert station.case_for_ticket(ticket.qr_text)[0].record_matches  # the ticket still tells the truth
    assert station.store.verify_audit().intact


def test_a_stale_session_cannot_rewrite_the_claim_or_evidence_of_a_decided_case(station, two):
    number, (first, second) = two
    first("decide")
    for do, args in (
        ("update", {"fields": {"serial": "RN000", "customer_name": "Someone Else", "capacity_gb": "1000"}}),
        ("read", {}),
        ("unreadable", {}),
        ("counterfeit", {}),
    ):
        answer = second(do, **args)
        assert answer.get("stale"), (do, answer)
    view = station.case(number)
    assert (view.summary.serial, view.summary.customer_name, view.fields["capacity_gb"]) == (
        SERIAL,
        "Li Wei",
        "2000",
    )
    assert len(view.snapshots) == 1 and len(view.findings) > 0


def test_a_stale_review_request_does_not_send_a_decided_case_back_to_the_queue(station, two):
    number, (first, second) = two
    first("decide")
    station.reprint(number)
    answer = second("request", verdict="covered", reason="the customer insists")
    assert answer["stale"]
    assert station.case(number).summary.status == "decided"
    assert station.review_queue() == []


def test_a_decision_is_refused_against_a_review_the_session_did_not_see(station, two):
    number, (first, second) = two
    assert first("request", verdict="not_covered", reason="the sticker looks re-glued") == {"ok": None}
    answer = second("decide")
    assert answer["stale"] and "sent to review by" in answer["error"]
    assert station.case(number).summary.status == "review"


def test_a_withdrawn_case_takes_nothing_more(station, two):
    number, (first, second) = two
    assert first("withdraw", reason="the customer took the drive home") == {"ok": None}
    for do, args in (("update", {"fields": {"customer_name": "Mallory"}}), ("inspect", {"found": []}), ("decide", {})):
        answer = second(do, **args)
        assert answer["stale"] and f"case {number} is withdrawn" in answer["error"], answer
    view = station.case(number)
    assert (view.summary.status, view.summary.customer_name, view.decisions) == ("withdrawn", "Li Wei", ())


def test_the_same_session_goes_on_after_its_own_decision(station, two):
    number, (first, _) = two
    assert first("decide") == {"ok": "covered"}
    assert first("save", step="ticket") == {"ok": None}  # where the technician is, after the decision
    answer = first("update", fields={"customer_name": "Li Wei Jr"})
    assert answer["stale"] and "the draft is no longer taken" in answer["error"]


def test_a_decided_case_changes_only_by_an_override(station):
    flow = decided_claim(station)
    store = station.store
    decision = store.get_case(flow.number).decision
    recorded = dict(decision.decision)
    with pytest.raises(StaleCase, match="is decided covered by .*: the decision is no longer taken"):
        store.record_decision(flow.number, recorded, decision.policy_id)
    store.record_decision(
        flow.number, recorded, decision.policy_id, {"verdict": "not_covered", "reason": "burnt connector"}
    )
    assert store.get_case(flow.number).summary.verdict == "not_covered"


async def test_a_stale_screen_says_so_and_shows_the_case_as_it_now_stands(bench):
    """The counter's view of F2: this screen sits at the decision step while another session
    decides the case; Ctrl+N here is refused in words, and the case opens as the records hold it."""
    from tests.tui_helpers import SIZE, screen_text, wait_for
    from workbench.screens.case import CaseScreen
    from workbench.screens.decision import DecisionScreen
    from workbench.screens.home import HomeScreen

    app = bench(station_lines=NV7000_FIGURES)
    station = app.station
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        flow = station.new_claim()
        flow.update(**{**CLAIM, "inspection": {"sticker_removed": True}})
        flow.save("inspection")
        flow.record_inspection([(e.key, e.key == "sticker_removed", "") for e in station.exclusions()])
        flow.record_smart(station.read_drive("/dev/nvme0"))
        flow.record_counterfeit(flow.counterfeit_findings(), not_genuine=False, note="")
        flow.save("decision")
        app.flow = station.resume(flow.number)
        app.show_step("decision")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen) and getattr(app.screen, "decision", None))
        assert app.screen.decision.verdict == "not_covered"

        other = Session()  # another technician, at another terminal, decides first
        try:
            assert other("resume", number=flow.number) == {"ok": None}
            assert other("update", fields={"inspection": {}}, step="decision") == {"ok": None}
            assert other("inspect", found=[]) == {"ok": None}
            assert other("decide") == {"ok": "covered"}
        finally:
            other.close()

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await wait_for(pilot, lambda: "decided" in " ".join(screen_text(app).split()))
        shown = " ".join(screen_text(app).split())
        assert f"case {flow.number} changed in another session since you opened it: decided covered by" in shown
        assert "the decision was not recorded" in shown
    view = station.case(flow.number)
    assert (view.summary.verdict, len(view.decisions)) == ("covered", 1)


def test_a_diagnosis_test_is_refused_on_a_decided_case_and_from_a_stale_session(station):
    from db.lifecycle import Seen

    flow = decided_claim(station)
    store = station.store
    with pytest.raises(StaleCase, match="is decided covered by .*: the diagnosis is no longer taken"):
        store.record_diagnosis_test(flow.number, "self_test", "/dev/nvme0", "passed", {}, b"")
    draft = station.new_claim()
    draft.update(**CLAIM)
    draft.save("diagnosis")
    other = station.resume(draft.number)  # a second session on the same draft
    other.record_decision(other.decide())
    with pytest.raises(StaleCase, match="changed in another session since you opened it"):
        store.record_diagnosis_test(draft.number, "self_test", "/dev/nvme0", "passed", {}, b"", seen=Seen(None))
    assert store.get_case(draft.number).diagnosis_tests == ()
