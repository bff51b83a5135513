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
step add-supervisor "$SETUP" add-supervisor wbchen
as wbana claim "$PY" "$T/claim.py" "$T/number"
as wbbo bo-review "$PY" -m workbench cases review "$(cat "$T/number")" --verdict covered --reason "bo says so"
as wbbo bo-queue "$PY" -m workbench cases list --queue review
as wbchen chen-review "$PY" -m workbench cases review "$(cat "$T/number")" --verdict covered --reason "seen by chen"
as wbchen chen-queue "$PY" -m workbench cases list --queue review
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
    (folder / "workbench.toml").write_text('[station]\nid = "SZ01"\nname = "Shenzhen Futian"\n')
    # The shared database as deploy/setup-ssh-station.sh leaves it: writable by the technicians
    # (SQLite gives its -wal and -shm files the database file's mode).
    open_store(f"sqlite:///{folder}/cases.db", station_id="SZ01", technician="setup").engine.dispose()
    (folder / "cases.db").chmod(0o666)
    env = {**os.environ, "T": str(folder), "SETUP": str(SETUP_SCRIPT), "PY": sys.executable,
           "WORKBENCH_CONFIG": str(folder / "workbench.toml"),
           "WORKBENCH_DATABASE_URL": f"sqlite:///{folder}/cases.db", "HOME": str(folder)}
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-c", SCENARIO],
                          env=env, capture_output=True, text=True, timeout=180)
    if done.returncode != 0 and not (folder / "claim.rc").exists():
        pytest.skip(f"no private mount namespace here: {done.stderr.strip()}")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def step(folder: Path, name: str) -> tuple[int, str, str]:
    return (int((folder / f"{name}.rc").read_text()), (folder / f"{name}.out").read_text(),
            (folder / f"{name}.err").read_text())


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
    decisions = db.execute("select technician, verdict, override_verdict, override_by, review_request from decision "
                           "order by id").fetchall()
    assert [(t, v, ov, by) for t, v, ov, by, _ in decisions] == [
        ("wbana", "needs_review", None, None), ("wbchen", "needs_review", "covered", "wbchen")]
    assert json.loads(decisions[0][4])["by"] == "wbana"
    actions = db.execute("select actor, action from audit_entry where action in "
                         "('case_created', 'decided', 'review_resolved') order by id").fetchall()
    assert actions == [("wbana", "case_created"), ("wbana", "decided"), ("wbchen", "review_resolved")]
    assert db.execute("select status, verdict from case_record").fetchall() == [("decided", "covered")]
