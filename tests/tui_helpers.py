"""A bench for the TUI tests: its own station, database, clock and technician."""

from __future__ import annotations

from importlib import resources
from datetime import date, datetime, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import db.store
from workbench import case_flow
from workbench.app import WorkbenchApp
import workbench.config
from workbench.config import load_config

SIZE = (80, 24)
TODAY = date(2026, 11, 24)


@pytest.fixture
def bench(tmp_path, monkeypatch):
    """Environment for a WorkbenchApp: returns a function making one (training bench)."""
    config = tmp_path / "workbench.toml"
    config.write_text('[station]\nid = "SZ01"\nname = "Shenzhen Futian"\nsupervisors = ["chen", "wang"]\n'
                      f'[ticket]\nkey_file = "{tmp_path}/key.pem"\n[printer]\nkind = "none"\n')
    # A fixed station key: Ed25519 signs deterministically, so the ticket's QR is the same each run.
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # error logs stay in the test's folder
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{tmp_path}/cases.db")
    monkeypatch.setattr(workbench.config, "login_user", lambda: "ana")
    monkeypatch.setattr(case_flow, "today", lambda: TODAY)
    clock = iter(range(10**6))
    monkeypatch.setattr(db.store, "utcnow",
                        lambda: datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc).replace(microsecond=next(clock)))

    def make(station_lines: str = "", **kwargs) -> WorkbenchApp:
        """`station_lines`: product lines (TOML) the station adds to its copy of the policy."""
        if station_lines:
            policy = tmp_path / "policy.toml"
            policy.write_text(resources.files("policy").joinpath("netac_warranty.toml").read_text() + station_lines)
            with config.open("a") as out:
                out.write(f'[policy]\nfile = "{policy}"\n')
        return WorkbenchApp(load_config(), training=True, **kwargs)

    return make


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (workers, timers), or fail."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the workbench did not get there in time")


async def type_intake(pilot, *, serial: str = "RN202406182TB104233") -> None:
    """A claim's intake as a technician types it: Tab between fields, the scanner's Enter."""
    await pilot.press(*"Li Wei", "tab", *"138 0000 0000", "tab", *"NV7000", "tab", *"2000", "tab")
    await pilot.press(*serial, "enter")  # the barcode scanner's Enter moves on
    await pilot.press("tab", *"2025-01-10", "tab", *"2024-12-01", "tab", *"Not detected by the BIOS", "tab",
                      "space")


def screen_text(app) -> str:
    """What the screen shows, as plain lines (from Textual's own SVG screenshot)."""
    import html
    import re
    from collections import defaultdict

    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for match in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>',
                             app.export_screenshot()):
        rows[float(match.group(2))].append((float(match.group(1)), html.unescape(match.group(3))))
    return "\n".join("".join(t for _, t in sorted(row)).replace("\xa0", " ") for _, row in sorted(rows.items()))


async def new_claim(pilot) -> None:
    """From the start of the app to an empty intake form."""
    from workbench.screens.home import HomeScreen
    from workbench.screens.intake import IntakeScreen

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, IntakeScreen))


async def typed_to_inspection(pilot) -> None:
    """A new claim typed in at intake, now at the inspection step."""
    from workbench.screens.inspection import InspectionScreen

    await new_claim(pilot)
    await type_intake(pilot)
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))
