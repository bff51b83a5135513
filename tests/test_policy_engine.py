"""Every rule of the claim-assessment contract, and its boundaries, on a policy with figures."""

from __future__ import annotations

from datetime import date

import pytest

from policy import EXCLUSION_KEYS, anniversary, assess
from tests.policy_fixtures import POLICY, TB, claim


def codes(decision):
    return [r.code for r in decision.reasons]


def test_a_good_claim_is_covered_with_the_remedy():
    d = assess(claim(), POLICY)
    assert (d.verdict, d.remedy, codes(d)) == ("covered", "repair_or_replace", [])
    assert d.to_dict()["warranty"] == {"basis": "purchase", "start": "2025-01-10", "last_day": "2030-01-09", "years": 5}
    assert d.to_dict()["tbw"] == {"limit_bytes": 1200 * TB, "written_bytes": 2_535_750_144_000, "exceeded": False}
    assert d.to_dict()["policy"] == POLICY.id


def test_output_has_exactly_the_contract_keys():
    out = assess(claim(), POLICY).to_dict()
    assert list(out) == ["verdict", "remedy", "warranty", "tbw", "reasons", "policy"]
    out = assess(claim(inspection=frozenset({"misuse"})), POLICY).to_dict()
    assert all(set(r) == {"code", "text"} for r in out["reasons"])


@pytest.mark.parametrize(
    "start, years, expected",
    [
        (date(2024, 2, 29), 1, date(2025, 3, 1)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), 5, date(2029, 3, 1)),
        (date(2023, 3, 1), 1, date(2024, 3, 1)),
        (date(2023, 12, 31), 3, date(2026, 12, 31)),
    ],
)
def test_anniversaries(start, years, expected):
    assert anniversary(start, years) == expected


@pytest.mark.parametrize(
    "purchase, claim_date, last_day, verdict",
    [
        # last warranty day and the day after
        (date(2021, 11, 24), date(2026, 11, 23), "2026-11-23", "covered"),
        (date(2021, 11, 24), date(2026, 11, 24), "2026-11-23", "not_covered"),
        # 29 February start: the anniversary in a non-leap year is 1 March, the last day 28 February
        (date(2020, 2, 29), date(2025, 2, 28), "2025-02-28", "covered"),
        (date(2020, 2, 29), date(2025, 3, 1), "2025-02-28", "not_covered"),
        # a start on 1 March in the year before a leap year: last day is 29 February
        (date(2023, 3, 1), date(2028, 2, 29), "2028-02-29", "covered"),
        (date(2023, 3, 1), date(2028, 3, 1), "2028-02-29", "not_covered"),
    ],
)
def test_expiry_boundaries(purchase, claim_date, last_day, verdict):
    d = assess(claim(purchase_date=purchase, claim_date=claim_date), POLICY)
    assert d.to_dict()["warranty"]["last_day"] == last_day
    assert d.verdict == verdict
    assert codes(d) == ([] if verdict == "covered" else ["expired"])


def test_a_different_product_has_its_own_period():
    d = assess(claim(model="N535S", capacity_gb=240, purchase_date=date(2023, 11, 24)), POLICY)
    assert (d.warranty.years, d.to_dict()["warranty"]["last_day"], d.verdict) == (3, "2026-11-23", "not_covered")


def test_manufacture_date_is_the_start_only_without_proof():
    d = assess(claim(purchase_date=None, manufacture_date=date(2022, 6, 1)), POLICY)
    assert d.to_dict()["warranty"] == {
        "basis": "manufacture",
        "start": "2022-06-01",
        "last_day": "2027-05-31",
        "years": 5,
    }
    d = assess(claim(purchase_date=date(2024, 1, 1), manufacture_date=date(2020, 1, 1)), POLICY)
    assert (d.warranty.basis, d.warranty.start) == ("purchase", date(2024, 1, 1))


@pytest.mark.parametrize(
    "written, exceeded, verdict",
    [
        (1200 * TB - 1, False, "covered"),
        (1200 * TB, False, "covered"),  # equal is not exceeded
        (1200 * TB + 1, True, "not_covered"),  # one byte over
        (0, False, "covered"),
    ],
)
def test_tbw_boundaries(written, exceeded, verdict):
    d = assess(claim(host_bytes_written=written), POLICY)
    assert (d.to_dict()["tbw"]["exceeded"], d.verdict) == (exceeded, verdict)
    assert codes(d) == (["tbw_exceeded"] if exceeded else [])


@pytest.mark.parametrize("number, key", list(enumerate(EXCLUSION_KEYS, start=1)))
def test_each_exclusion(number, key):
    d = assess(claim(inspection=frozenset({key})), POLICY)
    assert (d.verdict, d.remedy, codes(d)) == ("not_covered", None, [f"exclusion.{number}"])
    assert d.reasons[0].clause.text == POLICY.exclusions[number - 1].text


def test_every_applicable_reason_in_the_contract_order():
    d = assess(
        claim(
            inspection=frozenset({"electrical_damage", "sticker_removed", "rnd_or_production_use"}),
            purchase_date=date(2019, 1, 1),
            host_bytes_written=1300 * TB,
        ),
        POLICY,
    )
    assert codes(d) == ["exclusion.3", "exclusion.7", "exclusion.10", "expired", "tbw_exceeded"]
    d = assess(
        claim(
            inspection=frozenset({"electrical_damage", "sticker_removed", "rnd_or_production_use"}),
            purchase_date=date(2019, 1, 1),
            host_bytes_written=1300 * TB,
            fault="not_found",
        ),
        POLICY,
    )
    assert codes(d) == ["exclusion.3", "exclusion.7", "exclusion.10", "expired", "tbw_exceeded", "no_fault_found"]


def test_no_fault_found_is_not_covered_under_the_opening_paragraph():
    d = assess(claim(fault="not_found"), POLICY)
    assert (d.verdict, d.remedy, codes(d)) == ("not_covered", None, ["no_fault_found"])
    assert d.reasons[0].clause == POLICY.clauses["normal_use"]
    assert d.reasons[0].clause.ref == "Warranty Policy, opening paragraph"
    assert "fail under normal use" in d.reasons[0].clause.text
    assert "found no fault" in d.reasons[0].text


def test_an_undiagnosed_drive_goes_to_review():
    d = assess(claim(fault="untested"), POLICY)
    assert (d.verdict, d.remedy, codes(d)) == ("needs_review", None, ["fault_unconfirmed"])
    assert d.reasons[0].clause == POLICY.clauses["normal_use"]
    assert "not confirmed" in d.reasons[0].text


def test_an_exclusion_or_a_lapsed_warranty_outranks_an_unconfirmed_fault():
    d = assess(claim(fault="untested", inspection=frozenset({"misuse"}), purchase_date=date(2019, 1, 1)), POLICY)
    assert (d.verdict, codes(d)) == ("not_covered", ["exclusion.4", "expired"])


def test_counterfeit_is_refused_whatever_else_applies():
    d = assess(
        claim(
            counterfeit=True,
            inspection=frozenset(EXCLUSION_KEYS),
            purchase_date=date(2010, 1, 1),
            serial="",
            host_bytes_written=None,
            fault="not_found",
        ),
        POLICY,
    )
    assert (d.verdict, d.remedy, codes(d)) == ("refused", None, ["counterfeit"])
    assert d.reasons[0].clause.ref == "Other terms, 3)"


@pytest.mark.parametrize(
    "changes, expected",
    [
        (dict(model="NV9999"), ["unknown_product"]),
        (dict(capacity_gb=3000), ["unknown_product"]),
        (dict(purchase_date=None, manufacture_date=None), ["no_start_date"]),
        (dict(purchase_date=date(2024, 1, 1), manufacture_date=date(2024, 3, 1)), ["date_conflict"]),
        (dict(serial=""), ["missing_information"]),
        (dict(failure_description=""), ["missing_information"]),
        (dict(host_bytes_written=None), ["tbw_unverified"]),
        (dict(model="N535S", capacity_gb=480), ["tbw_unverified"]),  # in the catalog, no sourced TBW
        (dict(fault="untested"), ["fault_unconfirmed"]),
        (
            dict(model="NV9999", purchase_date=None, serial="", failure_description="", host_bytes_written=None),
            ["unknown_product", "no_start_date", "missing_information", "tbw_unverified"],
        ),
        (
            dict(
                model="NV9999",
                purchase_date=date(2024, 1, 1),
                manufacture_date=date(2024, 3, 1),
                serial="",
                host_bytes_written=None,
                fault="untested",
            ),
            ["unknown_product", "date_conflict", "missing_information", "tbw_unverified", "fault_unconfirmed"],
        ),
    ],
)
def test_needs_review(changes, expected):
    d = assess(claim(**changes), POLICY)
    assert (d.verdict, d.remedy, codes(d)) == ("needs_review", None, expected)


def test_an_exclusion_outranks_review():
    d = assess(claim(model="NV9999", serial="", inspection=frozenset({"misuse"})), POLICY)
    assert (d.verdict, codes(d)) == ("not_covered", ["exclusion.4"])


def test_unknown_product_has_no_period_or_limit():
    out = assess(claim(model="NV9999"), POLICY).to_dict()
    assert out["warranty"] == {"basis": "purchase", "start": "2025-01-10", "last_day": None, "years": None}
    assert out["tbw"] == {"limit_bytes": None, "written_bytes": 2_535_750_144_000, "exceeded": None}


def test_model_matching_is_case_insensitive_with_the_netac_prefix():
    assert assess(claim(model="  netac  nv7000 "), POLICY).verdict == "covered"


def test_the_bundled_catalog_sends_unsourced_figures_to_review():
    from tests.policy_fixtures import BUNDLED

    d = assess(claim(), BUNDLED)
    assert (d.verdict, codes(d)) == ("needs_review", ["unknown_product", "tbw_unverified"])
    assert "no sourced warranty period" in d.reasons[0].text


def test_a_counter_too_large_for_a_float_is_still_decided_and_stated_exactly():
    d = assess(claim(host_bytes_written=10**400), POLICY)
    assert (d.verdict, codes(d), d.tbw.used_fraction) == ("not_covered", ["tbw_exceeded"], float("inf"))
    assert "over its TBW limit of 1,200.000 TB (1,200,000,000,000,000 bytes)" in d.reasons[0].text


def test_tb_figures_in_reasons_are_rounded_to_the_gigabyte():
    d = assess(claim(host_bytes_written=1200 * TB + 1_499_499_999_999), POLICY)
    assert d.reasons[0].text.startswith("The drive reports 1,201.499 TB (1,201,499,499,999,999 bytes)")
    d = assess(claim(host_bytes_written=1200 * TB + 1_499_500_000_000), POLICY)
    assert d.reasons[0].text.startswith("The drive reports 1,201.500 TB")


def test_a_period_ending_after_year_9999_has_no_last_day_and_does_not_expire():
    d = assess(claim(purchase_date=date(9998, 6, 1), claim_date=date(9999, 12, 31)), POLICY)
    assert d.to_dict()["warranty"] == {"basis": "purchase", "start": "9998-06-01", "last_day": None, "years": 5}
    assert d.verdict == "covered"
