"""parse_claim: every input error names its field; valid input becomes a Claim."""

from __future__ import annotations

from datetime import date

import pytest

from policy import ClaimInputError, parse_claim

BASE = {"claim_date": "2026-11-24", "model": "NV7000", "capacity_gb": 2000}


def test_minimal_claim_defaults():
    c = parse_claim(BASE)
    assert (c.claim_date, c.serial, c.purchase_date, c.inspection, c.counterfeit, c.host_bytes_written, c.fault) == (
        date(2026, 11, 24),
        "",
        None,
        frozenset(),
        False,
        None,
        "untested",  # a claim without the diagnosis (an older one) is untested
    )


def test_full_claim():
    c = parse_claim(
        {
            **BASE,
            "serial": " RN1 ",
            "purchase_date": "2024-02-29",
            "manufacture_date": None,
            "failure_description": "dead",
            "inspection": {"misuse": True, "virus_damage": False},
            "counterfeit": False,
            "host_bytes_written": 10**15,
            "fault": "confirmed",
        }
    )
    assert (c.serial, c.purchase_date, c.inspection, c.host_bytes_written, c.fault) == (
        "RN1",
        date(2024, 2, 29),
        frozenset({"misuse"}),
        10**15,
        "confirmed",
    )


@pytest.mark.parametrize("word", ["confirmed", "not_found", "untested"])
def test_each_fault_word(word):
    assert parse_claim({**BASE, "fault": word}).fault == word


@pytest.mark.parametrize(
    "changes, field, problem",
    [
        ({"colour": "red"}, "colour", "unknown key"),
        ({"claim_date": None}, "claim_date", "is required"),
        ({"claim_date": "24/11/2026"}, "claim_date", "not a date in the form YYYY-MM-DD"),
        ({"claim_date": "2026-02-30"}, "claim_date", "not a calendar date"),
        ({"claim_date": "20261124"}, "claim_date", "not a date"),
        ({"claim_date": 20261124}, "claim_date", "not a date"),
        ({"purchase_date": "2027-01-01"}, "purchase_date", "2027-01-01 is after claim_date 2026-11-24"),
        ({"manufacture_date": "2026-11-25"}, "manufacture_date", "is after claim_date"),
        ({"model": 7000}, "model", "expected text"),
        ({"capacity_gb": "2000"}, "capacity_gb", "expected a whole number"),
        ({"capacity_gb": 2000.0}, "capacity_gb", "expected a whole number"),
        ({"capacity_gb": True}, "capacity_gb", "expected a whole number"),
        ({"capacity_gb": -512}, "capacity_gb", "-512 is negative"),
        ({"capacity_gb": 0}, "capacity_gb", "must be more than 0"),
        ({"host_bytes_written": -1}, "host_bytes_written", "-1 is negative"),
        ({"host_bytes_written": 1.5e12}, "host_bytes_written", "expected a whole number"),
        ({"counterfeit": "no"}, "counterfeit", "expected true or false"),
        ({"counterfeit": 0}, "counterfeit", "expected true or false"),
        ({"inspection": ["misuse"]}, "inspection", "expected an object"),
        ({"inspection": {"scratches": True}}, "inspection.scratches", "unknown inspection item"),
        ({"inspection": {"misuse": "yes"}}, "inspection.misuse", "expected true or false"),
        ({"serial": ["RN1"]}, "serial", "expected text"),
        ({"failure_description": 5}, "failure_description", "expected text"),
        ({"fault": "maybe"}, "fault", "'maybe' is not one of confirmed, not_found, untested"),
        ({"fault": "Confirmed"}, "fault", "'Confirmed' is not one of"),
        ({"fault": "not found"}, "fault", "is not one of"),
        ({"fault": ""}, "fault", "'' is not one of"),
        ({"fault": None}, "fault", "null is not one of"),
        ({"fault": True}, "fault", "true is not one of"),
        ({"fault": ["confirmed"]}, "fault", "a list is not one of"),
        ({"fault": "\x1b[31mconfirmed"}, "fault", "'\\x1b[31mconfirmed' is not one of"),
        # digits of other scripts are \d to a regex but not a date to the contract
        ({"claim_date": "\uff12\uff10\uff12\uff16-11-24"}, "claim_date", "not a date in the form YYYY-MM-DD"),
        # a key is shown escaped: an error line never carries a raw terminal control sequence
        ({"\x1b[31mred": 1}, '"\\u001b[31mred"', "unknown key"),
        ({"inspection": {"\x07bell": True}}, 'inspection."\\u0007bell"', "unknown inspection item"),
    ],
)
def test_input_errors_name_the_field(changes, field, problem):
    with pytest.raises(ClaimInputError) as caught:
        parse_claim({**BASE, **changes})
    assert caught.value.field == field
    assert problem in caught.value.problem
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.parametrize("missing", ["claim_date", "model", "capacity_gb"])
def test_required_fields(missing):
    data = dict(BASE)
    del data[missing]
    with pytest.raises(ClaimInputError, match=f"^{missing}: is required"):
        parse_claim(data)


@pytest.mark.parametrize("value", [None, [], "claim", 3])
def test_not_an_object(value):
    with pytest.raises(ClaimInputError, match="^claim: expected a JSON object"):
        parse_claim(value)


def test_a_date_on_the_claim_day_is_allowed():
    assert parse_claim({**BASE, "purchase_date": "2026-11-24"}).purchase_date == date(2026, 11, 24)
