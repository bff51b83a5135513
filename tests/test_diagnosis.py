"""Diagnosis before decision (issue 20): the drive's own self-test, SMART's evidence and the
technician's conclusion, through the door (CaseFlow.diagnosis) on the demo drives, answered by
the stand-in smartctl as a real child process; the decision, the ticket and the station's
figures follow the conclusion."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from tests.after_helpers import NV7000_FIGURES
from workbench.errors import InputError

# The demo bench's drives with a self-test story (workbench/inspection/recordings/demo/calls.toml).
PASSES = "/dev/nvme3"  # Netac NVMe 1TB: 10, 50, 90 % done, then completed without error
FAILS = "/dev/sde"  # a SATA drive: read failure at LBA 81920
GONE = "/dev/sdc"  # vanishes mid-test
ABORTS = "/dev/sdb"  # a SATA drive whose test the host aborts
NO_SELF_TEST = "/dev/nvme0"  # the NV7000 2TB, on smartctl 7.3: no NVMe self-test


@pytest.fixture
def station(bench):
    return bench(station_lines=NV7000_FIGURES).station


def claim_on(station, device: str, serial: str = "RN202409031TB207715"):
    """A claim up to its diagnosis: typed in, inspected, its drive read at `device`."""
    flow = station.new_claim()
    flow.update(
        customer_name="Li Wei",
        model="NV7000",
        capacity_gb="1000",
        serial=serial,
        proof_of_purchase=True,
        purchase_date="2025-01-10",
        failure_description="Freezes after a few minutes",
        data_acknowledged=True,
    )
    flow.save("inspection")
    flow.record_inspection([(e.key, False, "") for e in station.exclusions()])
    flow.record_smart(station.read_drive(device))
    flow.record_counterfeit(flow.counterfeit_findings(), not_genuine=False, note="")
    flow.save("diagnosis")
    flow.diagnosis.load()
    return flow


def words(text: str) -> str:
    return " ".join(text.split())


def run_self_test(flow, stop: threading.Event | None = None):
    shown: list[tuple[int | None, str]] = []
    record = flow.diagnosis.run_self_test(
        "short", lambda p, w: shown.append((p, w)), stop or threading.Event(), poll_s=0
    )
    return record, shown


def test_a_short_self_test_runs_to_completed_without_error(station):
    flow = claim_on(station, PASSES)
    record, shown = run_self_test(flow)
    percents = [p for p, _ in shown if p is not None]
    assert percents == sorted(percents) and percents[-1] == 90
    assert "% done" in shown[-1][1]
    assert (record.outcome, record.tried, record.confirms_fault) == ("passed", True, False)
    [test] = station.case(flow.number).diagnosis_tests
    assert (test.kind, test.device, test.outcome) == ("self_test", PASSES, "passed")
    assert b"-t short" in test.raw_output or b"short" in test.raw_output  # smartctl's own output kept
    assert station.store.verify_audit().intact


def test_no_fault_found_is_not_covered_under_the_opening_paragraph_and_the_ticket_says_so(station):
    flow = claim_on(station, PASSES)
    assert flow.diagnosis.problem("not_found", "") == (
        "diagnosis: no fault found needs a test first (s short self-test, t read test)"
    )
    run_self_test(flow)
    flow.diagnosis.conclude("not_found", "")
    flow.save("decision")
    decision = flow.decide()
    assert (decision.verdict, [r.code for r in decision.reasons]) == ("not_covered", ["no_fault_found"])
    assert decision.reasons[0].clause.ref == "Warranty Policy, opening paragraph"
    flow.record_decision(decision)
    outcome = flow.print_ticket()
    assert "Diagnosis: No fault found after a short self-test: the drive is returned to you" in outcome.content.lines


def test_a_failed_self_test_confirms_the_fault_and_the_claim_is_covered(station):
    flow = claim_on(station, FAILS)
    record, _ = run_self_test(flow)
    assert (record.outcome, record.confirms_fault) == ("failed", True)
    assert record.words == "Short self-test: read failure at LBA 81,920"
    assert flow.diagnosis.problem("confirmed", "") is None  # the evidence is recorded: no note needed
    assert flow.diagnosis.problem("not_found", "").startswith("diagnosis note: the evidence shows a fault")
    flow.diagnosis.conclude("confirmed", "")
    flow.save("decision")
    decision = flow.decide()
    assert decision.verdict == "covered", [r.code for r in decision.reasons]
    flow.record_decision(decision)
    lines = flow.print_ticket().content.lines
    assert "Diagnosis: Fault confirmed: Short self-test: read failure at LBA 81,920" in lines


def test_a_drive_without_self_test_says_so_and_the_diagnosis_goes_on(station):
    flow = claim_on(station, NO_SELF_TEST, serial="RN202406182TB104233")
    record, shown = run_self_test(flow)
    assert (record.outcome, record.tried) == ("not_supported", False) and shown == []
    assert record.words.startswith("Short self-test: This drive has no self-test")
    assert "smartctl" in record.words  # why: smartctl 7.3 runs no NVMe self-test
    with pytest.raises(InputError, match="diagnosis note: say why the drive could not be tested"):
        flow.diagnosis.conclude("untested", "")
    flow.diagnosis.conclude("untested", "no self-test on this drive; the customer's PC is not here")
    flow.save("decision")
    decision = flow.decide()
    assert (decision.verdict, [r.code for r in decision.reasons]) == ("needs_review", ["fault_unconfirmed"])


def test_a_drive_that_vanishes_mid_test_is_one_line_and_what_was_gathered_stays(station):
    flow = claim_on(station, GONE, serial="S3Z2NB0K612345X")
    record, shown = run_self_test(flow)
    assert record.outcome == "vanished" and shown  # it had reported progress first
    [test] = station.case(flow.number).diagnosis_tests
    assert test.outcome == "vanished" and test.raw_output
    assert "\n" not in record.words


def test_a_stopped_self_test_is_aborted_on_the_drive(station):
    flow = claim_on(station, ABORTS, serial="QBT9M21004217")
    stop = threading.Event()
    stop.set()  # Escape, answered yes, before the first poll
    record, _ = run_self_test(flow, stop)
    [test] = station.case(flow.number).diagnosis_tests
    assert any(call["args"][-2:] == ["-X", ABORTS] for call in test.result["calls"])
    assert (record.outcome, record.tried) == ("aborted", False)  # as the drive recorded it


def test_a_confirmed_fault_without_evidence_needs_the_symptom_reproduced(station):
    flow = claim_on(station, PASSES)
    assert flow.diagnosis.problem("confirmed", "").startswith("diagnosis note: nothing recorded shows the fault")
    flow.diagnosis.conclude("confirmed", "freezes after 4 minutes on the bench, as the customer said")
    assert (flow.claim.fault, flow.claim.fault_note) == (
        "confirmed",
        "freezes after 4 minutes on the bench, as the customer said",
    )


def test_the_read_test_never_reads_a_recording(bench):
    station = bench(station_lines=NV7000_FIGURES, training=True).station
    flow = claim_on(station, PASSES)
    with pytest.raises(Exception, match="the training bench's drives are recordings"):
        flow.diagnosis.run_read_test(False, lambda p, w: None, threading.Event())


def test_the_station_figures_count_no_fault_found_per_line(station):
    for device, fault, note in ((PASSES, "not_found", ""), (FAILS, "confirmed", "")):
        flow = claim_on(station, device)
        run_self_test(flow)
        flow.diagnosis.conclude(fault, note)
        flow.save("decision")
        flow.record_decision(flow.decide())
    figures = station.report(date(2000, 1, 1), date(2100, 1, 1))
    [nv7000] = [n for n in figures.no_fault_found if n.product_line == "NV7000"]
    assert (nv7000.decided, nv7000.no_fault, nv7000.share) == (2, 1, 0.5)


# -- the drive on the bench finds itself ------------------------------------------------------


async def test_the_smart_step_highlights_the_claimed_drive_by_its_serial(bench):
    from tests.tui_helpers import SIZE, wait_for
    from workbench.screens.home import HomeScreen
    from workbench.screens.smart import SmartScreen

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.flow = app.station.new_claim()
        app.flow.update(model="NV7000", capacity_gb="1000", serial="rn2024-0903 1tb207715")  # as a scanner may type it
        app.flow.save("smart")
        app.show_step("smart")
        await wait_for(pilot, lambda: isinstance(app.screen, SmartScreen) and app.screen.query("#smart-status"))
        status = app.screen.query_one("#smart-status")
        await wait_for(pilot, lambda: "has the claimed serial" in str(status.render()), timeout=30)
        table = app.screen.query_one("#drives")
        await wait_for(pilot, lambda: table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == PASSES)
        assert f"{PASSES} has the claimed serial RN202409031TB207715" in str(status.render())


def bench_listing(tmp_path, device: str):
    """A smartctl stand-in whose bench also lists `device` (this computer's disk), as a live
    smartctl would list it."""
    import shutil
    import sys

    from workbench.inspection.smartctl import resolve_recording

    recordings = tmp_path / "bench-recordings"
    shutil.copytree(resolve_recording("demo"), recordings)
    with (recordings / "scan-open.txt").open("a") as scan:
        scan.write(f"{device} -d sat # {device} [SAT], ATA device\n")
    script = tmp_path / "smartctl-own"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench.inspection.fake_smartctl {recordings} "$@"\n')
    script.chmod(0o755)
    return script


def this_computers_disk():
    from workbench.inspection.bench_drives import list_disks

    own = [d for d in list_disks() if d.own_disk]
    if not own:
        pytest.skip("this machine's root is on no disk (overlay or tmpfs)")
    return own[0]


async def test_the_bench_computers_own_disk_is_marked_and_cannot_be_read(bench, tmp_path):
    from tests.tui_helpers import SIZE, wait_for
    from workbench.screens.home import HomeScreen
    from workbench.screens.smart import SmartScreen

    disk = this_computers_disk()
    config = tmp_path / "workbench.toml"  # the bench fixture's station file: its smartctl lists the disk too
    stand_in = bench_listing(tmp_path, disk.smartctl_device)
    config.write_text(config.read_text().replace(f'"{tmp_path}/smartctl"', f'"{stand_in}"'))
    app = bench()
    drives = app.station.drives()
    [mine] = [d for d in drives if d.device == disk.smartctl_device]
    assert mine.own_disk == disk.own_reason
    assert app.station.claimed_drive(drives, disk.serial or "X") != disk.smartctl_device
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.flow = app.station.new_claim()
        app.flow.update(model="NV7000", capacity_gb="2000", serial="RN202406182TB104233")
        app.flow.save("smart")
        app.show_step("smart")
        await wait_for(pilot, lambda: isinstance(app.screen, SmartScreen) and app.screen.query("#drives"))
        await wait_for(pilot, lambda: app.screen.query_one("#drives").row_count == len(drives))
        table = app.screen.query_one("#drives")
        assert str(table.get_row(disk.smartctl_device)[2]) == f"this computer's disk ({disk.own_reason})"
        table.move_cursor(row=table.get_row_index(disk.smartctl_device))
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.flow.claim.drive is None and not app.screen._reading


async def test_at_the_counter_a_short_self_test_finds_no_fault_and_the_ticket_says_so(bench):
    """Issue 20, done when: the claimed drive highlighted by its serial, a short self-test with
    its progress bar to "completed without error", no fault found, NOT COVERED citing the
    opening paragraph, and the ticket says so."""
    from tests.tui_helpers import NOT_FOUND, SIZE, drive_chosen, screen_text, wait_for
    from workbench.screens.counterfeit import CounterfeitScreen
    from workbench.screens.decision import DecisionScreen
    from workbench.screens.diagnosis import DiagnosisScreen
    from workbench.screens.home import HomeScreen
    from workbench.screens.smart import SmartScreen
    from workbench.screens.ticket import TicketScreen

    app = bench(station_lines=NV7000_FIGURES)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.flow = app.station.new_claim()
        app.flow.update(
            customer_name="Li Wei",
            model="NV7000",
            capacity_gb="1000",
            serial="RN202409031TB207715",
            proof_of_purchase=True,
            purchase_date="2025-01-10",
            failure_description="Freezes after a few minutes",
            data_acknowledged=True,
        )
        app.flow.save("smart")
        app.show_step("smart")
        await wait_for(pilot, lambda: isinstance(app.screen, SmartScreen) and app.screen.query("#drives"))
        await drive_chosen(pilot)  # highlighted by its serial: /dev/nvme3
        await wait_for(pilot, lambda: app.flow.claim.drive is not None and app.flow.claim.drive.device == PASSES)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, CounterfeitScreen) and app.screen.findings is not None)
        await pilot.press("enter", "ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, DiagnosisScreen))
        await wait_for(pilot, lambda: app.flow.diagnosis.findings is not None)
        await wait_for(pilot, lambda: "Nothing in SMART points at the drive" in words(screen_text(app)))
        await pilot.press("s")
        bar = app.screen.query_one("#test-progress")
        await wait_for(pilot, lambda: bar.display and bar.progress > 0)  # the drive's own figure
        await wait_for(pilot, lambda: "✔ Short self-test: completed without error" in words(screen_text(app)))
        assert not bar.display
        await pilot.press(*NOT_FOUND, "ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        assert app.screen.decision.verdict == "not_covered"
        [reason] = app.screen.decision.reasons
        assert (reason.code, reason.clause.ref) == ("no_fault_found", "Warranty Policy, opening paragraph")
        assert "Warranty Policy, opening" in words(screen_text(app))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        await wait_for(pilot, lambda: "No fault found after a short self-test" in words(screen_text(app)))


async def test_escape_asks_then_stops_the_self_test_on_the_drive(bench):
    from tests.tui_helpers import SIZE, wait_for
    from workbench.screens.ask import Ask
    from workbench.screens.diagnosis import DiagnosisScreen
    from workbench.screens.home import HomeScreen

    app = bench(station_lines=NV7000_FIGURES)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.flow = claim_on(app.station, ABORTS, serial="QBT9M21004217")
        app.show_step("diagnosis")
        await wait_for(pilot, lambda: isinstance(app.screen, DiagnosisScreen) and app.screen.query("#conclusion"))
        await wait_for(pilot, lambda: app.flow.diagnosis.findings is not None)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen._test_running == "self_test")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DiagnosisScreen) and app.screen._test_running is None)
        [test] = app.station.case(app.flow.number).diagnosis_tests
        assert test.outcome == "aborted"
        assert isinstance(app.screen, DiagnosisScreen)  # Escape stopped the test, not the step
