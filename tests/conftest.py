"""Fixtures shared by the test modules."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import db.clock
import workbench.config
from tests.as_station import take_as_station_file
from tests.tui_helpers import TODAY
from workbench.app import WorkbenchApp
from workbench.config import load_config
from workbench.door import counter_date


@pytest.fixture
def bench(tmp_path, monkeypatch):
    """Environment for a WorkbenchApp: returns a function making one. Its bench's smartctl is a
    program that answers as the demo drives would (a real child process, as at a station)."""
    config = tmp_path / "workbench.toml"
    config.write_text(
        '[station]\nid = "SZ01"\nname = "Shenzhen Futian"\nsupervisors = ["chen", "wang"]\n'
        f'[ticket]\nkey_file = "{tmp_path}/key.pem"\n[printer]\nkind = "none"\n'
        f'[smart]\nsmartctl = "{demo_smartctl(tmp_path)}"\nself_test_poll_seconds = 0.1\n'
    )
    # A fixed station key: Ed25519 signs deterministically, so the ticket's QR is the same each run.
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    take_as_station_file(monkeypatch)  # its supervisors and policy: the station's own (subprocesses: tests.as_station)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # error logs stay in the test's folder
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path}/cases.db")
    # Where the stand-in smartctl keeps each drive's place in a self-test's story: the test's own.
    monkeypatch.setenv("WORKBENCH_FAKE_SMARTCTL_STATE", str(tmp_path / "smartctl-state"))
    monkeypatch.setattr(workbench.config, "login_user", lambda: "ana")
    monkeypatch.setattr(counter_date, "today", lambda: TODAY)
    clock = iter(range(10**6))
    monkeypatch.setattr(
        db.clock, "utcnow", lambda: datetime(2026, 11, 24, 9, 30, tzinfo=UTC).replace(microsecond=next(clock))
    )

    def make(station_lines: str = "", **kwargs) -> WorkbenchApp:
        """`station_lines`: product lines (TOML) the station adds to its copy of the policy."""
        if station_lines:
            policy = tmp_path / "policy.toml"
            policy.write_text(resources.files("policy").joinpath("netac_warranty.toml").read_text() + station_lines)
            with config.open("a") as out:
                out.write(f'[policy]\nfile = "{policy}"\n')
        return WorkbenchApp(load_config(), **kwargs)

    return make


def demo_smartctl(folder: Path) -> Path:
    """A smartctl program that answers from the demo recordings, as the drives would."""
    script = folder / "smartctl"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench.inspection.fake_smartctl demo "$@"\n')
    script.chmod(0o755)
    return script
