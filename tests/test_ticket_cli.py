"""`workbench ticket key|print|show|verify` as a station manager or a dealer runs them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.db_helpers import sqlite_url
from tests.ticket_helpers import decided_case, station_config


@pytest.fixture
def station(tmp_path):
    store, number = decided_case(tmp_path)
    station_config(tmp_path)  # writes SZ01.toml with its key file
    env = {
        **os.environ,
        "WORKBENCH_CONFIG": str(tmp_path / "SZ01.toml"),
        "WORKBENCH_DATABASE_URL": sqlite_url(tmp_path / "cases.db"),
    }

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tests.as_station", "ticket", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    return run, store, number


def test_print_show_and_verify_a_ticket(station):
    run, store, number = station
    printed = run("print", number.lower())
    assert printed.returncode == 0 and "no printer is configured" in printed.stdout  # kept, said so: no failure
    payload = store.get_case(number).tickets[0].payload
    shown = run("show", number)
    assert shown.returncode == 0 and f"Case {number}" in shown.stdout and "█" in shown.stdout
    good = run("verify", stdin=payload + "\n")
    assert good.returncode == 0 and good.stdout.startswith("GOOD: genuine ticket signed by station SZ01; matches case")
    forged = run("verify", payload[:-1] + str((int(payload[-1]) + 1) % 10))  # the signature's last digit
    assert forged.returncode == 1 and forged.stdout.startswith("NOT GENUINE: the signature does not match")
    assert run("key").stdout.startswith('SZ01 = "')


@pytest.mark.parametrize(
    "args, stdin, line",
    [
        (("verify", "hello"), None, "ticket: not a workbench ticket"),
        (("verify",), "", "ticket: not a workbench ticket"),
        (("show", "SZ01-1999-000001"), None, "case SZ01-1999-000001: no such case"),
        (("print", "SZ01-1999-000001"), None, "case SZ01-1999-000001: no such case"),
    ],
)
def test_bad_input_is_one_line(station, args, stdin, line):
    run, _, _ = station
    result = run(*args, stdin=stdin)
    assert result.returncode in (1, 2) and line in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
