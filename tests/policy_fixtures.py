"""A policy with figures filled in, as a station with Netac's checked table would have.

The bundled catalog leaves unsourced figures out; the rules are tested on this copy.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from policy import Catalog, Claim, Product, load_policy

BUNDLED = load_policy()
NV7000_2TB = Product(
    line="NV7000",
    model="NV7000",
    capacity_gb=2000,
    interface="NVMe",
    tbw_tb=1200,
    warranty_years=5,
    identity=None,
    sources=("test figures",),
)
N535S_240 = dataclasses.replace(
    NV7000_2TB,
    line="N535S",
    model="N535S",
    capacity_gb=240,
    interface="SATA",
    tbw_tb=120,
    warranty_years=3,
)
NO_TBW = dataclasses.replace(N535S_240, capacity_gb=480, tbw_tb=None)
POLICY = dataclasses.replace(BUNDLED, catalog=Catalog([NV7000_2TB, N535S_240, NO_TBW]))
TB = 10**12

# Any field not named in a test is that of a claim that is covered.
GOOD = dict(
    claim_date=date(2026, 11, 24),
    model="NV7000",
    capacity_gb=2000,
    serial="RN202303092TB677720",
    purchase_date=date(2025, 1, 10),
    manufacture_date=None,
    failure_description="Not detected by BIOS",
    inspection=frozenset(),
    counterfeit=False,
    host_bytes_written=2_535_750_144_000,
    fault="confirmed",  # the diagnosis shows the failure on the drive
)


def claim(**changes) -> Claim:
    return Claim(**{**GOOD, **changes})
