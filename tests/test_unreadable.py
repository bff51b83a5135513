"""`u` (the drive cannot be read) after reading the wrong drive: that reading is set aside,
kept as evidence with who and why, and feeds neither the checks nor the decision."""

from __future__ import annotations

from workbench.words.case_text import case_lines

INTAKE = dict(
    customer_name="Li Wei",
    model="NV7000",
    capacity_gb="2000",
    serial="RN202406182TB104233",
    purchase_date="2025-01-10",
    failure_description="dead",
    data_acknowledged=True,
)


def test_unreadable_sets_the_wrong_drives_reading_aside(bench):
    app = bench()
    station = app.station
    flow = station.new_claim()
    flow.update(**INTAKE)
    flow.save("smart")
    flow.record_smart(station.read_drive("/dev/nvme1"))  # the relabelled fake on the bench: the wrong drive
    assert [f.severity for f in flow.counterfeit_findings()].count("high") >= 2
    flow.record_unreadable("the claimed drive does not answer; nvme1 was read by mistake")
    flow.save()

    resumed = station.resume(flow.number)  # as the next step (or a resumed draft) sees it
    assert resumed.latest_readout() is None and resumed.claim.host_bytes_written is None
    findings = resumed.counterfeit_findings()
    assert "high" not in [f.severity for f in findings]
    assert resumed.decide().verdict == "needs_review"  # TBW unverified, never the fake's figures
    view = station.case(flow.number)
    assert len(view.snapshots) == 1  # still in the evidence
    text = "\n".join(case_lines(view))
    assert "SET ASIDE (drive recorded as unreadable by ana: the claimed drive does not answer" in text
