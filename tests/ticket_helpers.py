"""A station configuration and a decided case for the ticket tests."""

from __future__ import annotations

from pathlib import Path

from tests.db_helpers import CLAIM_FIELDS, new_store
from workbench.config import load_config

DECISION = {
    "verdict": "not_covered",
    "remedy": None,
    "warranty": {"basis": "purchase", "start": "2025-01-10", "last_day": None, "years": None},
    "tbw": {"limit_bytes": None, "written_bytes": 7, "exceeded": None},
    "reasons": [{"code": "exclusion.3", "text": "Exclusion 3: Warranty sticker torn or removed."}],
    "policy": "netac-warranty 2024.1",
}


def station_config(tmp_path: Path, extra: str = "", station: str = "SZ01"):
    path = tmp_path / f"{station}.toml"
    path.write_text(
        f'[station]\nid = "{station}"\nname = "Shenzhen Futian"\nsupervisors = ["chen"]\n'
        f'[ticket]\nkey_file = "{tmp_path / station}-key.pem"\n' + extra
    )
    return load_config(path)


def decided_case(tmp_path: Path, **fields):
    store = new_store(tmp_path)
    number = store.create_case({**CLAIM_FIELDS, **fields}).number
    store.record_decision(number, DECISION, "netac-warranty 2024.1")
    return store, number
