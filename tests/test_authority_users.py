"""Who may decide, with real login users (probe finding H1): two technicians and a supervisor
share one station database; authority follows the account, never a name typed or picked.

Run as root in a private mount namespace over a copy of /etc, so the users and groups made
here vanish with it (as tests/test_ssh_setup.py does). The supervisor is one by the Unix
group `netac-supervisors` that deploy/setup-ssh-station.sh add-supervisor puts them in.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from db import open_store
from tests.sshd_harness import SETUP_SCRIPT

CLAIM = r"""
import sys
from workbench.case_flow import NotASupervisor, Override, Station
from workbench.config import load_config

station = Station(load_config())
flow = station.new_claim()
flow.update(customer_name="Li Wei", model="NV7000", capacity_gb="2000", serial="RN202406182TB104233",
            purchase_date="2025-01-10", failure_description="dead", data_acknowledged=True)
flow.save("decision")
decision = flow.decide()
try:
    flow.record_decision(decision, Override("covered", "trust me"))
    print("OVERRIDDEN")
except NotASupervisor as exc:
    print(f"refused: {exc}")
flow.record_decision(decision, request=Override("covered", "the customer insists"))
open(sys.argv[1], "w").write(flow.number)
"""

SCENARIO = r"""
set -u
cp -a /etc "$T/etc" && mount --bind "$T/etc" /etc
groupadd technicians && groupadd netac-supervisors
for login in wbana wbbo wbchen; do useradd -M -N -g technicians "$login"; done
step() { local name="$1"; shift; "$@" > "$T/$name.out" 2> "$T/$name.err"; echo $? > "$T/$name.rc"; }
as() { local who="$1" name="$2"; shift 2; step "$name" setpriv --reuid "$who" --regid technicians --init-groups "$@"; }
# The station folder as setup-ssh-station.sh makes it: setgid, group technicians.
chgrp technicians "$T" && chmod 2777 "$T"
step add-supervisor "$SETUP" add-supervisor wbchen
as wbana claim "$PY" "$T/claim.py" "$T/number"
as wbbo bo-review "$PY" -m workbench cases review "$(cat "$T/number")" --verdict covered --reason "bo says so"
as wbbo bo-queue "$PY" -m workbench cases list --queue review
as wbchen chen-review "$PY" -m workbench cases review "$(cat "$T/number")" --verdict covered --reason "seen by chen"
as wbchen chen-queue "$PY" -m workbench cases list --queue review
as wbchen chen-print "$PY" -m workbench ticket print "$(cat "$T/number")"
as wbchen chen-ticket "$PY" -m workbench ticket show "$(cat "$T/number")" --text
for login in wbana wbbo wbchen; do
    as "$login" "$login-key" "$PY" -m workbench ticket key
    as "$login" "$login-verify" "$PY" -m workbench ticket verify "$(cat "$T/chen-ticket.out")"
done
stat -c '%a %U %G' "$T/station-ticket-key.pem" > "$T/key.mode"
"""


@pytest.fixture(scope="module")
def station():
    if os.geteuid() != 0:
        pytest.skip("real login users are made as root, in a private mount namespace")
    if not all(shutil.which(tool) for tool in ("unshare", "setpriv", "useradd")):
        pytest.skip("unshare, setpriv or useradd missing")
    folder = Path(tempfile.mkdtemp(prefix="workbench-users-"))
    folder.chmod(0o777)  # the station's shared folder: every technician writes the database here
    (folder / "claim.py").write_text(CLAIM)
    (folder / "workbench.toml").write_text(
        '[station]\nid = "SZ01"\nname = "Shenzhen Futian"\n[printer]\nkind = "none"\n'
    )
    # The shared database as deploy/setup-ssh-station.sh leaves it: writable by the technicians
    # (SQLite gives its -wal and -shm files the database file's mode).
    open_store(f"sqlite:///{folder}/cases.db", station_id="SZ01", technician="setup").engine.dispose()
    (folder / "cases.db").chmod(0o666)
    env = {
        **os.environ,
        "T": str(folder),
        "SETUP": str(SETUP_SCRIPT),
        "PY": sys.executable,
        "WORKBENCH_CONFIG": str(folder / "workbench.toml"),
        "WORKBENCH_DATABASE_URL": f"sqlite:///{folder}/cases.db",
        "HOME": str(folder),
    }
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "bash", "-c", SCENARIO],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0 and not (folder / "claim.rc").exists():
        pytest.skip(f"no private mount namespace here: {done.stderr.strip()}")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def step(folder: Path, name: str) -> tuple[int, str, str]:
    return (
        int((folder / f"{name}.rc").read_text()),
        (folder / f"{name}.out").read_text(),
        (folder / f"{name}.err").read_text(),
    )


def test_a_technician_cannot_override_and_asks_instead(station):
    rc, out, err = step(station, "claim")
    assert rc == 0, err
    assert out.startswith("refused: override the verdict: only a supervisor may do this, and wbana is not one")


def test_another_technician_cannot_resolve_the_review(station):
    rc, out, err = step(station, "bo-review")
    assert rc == 1 and out == ""
    assert err.count("\n") == 1 and "only a supervisor may do this, and wbbo is not one" in err
    rc, out, _ = step(station, "bo-queue")
    number = (station / "number").read_text()
    assert rc == 0 and out.startswith(number) and "wbana asks for covered: the customer insists" in out


def test_the_supervisor_resolves_it_and_the_audit_names_each_real_user(station):
    assert step(station, "add-supervisor")[0] == 0
    rc, out, err = step(station, "chen-review")
    number = (station / "number").read_text()
    assert rc == 0, err
    assert out.startswith(f"case {number}: covered, recorded as wbchen's verdict")
    assert step(station, "chen-queue")[1] == ""  # the queue is empty
    db = sqlite3.connect(station / "cases.db")
    decisions = db.execute(
        "select technician, verdict, override_verdict, override_by, review_request from decision order by id"
    ).fetchall()
    assert [(t, v, ov, by) for t, v, ov, by, _ in decisions] == [
        ("wbana", "needs_review", None, None),
        ("wbchen", "needs_review", "covered", "wbchen"),
    ]
    assert json.loads(decisions[0][4])["by"] == "wbana"
    actions = db.execute(
        "select actor, action from audit_entry where action in "
        "('case_created', 'decided', 'review_resolved') order by id"
    ).fetchall()
    assert actions == [("wbana", "case_created"), ("wbana", "decided"), ("wbchen", "review_resolved")]
    assert db.execute("select status, verdict from case_record").fetchall() == [("decided", "covered")]


def test_every_login_of_the_station_signs_and_verifies_with_one_key(station):
    """H2: a ticket printed by one login verifies for the others; `ticket key` is one key."""
    ticket = (station / "chen-ticket.out").read_text().strip()
    assert ticket.startswith("NW2")
    keys = {login: step(station, f"{login}-key") for login in ("wbana", "wbbo", "wbchen")}
    assert all(rc == 0 for rc, _, _ in keys.values()), keys
    assert len({out for _, out, _ in keys.values()}) == 1 and next(iter(keys.values()))[1].startswith("SZ01 = ")
    for login in ("wbana", "wbbo", "wbchen"):
        rc, out, err = step(station, f"{login}-verify")
        assert (rc, out.split(":")[0]) == (0, "GOOD"), (login, out, err)
        assert "matches case" in out
    # made by the first login that signed, in the station's setgid folder: the group reads it
    assert (station / "key.mode").read_text().split() == ["640", "wbchen", "technicians"]
