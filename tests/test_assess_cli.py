"""`workbench assess` as a dealer's system runs it: a subprocess, JSON in, JSON out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources

import pytest

CLAIM = {
    "claim_date": "2026-11-24",
    "model": "Netac XT100",
    "capacity_gb": 1000,
    "serial": "XT1",
    "purchase_date": "2024-02-29",
    "manufacture_date": None,
    "failure_description": "Not detected",
    "inspection": {"sticker_removed": False},
    "counterfeit": False,
    "host_bytes_written": 600 * 10**12,
    "fault": "confirmed",
}
# A station's own copy of the policy: the bundled file plus a product line with figures.
STATION_LINE = """
[lines.XT100]
interface = "NVMe"
capacities_gb = [1000]
warranty_years = 3
tbw_tb = { 1000 = 600 }
sources = ["test line"]
"""


def assess(*args: str, stdin: str | None = None, program: str = "workbench") -> subprocess.CompletedProcess:
    """`workbench assess`; program "tests.as_station" takes $WORKBENCH_CONFIG as the station's own file."""
    return subprocess.run(
        [sys.executable, "-m", program, "assess", *args], input=stdin, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def station_policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(resources.files("policy").joinpath("netac_warranty.toml").read_text() + STATION_LINE)
    return str(path)


def test_covered_claim_from_a_file(tmp_path, station_policy):
    claim = tmp_path / "claim.json"
    claim.write_text(json.dumps(CLAIM))
    result = assess("--policy", station_policy, str(claim))
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "verdict": "covered",
        "remedy": "repair_or_replace",
        "warranty": {"basis": "purchase", "start": "2024-02-29", "last_day": "2027-02-28", "years": 3},
        "tbw": {"limit_bytes": 600 * 10**12, "written_bytes": 600 * 10**12, "exceeded": False},
        "reasons": [],
        "policy": "netac-warranty 2024.1",
    }


def test_not_covered_from_stdin(station_policy):
    claim = {**CLAIM, "host_bytes_written": 600 * 10**12 + 1, "inspection": {"sticker_removed": True}}
    result = assess("--policy", station_policy, "-", stdin=json.dumps(claim))
    out = json.loads(result.stdout)
    assert result.returncode == 0
    assert (out["verdict"], [r["code"] for r in out["reasons"]]) == ("not_covered", ["exclusion.3", "tbw_exceeded"])
    result = assess("--policy", station_policy, "-", stdin=json.dumps({**claim, "fault": "not_found"}))
    out = json.loads(result.stdout)
    assert (result.returncode, out["verdict"], out["remedy"]) == (0, "not_covered", None)
    assert [r["code"] for r in out["reasons"]] == ["exclusion.3", "tbw_exceeded", "no_fault_found"]


def test_no_fault_found_from_a_file(tmp_path, station_policy):
    claim = tmp_path / "claim.json"
    claim.write_text(json.dumps({**CLAIM, "fault": "not_found"}))
    result = assess("--policy", station_policy, str(claim))
    out = json.loads(result.stdout)
    assert (result.returncode, result.stderr, out["verdict"], out["remedy"]) == (0, "", "not_covered", None)
    [reason] = out["reasons"]
    assert reason["code"] == "no_fault_found" and "found no fault" in reason["text"]


@pytest.mark.parametrize("fault", [{}, {"fault": "untested"}])
def test_a_claim_without_a_confirmed_fault_asks_for_review(station_policy, fault):
    # A claim stored before the diagnosis existed has no `fault`: it reads as untested.
    claim = {key: value for key, value in CLAIM.items() if key != "fault"} | fault
    result = assess("--policy", station_policy, "-", stdin=json.dumps(claim))
    out = json.loads(result.stdout)
    assert (result.returncode, out["verdict"], out["remedy"]) == (0, "needs_review", None)
    assert [r["code"] for r in out["reasons"]] == ["fault_unconfirmed"]


def test_a_station_copy_older_than_the_clause_still_decides(tmp_path):
    # Made before the opening paragraph was a clause of the bundled file: its text comes from there.
    bundled = resources.files("policy").joinpath("netac_warranty.toml").read_text()
    path = tmp_path / "old-policy.toml"
    path.write_text(re.sub(r"# The policy's opening paragraph.*?\n\n", "", bundled, flags=re.S) + STATION_LINE)
    assert "normal_use" not in path.read_text()
    result = assess("--policy", str(path), "-", stdin=json.dumps({**CLAIM, "fault": "not_found"}))
    out = json.loads(result.stdout)
    assert (result.returncode, result.stderr, out["verdict"]) == (0, "", "not_covered")
    assert [r["code"] for r in out["reasons"]] == ["no_fault_found"]


def test_bundled_policy_without_sourced_figures_asks_for_review():
    result = assess("-", stdin=json.dumps({**CLAIM, "model": "NV7000", "capacity_gb": 2000}))
    out = json.loads(result.stdout)
    assert (result.returncode, out["verdict"]) == (0, "needs_review")


@pytest.mark.parametrize(
    "stdin, line",
    [
        (
            json.dumps({**CLAIM, "purchase_date": "2027-01-01"}),
            "purchase_date: 2027-01-01 is after claim_date 2026-11-24",
        ),
        (json.dumps({**CLAIM, "extra": 1}), "extra: unknown key"),
        (json.dumps({**CLAIM, "capacity_gb": -1}), "capacity_gb: -1 is negative"),
        (json.dumps({**CLAIM, "inspection": {"misuse": 1}}), "inspection.misuse: expected true or false"),
        (json.dumps({**CLAIM, "fault": "maybe"}), "fault: 'maybe' is not one of confirmed, not_found, untested"),
        (json.dumps({**CLAIM, "fault": None}), "fault: null is not one of confirmed, not_found, untested"),
        ("{not json", "claim: not valid JSON"),
        ("[]", "claim: expected a JSON object"),
        ("", "claim: not valid JSON"),
        ("[" * 100_000, "claim: not a claim: the JSON is nested too deeply"),
        (json.dumps({**CLAIM, "\x1b]0;title\x07": 1}), '"\\u001b]0;title\\u0007": unknown key'),
    ],
)
def test_invalid_input_exits_2_with_one_line(stdin, line):
    result = assess("-", stdin=stdin)
    assert (result.returncode, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1
    assert line in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_claim_file_and_bad_policy_file(tmp_path):
    result = assess(str(tmp_path / "none.json"))
    assert result.returncode == 2 and "cannot read the claim" in result.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy\n")
    result = assess("--policy", str(bad), "-", stdin=json.dumps(CLAIM))
    assert result.returncode == 2 and "not a valid TOML policy file" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_the_station_configuration_names_its_policy_file(tmp_path, station_policy, monkeypatch):
    config = tmp_path / "workbench.toml"
    config.write_text(f'[policy]\nfile = "{station_policy}"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    result = assess("-", stdin=json.dumps(CLAIM), program="tests.as_station")
    assert (result.returncode, json.loads(result.stdout)["verdict"]) == (0, "covered")
    config.write_text('[policy]\nfile = "missing.toml"\n')
    result = assess("-", stdin=json.dumps(CLAIM), program="tests.as_station")
    assert result.returncode == 2 and "policy.file:" in result.stderr and "missing.toml" in result.stderr
