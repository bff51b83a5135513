"""After the decision (issue 15): repair or replacement, hand-back, shipments to Netac, and
the earlier-claims check that a replaced serial now feeds."""

from __future__ import annotations

import subprocess
import sys

import pytest

from db.errors import StoreError
from tests.after_helpers import NEW_SERIAL, NV7000_FIGURES, SERIAL, decided_claim
from workbench.door.case_flow import NotASupervisor
from workbench.errors import InputError
from workbench.words.case_text import after_decision_lines


@pytest.fixture
def station(bench):
    return bench(station_lines=NV7000_FIGURES).station


def test_a_covered_case_is_replaced_and_handed_back_every_step_audited(station):
    flow = decided_claim(station)
    number = flow.number
    assert station.case(number).summary.verdict == "covered"
    assert flow.ticket_given() == "decided"  # repair or replacement is chosen next
    station.move(number, "awaiting_stock", "no NV7000 2TB on the shelf")
    station.record_replacement(number, "rn2025-1101 2tb000123", "NV7000", "2000")  # as a scanner may type it
    with pytest.raises(StoreError) as refused:
        station.record_hand_back(number, "Li Wei", True, "RN1")
    # What was scanned and what to do, never the serial expected (retyping it would pass).
    assert str(refused.value) == (
        f"drive out: the scanned drive RN1 is not the one of case {number}: find the case's drive and scan its serial label"
    )
    with pytest.raises(StoreError) as unscanned:
        station.record_hand_back(number, "Li Wei", True)
    assert NEW_SERIAL not in str(unscanned.value) and "2TB000123" not in str(unscanned.value)
    station.record_hand_back(number, "Li Wei", True, NEW_SERIAL)

    view = station.case(number)
    assert view.summary.status == "handed_back"
    assert (view.replacement.serial, view.replacement.model, view.replacement.capacity_gb) == (
        NEW_SERIAL,
        "NV7000",
        2000,
    )
    assert (view.hand_back.collected_by, view.hand_back.id_checked, view.hand_back.drive_serial) == (
        "Li Wei",
        True,
        NEW_SERIAL,
    )
    actions = [(a.action, a.actor) for a in view.audit][-4:]
    assert actions == [
        ("ticket_given", "ana"),
        ("state_changed", "ana"),
        ("replacement_recorded", "ana"),
        ("handed_back", "ana"),
    ]
    moved = view.audit[-3].detail
    assert (moved["from"], moved["to"], moved["note"]) == ("decided", "awaiting_stock", "no NV7000 2TB on the shelf")
    assert station.store.verify_audit().intact


def test_a_second_claim_on_a_replaced_serial_is_a_high_finding(station):
    first = decided_claim(station)
    first.ticket_given()
    station.record_replacement(first.number, NEW_SERIAL, "NV7000", "2000")

    second = station.new_claim()
    second.update(model="NV7000", capacity_gb="2000", serial=SERIAL.lower(), customer_name="Zhang San")
    second.save()
    [prior] = [f for f in second.counterfeit_findings() if f.check == "prior_claims"]
    assert prior.severity == "high"
    assert f"already replaced under case {first.number}" in prior.message
    assert second.supports_refusal([prior])
    # The replacement drive itself comes back as a claim of its own, not as a copy.
    third = station.new_claim()
    third.update(model="NV7000", capacity_gb="2000", serial=NEW_SERIAL)
    third.save()
    [fresh] = [f for f in third.counterfeit_findings() if f.check == "prior_claims"]
    assert fresh.severity == "pass"


def test_a_not_covered_drive_is_ready_at_once_and_handed_back(station):
    flow = decided_claim(station, inspection={"physical_or_liquid_damage": True})
    assert station.case(flow.number).summary.verdict == "not_covered"
    assert flow.ticket_given() == "ready"
    with pytest.raises(InputError, match="ID check reason: say why the collector's identity document was not checked"):
        station.record_hand_back(flow.number, "Li Wei's son", False)
    with pytest.raises(StoreError, match="ID check reason"):  # the records refuse it too, whoever writes
        station.store.record_hand_back(flow.number, "Li Wei's son", False, id_check_reason="  ")
    # Their own drive: nothing to scan.
    station.record_hand_back(flow.number, "Li Wei's son", False, id_check_reason="known to the station, ID at home")
    view = station.case(flow.number)
    assert view.summary.status == "handed_back" and view.hand_back.drive_serial == SERIAL
    assert not view.hand_back.id_checked and view.replacement is None
    assert view.hand_back.id_check_reason == "known to the station, ID at home"
    assert view.audit[-1].detail["id_check_reason"] == "known to the station, ID at home"
    assert "ID NOT checked: known to the station, ID at home" in "\n".join(after_decision_lines(view))
    assert station.store.verify_audit().intact


def test_the_states_refuse_what_the_counter_should_not_do(station):
    covered = decided_claim(station)
    number = covered.number
    with pytest.raises(StoreError, match="a covered case is ready for pickup once repaired or replaced"):
        station.move(number, "ready")
    with pytest.raises(StoreError, match="only a case ready for pickup is handed back"):
        station.record_hand_back(number, "Li Wei", True, SERIAL)
    with pytest.raises(StoreError, match="withdrawing the claim is no longer taken"):
        station.withdraw(number, "customer changed their mind")
    with pytest.raises(StoreError, match="is the failed drive's own serial"):
        station.record_replacement(number, SERIAL, "NV7000", "2000")
    burnt = decided_claim(station, serial="RN202303092TB677721", inspection={"electrical_damage": True})
    with pytest.raises(StoreError, match="only a covered case is repaired or replaced"):
        station.move(burnt.number, "awaiting_repair")
    station.move(number, "awaiting_repair")
    station.move(number, "ready", "controller reflowed by Netac")
    assert station.case(number).summary.status == "ready"
    with pytest.raises(StoreError, match="is ready .*the decision is no longer taken"):
        covered.record_decision(covered.decide())


def test_a_replacement_of_another_model_needs_a_supervisor_and_a_reason(station, monkeypatch):
    import workbench.config

    flow = decided_claim(station)
    with pytest.raises(InputError, match="substitution reason: the claim was for NV7000 2000 GB"):
        station.record_replacement(flow.number, "RN202511011TB000001", "NV7000", "1000")
    with pytest.raises(NotASupervisor):
        station.record_replacement(flow.number, "RN202511011TB000001", "NV7000", "1000", "no 2TB in stock")
    with pytest.raises(InputError, match="replacement model: NV9 2000 GB is not in the catalog"):
        station.record_replacement(flow.number, "RN202511012TB000001", "NV9", "2000")
    with pytest.raises(InputError, match="replacement serial: X1 does not have the format of the NV7000 line"):
        station.record_replacement(flow.number, "X1", "NV7000", "2000")
    with pytest.raises(InputError, match="replacement capacity"):
        station.record_replacement(flow.number, NEW_SERIAL, "NV7000", "2 TB")

    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")  # a supervisor of the station
    from workbench.config import load_config
    from workbench.door.case_flow import Station

    supervisor = Station(load_config())
    supervisor.record_replacement(flow.number, "RN202511011TB000001", "NV7000", "1000", "no 2TB in stock")
    r = supervisor.case(flow.number).replacement
    assert (r.capacity_gb, r.substitution_by, r.substitution_reason) == (1000, "chen", "no 2TB in stock")


def test_a_replacement_drive_goes_out_once(station):
    first, second = decided_claim(station), decided_claim(station, serial="RN202303092TB677799")
    station.record_replacement(first.number, NEW_SERIAL, "NV7000", "2000")
    with pytest.raises(StoreError, match=f"already went out as the replacement of case {first.number}"):
        station.record_replacement(second.number, NEW_SERIAL, "NV7000", "2000")
    with pytest.raises(StoreError, match=f"is a claimed drive \\(case {first.number}\\)"):
        station.record_replacement(second.number, SERIAL, "NV7000", "2000")


def test_a_withdrawn_claim_keeps_its_number_and_the_next_one_is_new(station):
    flow = station.new_claim()
    flow.update(customer_name="Li Wei")
    flow.save()
    with pytest.raises(InputError, match="reason: say why"):
        flow.withdraw("  ")
    flow.withdraw("typed by mistake: a stray n")
    view = station.case(flow.number)
    assert view.summary.status == "withdrawn"
    assert (
        view.audit[-1].action == "case_withdrawn" and view.audit[-1].detail["reason"] == "typed by mistake: a stray n"
    )
    assert station.drafts() == []
    later = station.new_claim()
    later.update(customer_name="Zhang San")
    later.save()
    assert later.number.endswith("000002")


def test_shipments_pack_the_failed_drives_with_a_packing_list(station):
    flows = [decided_claim(station, serial=f"RN202303092TB6777{i:02d}") for i in range(3)]
    for i, flow in enumerate(flows):
        station.record_replacement(flow.number, f"RN202511012TB0001{i:02d}", "NV7000", "2000")
    not_replaced = decided_claim(station, serial="RN202303092TB677750")
    assert [d.case_number for d in station.awaiting_shipment()] == [f.number for f in flows]
    with pytest.raises(StoreError, match="its drive was not replaced"):
        station.create_shipment([flows[0].number, not_replaced.number])

    shipment = station.create_shipment([f.number for f in flows], "SF1234567890")
    assert shipment.number == "SZ01-S2026-0001" and shipment.reference == "SF1234567890"
    assert [(d.case_number, d.serial, d.replaced_by) for d in shipment.drives] == [
        (f.number, f"RN202303092TB6777{i:02d}", f"RN202511012TB0001{i:02d}") for i, f in enumerate(flows)
    ]
    assert station.awaiting_shipment() == []
    with pytest.raises(StoreError, match="already in shipment SZ01-S2026-0001"):
        station.create_shipment([flows[0].number])
    assert [c.number for c in station.store.list_cases(status="sent")] == [f.number for f in reversed(flows)]
    assert station.case(flows[1].number).shipment == "SZ01-S2026-0001"


def workbench_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.as_station", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_the_command_line_follows_a_case_to_its_shipment(station):
    flow = decided_claim(station)
    flow.ticket_given()
    number = flow.number
    moved = workbench_cli("cases", "move", number, "--to", "awaiting_stock")
    assert moved.returncode == 0 and f"case {number}: awaiting replacement stock" in moved.stdout, moved.stderr
    bad = workbench_cli("cases", "replace", number, "--serial", "X1", "--model", "NV7000", "--capacity", "2000")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "workbench: replacement serial: X1 does not have the format of the NV7000 line"
    ]
    done = workbench_cli("cases", "replace", number, "--serial", NEW_SERIAL, "--model", "NV7000", "--capacity", "2000")
    assert done.returncode == 0 and "ready for pickup" in done.stdout
    listed = workbench_cli("cases", "list", "--status", "ready")
    assert number in listed.stdout and "ready for pickup" in listed.stdout
    unchecked = workbench_cli(
        "cases", "hand-back", number, "--collected-by", "Li Wei", "--id-checked", "no", "--drive", NEW_SERIAL
    )
    assert unchecked.returncode == 2
    assert unchecked.stderr.strip().splitlines() == [
        "workbench: ID check reason: say why the collector's identity document was not checked"
    ]
    back = workbench_cli(
        "cases",
        "hand-back",
        number,
        "--collected-by",
        "Li Wei",
        "--id-checked",
        "no",
        "--reason",
        "regular customer",
        "--drive",
        NEW_SERIAL,
    )
    assert back.returncode == 0 and "handed back" in back.stdout
    pending = workbench_cli("shipment", "pending")
    assert number in pending.stdout
    packed = workbench_cli("shipment", "new", number, "--reference", "SF1")
    assert packed.returncode == 0
    assert "Packing list SZ01-S2026-0001" in packed.stdout and f"{number}  NV7000" in packed.stdout
    csv_out = workbench_cli("shipment", "show", "SZ01-S2026-0001", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("shipment,case_number,model,capacity_gb,serial,replaced_by")
    assert csv_out[1].startswith(f"SZ01-S2026-0001,{number},NV7000,2000,{SERIAL},{NEW_SERIAL}")
    assert number in workbench_cli("cases", "list", "--status", "sent").stdout
    assert "ID NOT checked: regular customer" in workbench_cli("cases", "show", number).stdout
    verified = workbench_cli("audit", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("audit chain intact"), verified.stdout
