"""Claims decided as a station with Netac's figures would decide them, for the tests of what
comes after the decision (repair, replacement, hand-back, shipments, the station's figures)."""

from __future__ import annotations

from workbench.door.case_flow import CaseFlow, Station

# The station has entered Netac's figures for the NV7000 (the training bench's /dev/nvme0 is one).
NV7000_FIGURES = """
[station_figures.NV7000]
1000 = { tbw_tb = 600, warranty_years = 5, source = "test figures" }
2000 = { tbw_tb = 1200, warranty_years = 5, source = "test figures" }
"""
SERIAL = "RN202303092TB677720"  # the NV7000 line's serial format
NEW_SERIAL = "RN202511012TB000123"  # a replacement from stock, same line and capacity


def decided_claim(station: Station, *, serial: str = SERIAL, inspection: dict[str, bool] | None = None) -> CaseFlow:
    """A claim typed in, inspected, read (the training bench's NV7000) and decided."""
    flow = station.new_claim()
    flow.update(
        customer_name="Li Wei",
        customer_contact="138 0000 0000",
        model="NV7000",
        capacity_gb="2000",
        serial=serial,
        proof_of_purchase=True,
        purchase_date="2025-01-10",
        failure_description="Not detected by the BIOS",
        data_acknowledged=True,
        fault="confirmed",  # the diagnosis found the failure on the drive
    )
    flow.save("inspection")
    items = [(e.key, (inspection or {}).get(e.key, False), "") for e in station.exclusions()]
    flow.record_inspection(items)
    flow.save("smart")
    flow.record_smart(station.read_drive("/dev/nvme0"))
    flow.save("counterfeit")
    findings = flow.counterfeit_findings()
    flow.record_counterfeit(findings, not_genuine=False, note="")
    flow.save("decision")
    flow.record_decision(flow.decide())
    return flow
