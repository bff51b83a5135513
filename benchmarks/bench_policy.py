"""Claims per second through the policy engine on one core.

    .venv/bin/python benchmarks/bench_policy.py [N]

Assesses N (default 100,000) varied claims, parsed once beforehand, and also times
parse + assess from the contract's JSON-shaped input. Target: well over 50,000 claims/s.
"""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from datetime import date, timedelta

from policy import EXCLUSION_KEYS, FAULTS, Catalog, assess, load_policy, parse_claim


def station_policy():
    """The bundled policy with figures filled in, so every rule is exercised."""
    base = load_policy()
    products = [
        dataclasses.replace(p, warranty_years=p.warranty_years or 3, tbw_tb=p.tbw_tb or p.capacity_gb // 2)
        for p in base.catalog.products
    ]
    return dataclasses.replace(base, catalog=Catalog(products))


def claims(n: int, rng: random.Random) -> list[dict]:
    models = [("NV7000", 2000), ("N535S", 240), ("NV3000", 1000), ("XX1", 128)]
    out = []
    for _ in range(n):
        model, capacity = rng.choice(models)
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        out.append(
            {
                "claim_date": "2026-11-24",
                "model": model,
                "capacity_gb": capacity,
                "serial": rng.choice(["", "RN202303092TB677720"]),
                "purchase_date": start.isoformat() if rng.random() < 0.8 else None,
                "manufacture_date": (start - timedelta(days=30)).isoformat(),
                "failure_description": "not detected",
                "inspection": {k: True for k in EXCLUSION_KEYS if rng.random() < 0.05},
                "counterfeit": rng.random() < 0.02,
                "host_bytes_written": rng.randrange(0, 2 * 10**15) if rng.random() < 0.9 else None,
                "fault": rng.choices(FAULTS, weights=(8, 1, 1))[0],
            }
        )
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    policy = station_policy()
    raw = claims(n, random.Random(1))
    parsed = [parse_claim(c) for c in raw]

    start = time.perf_counter()
    verdicts = [assess(c, policy).verdict for c in parsed]
    assess_s = time.perf_counter() - start

    start = time.perf_counter()
    for c in raw:
        assess(parse_claim(c), policy)
    both_s = time.perf_counter() - start

    print(f"claims: {n:,}  verdicts: " + ", ".join(f"{v} {verdicts.count(v):,}" for v in sorted(set(verdicts))))
    print(f"assess only:        {n / assess_s:>10,.0f} claims/s  ({assess_s * 1e6 / n:.1f} us/claim)")
    print(f"parse + assess:     {n / both_s:>10,.0f} claims/s  ({both_s * 1e6 / n:.1f} us/claim)")
    print(
        f"target 50,000/s:    {n / assess_s / 50_000:.1f}x (assess only), {n / both_s / 50_000:.1f}x (parse + assess)"
    )


if __name__ == "__main__":
    main()
