"""Properties of the decision that must hold for every claim, not just the tabled ones."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policy import EXCLUSION_KEYS, FAULTS, assess, parse_claim
from tests.policy_fixtures import POLICY, TB, claim

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
claims = st.builds(
    claim,
    claim_date=st.just(date(2031, 1, 1)),
    model=st.sampled_from(["NV7000", "N535S", "NV9999"]),
    capacity_gb=st.sampled_from([240, 480, 2000]),
    serial=st.sampled_from(["", "RN1"]),
    purchase_date=st.none() | dates,
    manufacture_date=st.none() | dates,
    failure_description=st.sampled_from(["", "dead"]),
    inspection=st.frozensets(st.sampled_from(EXCLUSION_KEYS)),
    counterfeit=st.booleans(),
    host_bytes_written=st.none() | st.integers(0, 2000 * TB),
    fault=st.sampled_from(FAULTS),
)
fast = settings(max_examples=300, deadline=None)


@fast
@given(claims, st.sampled_from(EXCLUSION_KEYS))
def test_adding_an_exclusion_never_helps(c, key):
    before = assess(c, POLICY)
    after = assess(claim(**{**c.__dict__, "inspection": c.inspection | {key}}), POLICY)
    assert after.verdict != "covered"
    if before.verdict in ("not_covered", "refused"):
        assert after.verdict == before.verdict


@fast
@given(claims, st.integers(1, 4000))
def test_a_later_claim_date_never_unexpires(c, days):
    expired = "expired" in [r.code for r in assess(c, POLICY).reasons]
    later = assess(claim(**{**c.__dict__, "claim_date": c.claim_date + timedelta(days=days)}), POLICY)
    if expired:
        assert "expired" in [r.code for r in later.reasons] or later.verdict == "refused"


@fast
@given(claims, st.integers(0, 10**15))
def test_more_bytes_written_never_unexceeds(c, more):
    if c.host_bytes_written is None:
        return
    before = assess(c, POLICY)
    after = assess(claim(**{**c.__dict__, "host_bytes_written": c.host_bytes_written + more}), POLICY)
    if before.tbw.exceeded:
        assert after.tbw.exceeded


@fast
@given(claims)
def test_verdicts_and_reasons_agree(c):
    d = assess(c, POLICY)
    codes = [r.code for r in d.reasons]
    # The code alone (all a recorded decision keeps) finds the clause the engine cited.
    assert all(POLICY.clause_for(r.code) == r.clause for r in d.reasons)
    if c.counterfeit:
        assert (d.verdict, codes) == ("refused", ["counterfeit"])
    assert (d.verdict == "covered") == (d.remedy == "repair_or_replace")
    assert (d.verdict == "covered") == (codes == [])
    excluding = {"expired", "tbw_exceeded", "no_fault_found"} | {f"exclusion.{n}" for n in range(1, 11)}
    if d.verdict == "not_covered":
        assert codes and set(codes) <= excluding
    if d.verdict == "needs_review":
        assert codes and not set(codes) & excluding


@fast
@given(claims)
def test_only_a_confirmed_fault_is_covered(c):
    d = assess(c, POLICY)
    codes = [r.code for r in d.reasons]
    if d.verdict == "covered":
        assert c.fault == "confirmed"
    if c.fault == "not_found":
        assert d.verdict in ("not_covered", "refused")
        assert "no_fault_found" in codes or d.verdict == "refused"
        assert codes[-1] == "no_fault_found" or d.verdict == "refused"  # after every other exclusion
    if c.fault == "untested":
        assert d.verdict != "covered"
        assert ("fault_unconfirmed" in codes) == (d.verdict == "needs_review")


@fast
@given(claims, st.sampled_from(FAULTS))
def test_the_diagnosis_never_outweighs_counterfeit_or_an_exclusion(c, fault):
    before = assess(c, POLICY)
    after = assess(claim(**{**c.__dict__, "fault": fault}), POLICY)
    if before.verdict == "refused":
        assert after.to_dict() == before.to_dict()
    excluded = [r.code for r in before.reasons if r.code != "no_fault_found"]
    if before.verdict == "not_covered" and excluded:  # excluded whatever the diagnosis says
        assert after.verdict == "not_covered"
        assert [r.code for r in after.reasons if r.code != "no_fault_found"] == excluded


def _as_json(c) -> dict:
    """The contract's input object for a claim, as a dealer's system would send it."""
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "claim_date": iso(c.claim_date),
        "model": c.model,
        "capacity_gb": c.capacity_gb,
        "serial": c.serial,
        "purchase_date": iso(c.purchase_date),
        "manufacture_date": iso(c.manufacture_date),
        "failure_description": c.failure_description,
        "inspection": {k: True for k in c.inspection},
        "counterfeit": c.counterfeit,
        "host_bytes_written": c.host_bytes_written,
        "fault": c.fault,
    }


@fast
@given(claims)
def test_the_json_a_claim_travels_as_decides_the_same(c):
    # What `workbench assess` reads back from JSON is the claim the TUI decides on directly.
    parsed = parse_claim(json.loads(json.dumps(_as_json(c))))
    assert parsed == c
    out = assess(parsed, POLICY).to_dict()
    assert json.loads(json.dumps(out)) == out == assess(c, POLICY).to_dict()
    assert set(out) == {"verdict", "remedy", "warranty", "tbw", "reasons", "policy"}
    assert set(out["warranty"]) == {"basis", "start", "last_day", "years"}
    assert set(out["tbw"]) == {"limit_bytes", "written_bytes", "exceeded"}
    assert all(set(r) == {"code", "text"} and r["text"] for r in out["reasons"])


@fast
@given(claims)
def test_a_claim_stored_before_the_diagnosis_reads_as_untested(c):
    # Older claims have no `fault`: they decide as an untested drive does.
    old = _as_json(c)
    del old["fault"]
    untested = claim(**{**c.__dict__, "fault": "untested"})
    assert parse_claim(old) == untested
    assert assess(parse_claim(old), POLICY).to_dict() == assess(untested, POLICY).to_dict()
