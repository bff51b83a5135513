"""`workbench audit verify` over a station's trail at 1,000,000 cases.

    .venv/bin/python benchmarks/bench_audit.py [CASES] [--keep FILE]

Seeds CASES (default 1,000,000) handed-back cases into a fresh SQLite file through the
migrated schema, each with what a case at the counter has: two inspection items, a SMART
readout (2 KB of raw output), two counterfeit findings, a decision, a ticket and a hand-back,
and its seven audit entries carrying what the store's entries carry (the chain's links, the
rows' digests). Then runs `workbench audit verify` in a child process and reports its time and
peak memory (the child's maximum resident set).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from db import open_store
from db.audit import GENESIS, entry_hash
from db.audit_rows import case_digest, decision_digest, finding_digest, sha256_text

RAW = bytes(range(256)) * 8  # smartctl's output, 2 KB


def _text(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def seed(path: Path, count: int) -> int:
    """Returns the number of audit entries written."""
    db = sqlite3.connect(path)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    prev, entry_id = GENESIS, 0
    tables: dict[str, list[tuple[object, ...]]] = {}

    def add(table: str, *values: object) -> None:
        tables.setdefault(table, []).append(values)

    def flush() -> None:
        for table, rows in tables.items():
            marks = ",".join("?" * len(rows[0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        tables.clear()

    for i in range(1, count + 1):
        at = start + timedelta(seconds=i * 90)
        number = f"SZ01-2021-{i:07d}"
        fields = {"serial": f"RN{i:015d}", "customer_name": f"Customer {i}", "model": "NV7000", "capacity_gb": "2000"}
        case = SimpleNamespace(
            number=number,
            station="SZ01",
            technician="ana",
            created_at=at.replace(tzinfo=None),
            status="handed_back",
            fields=json.dumps(fields, sort_keys=True),
            serial=fields["serial"],
            customer_name=fields["customer_name"],
            customer_key=fields["customer_name"].casefold(),
            model="NV7000",
            verdict="not_covered",
            capacity_gb=2000,
            product_line="NV7000",
            reasons="exclusion.3",
            tbw_used=0.5,
            power_on_hours=812,
            decided_at=at.replace(tzinfo=None),
            override_by=None,
            reviewed_by=None,
            handed_back_at=at.replace(tzinfo=None),
            days_to_hand_back=1.5,
            shipment_id=None,
        )
        add(
            "case_record",
            i,
            number,
            "SZ01",
            2021,
            i,
            "handed_back",
            "ticket",
            "ana",
            _text(at),
            case.fields,
            case.serial,
            case.customer_name,
            case.model,
            case.verdict,
            _text(at),
            case.customer_key,
            2000,
            "NV7000",
            "exclusion.3",
            0.5,
            812,
            _text(at),
            None,
            None,
            _text(at),
            1.5,
            None,
        )
        readout = json.dumps({"power_on_hours": 812, "host_bytes_written": 600 * 10**12}, sort_keys=True)
        decision = SimpleNamespace(
            case_id=i,
            technician="ana",
            verdict="not_covered",
            remedy=None,
            decision='{"verdict": "not_covered"}',
            policy_id="netac",
            policy_sha256=None,
            override_verdict=None,
            override_by=None,
            override_reason=None,
            review_request=None,
        )
        findings = [
            SimpleNamespace(batch=1, check=c, severity="pass", message="as expected", evidence="{}", confirmed=None)
            for c in ("identity", "prior_claims")
        ]
        payload = f"NW2{i:0245d}"
        for k, item in enumerate(("physical_or_liquid_damage", "electrical_damage")):
            add("inspection_item", 2 * i + k - 1, i, item, k == 0, "", _text(at))
        add("smart_snapshot", i, i, _text(at), "/dev/nvme0", readout, RAW, 600 * 10**12)
        for k, f in enumerate(findings):
            add("counterfeit_finding", 2 * i + k - 1, i, 1, f.check, f.severity, f.message, f.evidence, None, _text(at))
        add(
            "decision",
            i,
            i,
            _text(at),
            "ana",
            "not_covered",
            None,
            decision.decision,
            "netac",
            None,
            None,
            None,
            None,
            None,
        )
        add("ticket", i, i, _text(at), payload, "none", "queued", 0, None, None)
        add("hand_back", i, i, _text(at), "ana", "Customer", True, fields["serial"], False, None)
        row = case_digest(case)
        details = [
            ("case_created", {"fields": fields, "step": "intake"}),
            (
                "inspection_recorded",
                {
                    "items": [
                        {"key": "physical_or_liquid_damage", "finding": True, "note": ""},
                        {"key": "electrical_damage", "finding": False, "note": ""},
                    ]
                },
            ),
            (
                "smart_recorded",
                {
                    "snapshot": i,
                    "device": "/dev/nvme0",
                    "serial": fields["serial"],
                    "host_bytes_written": 600 * 10**12,
                    "raw_output_sha256": sha256_text(RAW),
                    "readout_sha256": sha256_text(readout),
                },
            ),
            (
                "findings_recorded",
                {
                    "batch": 1,
                    "findings": [
                        {"check": f.check, "severity": f.severity, "confirmed": None, "row": finding_digest(f)}
                        for f in findings
                    ],
                },
            ),
            ("decided", {"decision": i, "row": decision_digest(decision), "verdict": "not_covered"}),
            ("ticket_issued", {"ticket": i, "printer": "none", "payload_sha256": sha256_text(payload)}),
            (
                "handed_back",
                {
                    "collected_by": "Customer",
                    "id_checked": True,
                    "id_check_reason": None,
                    "drive": fields["serial"],
                    "by_ticket": False,
                },
            ),
        ]
        for action, detail in details:
            entry_id += 1
            text = json.dumps({**detail, "case_row": row}, sort_keys=True, ensure_ascii=False, default=str)
            prev_hash, prev = prev, entry_hash(prev, entry_id, at, "ana", "SZ01", number, action, text)
            add("audit_entry", entry_id, _text(at), "ana", "SZ01", number, action, text, prev_hash, prev)
        if i % 20_000 == 0:
            flush()
    flush()
    db.execute("UPDATE audit_head SET last_id = ?, last_hash = ?", (entry_id, prev))
    db.commit()
    db.close()
    return entry_id


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    folder = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    path = Path(keep) if keep else folder / "cases.db"
    url = f"sqlite:///{path}"
    open_store(url, station_id="SZ01", technician="bench").engine.dispose()
    t = time.perf_counter()
    entries = seed(path, count)
    print(
        f"seeded {count:,} cases, {entries:,} entries in {time.perf_counter() - t:.0f} s; {path.stat().st_size / 1e6:.0f} MB"
    )
    env = {**os.environ, "WORKBENCH_DATABASE_URL": url, "XDG_DATA_HOME": str(folder)}
    env.pop("WORKBENCH_CONFIG", None)
    t = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "audit", "verify"], env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"audit verify: {took:.1f} s, peak {peak:.0f} MB: {result.stdout.strip() or result.stderr.strip()}")
    if not keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
