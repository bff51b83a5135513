"""Every figure in the bundled policy against the research note's table, written down
independently in tests/data/sourced_figures.csv (from shared/notes/netac-catalog.md,
"Figures with sources"): a figure in one and not the other, or a different value, fails.

The research of this session found no public source for any Netac warranty period or TBW
(the searches are listed in the note), so both are empty today; the day a sourced figure is
added to policy/netac_warranty.toml it must be added to the table too, and a claim on that
product must then be `covered` through `workbench assess` with the sourced limits."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from policy import anniversary, load_policy

TABLE = Path(__file__).parent / "data" / "sourced_figures.csv"


def expected() -> dict[tuple[str, int], tuple[float | None, int | None, str]]:
    with TABLE.open(newline="", encoding="utf-8") as handle:
        return {
            (row["line"], int(row["capacity_gb"])): (
                float(row["tbw_tb"]) if row["tbw_tb"] else None,
                int(row["warranty_years"]) if row["warranty_years"] else None,
                row["source"],
            )
            for row in csv.DictReader(handle)
        }


def bundled() -> dict[tuple[str, int], tuple[float | None, int | None, str]]:
    return {
        (p.line, p.capacity_gb): (
            None if p.tbw_tb is None else float(p.tbw_tb),
            p.warranty_years,
            p.figure_source or "",
        )
        for p in load_policy().catalog.products
        if p.tbw_tb is not None or p.warranty_years is not None
    }


def test_the_bundled_figures_are_exactly_the_sourced_ones():
    with TABLE.open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "line,capacity_gb,tbw_tb,warranty_years,source"
    table, policy = expected(), bundled()
    assert set(policy) == set(table), "a figure in the policy without a row in the sourced table, or the reverse"
    for key, (tbw, years, source) in table.items():
        assert policy[key][:2] == (tbw, years), key
        assert source, f"{key}: the table's row has no source"


@pytest.mark.parametrize("key", sorted(k for k, (tbw, years, _) in expected().items() if tbw and years))
def test_a_claim_on_each_sourced_product_is_covered_with_the_sourced_limits(key):
    line, capacity = key
    tbw, years, _ = expected()[key]
    purchase = date(2025, 3, 1)
    claim = {
        "claim_date": "2026-11-24",
        "model": line,
        "capacity_gb": capacity,
        "serial": "RN202406182TB104233",
        "purchase_date": purchase.isoformat(),
        "manufacture_date": None,
        "failure_description": "Not detected",
        "inspection": {},
        "counterfeit": False,
        "host_bytes_written": 10**12,
        "fault": "confirmed",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "assess",
            "--policy",
            str(Path(__file__).parents[1] / "policy" / "netac_warranty.toml"),
            "-",
        ],
        input=json.dumps(claim),
        capture_output=True,
        text=True,
        timeout=60,
    )
    decided = json.loads(done.stdout)
    assert decided["verdict"] == "covered"
    assert decided["warranty"]["last_day"] == (anniversary(purchase, years) - timedelta(days=1)).isoformat()
    assert decided["tbw"]["limit_bytes"] == round(tbw * 10**12)
