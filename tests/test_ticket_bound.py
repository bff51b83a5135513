"""Tickets bound to their station, in one spelling, with words that agree with the exit status
(probe findings M5 and L7); and the station's key, which verifying never creates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from policy import load_policy
from tests.db_helpers import sqlite_url
from tests.test_ticket_sign import NW1_TICKET, fixed_key_station
from tests.ticket_helpers import DECISION, decided_case, station_config
from workbench.errors import InputError, WorkbenchError
from workbench.ticket.issue import issue_ticket, verify_ticket
from workbench.ticket.keys import key_path, public_key_text, station_key
from workbench.ticket.payload import TicketFacts, signed_text


def verify_cli(config_path: Path, text: str, db: Path | None = None):
    env = {**os.environ, "WORKBENCH_CONFIG": str(config_path)}
    env.pop("WORKBENCH_DATABASE_URL", None)
    if db is not None:
        env["WORKBENCH_DATABASE_URL"] = sqlite_url(db)
    return subprocess.run(
        [sys.executable, "-m", "tests.as_station", "ticket", "verify", *([] if db else ["--offline"]), text],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_a_trusted_station_cannot_sign_for_another_stations_cases(tmp_path):
    """M5: BJ02's key signs a ticket for a LOCAL case number: refused, exit 1, NOT GENUINE."""
    bj02 = station_config(tmp_path, station="BJ02")
    local = station_config(
        tmp_path,
        f'[ticket.trusted_keys]\nBJ02 = "{public_key_text(station_key(bj02).public_key())}"\n',
        station="LOCAL",
    )
    forged = signed_text(
        TicketFacts(
            "LOCAL-2026-000999",
            "BJ02",
            "2026-11-24",
            "NV7000",
            "2000",
            "RN1",
            "covered",
            "repair_or_replace",
            "netac-warranty 2024.1",
        ),
        station_key(bj02),
    )
    result = verify_ticket(forged, local)
    assert (result.status, result.verdict_word) == ("wrong_station", "NOT GENUINE")
    done = verify_cli(local.station_file, forged)
    assert done.returncode == 1 and done.stdout.startswith("NOT GENUINE: case LOCAL-2026-000999 is station LOCAL's")


def test_this_stations_ticket_for_a_case_not_on_record_is_never_good(tmp_path):
    config = station_config(tmp_path)
    store, number = decided_case(tmp_path)
    ticket = issue_ticket(store, number, config, load_policy()).qr_text
    assert verify_cli(config.station_file, ticket, tmp_path / "cases.db").stdout.startswith("GOOD: ")
    store.engine.dispose()
    older = tmp_path / "older.db"  # the records restored from a backup taken before the case
    done = verify_cli(config.station_file, ticket, older)
    assert done.returncode == 1 and done.stdout.startswith("NOT ON RECORD: signed by this station, but case")


def test_words_agree_with_the_exit_status_when_the_record_changed(tmp_path):
    config = station_config(tmp_path)
    store, number = decided_case(tmp_path)
    ticket = issue_ticket(store, number, config, load_policy()).qr_text
    # A supervisor's override after the ticket was given: the record no longer says what it says.
    store.record_decision(number, DECISION, "netac-warranty 2024.1", {"verdict": "covered", "reason": "re-examined"})
    done = verify_cli(config.station_file, ticket, tmp_path / "cases.db")
    assert done.returncode == 1 and done.stdout.startswith("CHANGED: ") and "GOOD" not in done.stdout


@pytest.mark.parametrize(
    "spelling",
    [
        lambda t: t + "==",  # padding
        lambda t: t[:-1] + {"w": "x", "x": "w"}.get(t[-1], "w"),  # other padding bits in the last character
        lambda t: t.replace("_", "/").replace("-", "+"),  # the other base64 alphabet
        lambda t: t + "A",
    ],
)
def test_an_nw1_signature_has_one_spelling(tmp_path, spelling):
    """L7: the same signature bytes written another way are refused as not a ticket (exit 2)."""
    config = fixed_key_station(tmp_path)
    assert verify_ticket(NW1_TICKET, config).good
    altered = spelling(NW1_TICKET)
    assert altered != NW1_TICKET
    try:
        result = verify_ticket(altered, config)
    except InputError:
        return
    assert not result.good  # a character that changes the signature's bytes fails the signature


def test_verifying_never_creates_a_key(tmp_path):
    config = station_config(tmp_path)
    assert not key_path(config).exists()
    done = verify_cli(config.station_file, NW1_TICKET)
    assert done.returncode == 1 and done.stdout.startswith("NOT GENUINE: station SZ01 is not among")
    assert not key_path(config).exists()


def test_the_key_lives_beside_the_station_database(tmp_path, monkeypatch):
    path = tmp_path / "station.toml"
    path.write_text(
        '[station]\nid = "SZ01"\n[database]\nurl = "' + sqlite_url(tmp_path / "shared" / "cases.db") + '"\n'
    )
    monkeypatch.delenv("WORKBENCH_DATABASE_URL", raising=False)
    from workbench.config import load_config

    assert key_path(load_config(path)) == tmp_path / "shared" / "station-ticket-key.pem"


def test_an_unreadable_key_says_which_permission_is_missing(tmp_path):
    """As another login (nobody), a key only root may read: one line naming owner, group and mode."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to act as another login")
    folder = Path(tempfile.mkdtemp(prefix="workbench-key-"))
    try:
        folder.chmod(0o755)
        config = station_config(folder)
        station_key(config)  # made by root, for root only
        env = {**os.environ, "WORKBENCH_CONFIG": str(config.station_file), "HOME": str(folder)}
        env.pop("WORKBENCH_DATABASE_URL", None)
        done = subprocess.run(
            [
                "setpriv",
                "--reuid",
                "nobody",
                "--regid",
                "nogroup",
                "--clear-groups",
                sys.executable,
                "-m",
                "tests.as_station",
                "ticket",
                "key",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        assert (
            f"key {folder}/SZ01-key.pem cannot be read: it is root:root mode 0600, and nobody is not in its group root"
        ) in done.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_damaged_key_is_one_line(tmp_path):
    config = station_config(tmp_path)
    key_path(config).write_text("not a key")
    with pytest.raises(WorkbenchError, match="is damaged: not a PEM private key"):
        station_key(config)
