"""Signed ticket text: what verifies, and what is refused."""

from __future__ import annotations

import os
import stat
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from policy import load_policy
from tests.ticket_helpers import DECISION, decided_case, station_config
from workbench.errors import InputError
from workbench.ticket.issue import issue_ticket, verify_ticket
from workbench.ticket.keys import public_key_text, station_key
from workbench.ticket.payload import PREFIX, TicketFacts, _digits, pack, parse, signed_text

FACTS = TicketFacts(
    "SZ01-2026-000123",
    "SZ01",
    "2026-11-24",
    "NV7000 |50%",
    "2000",
    "RN1",
    "covered",
    "repair_or_replace",
    "netac-warranty 2024.1",
)


def test_round_trip_with_separators_in_values(tmp_path):
    config = station_config(tmp_path)
    text = signed_text(FACTS, station_key(config))
    assert parse(text).facts == FACTS
    result = verify_ticket(text, config)
    assert (result.good, result.station, result.facts) == (True, "SZ01", FACTS)


def forged(text: str, **changes) -> str:
    """The ticket with its facts rewritten and its signature kept, as a forger would make it."""
    parsed = parse(text)
    return PREFIX + _digits(pack(replace(parsed.facts, **changes)) + parsed.signature)


@pytest.mark.parametrize(
    "changes",
    [
        {"verdict": "not_covered", "remedy": ""},
        {"serial": "RN2"},
        {"date": "2026-11-25"},
        {"station": "SZ02", "case_number": "SZ02-2026-000123"},
    ],
)
def test_an_edited_ticket_fails(tmp_path, changes):
    config = station_config(
        tmp_path,
        '[ticket.trusted_keys]\nSZ02 = "'
        + public_key_text(station_key(station_config(tmp_path, station="SZ02")).public_key())
        + '"\n',
    )
    result = verify_ticket(forged(signed_text(FACTS, station_key(config)), **changes), config)
    assert not result.good and "signature does not match" in result.message


@pytest.mark.parametrize(
    "cut, message",
    [
        (lambda t: t[:-10], "truncated or altered"),
        (lambda t: t[:40], "truncated or altered"),
        (lambda t: t + "0", "truncated or altered"),
        (lambda t: t[:-1] + "x", "digits only"),
        (lambda t: "hello", "not a workbench ticket"),
        (lambda t: t.replace("NW2", "NW3"), "not a workbench ticket"),
        (lambda t: PREFIX + _digits(b"\x05\x01" + bytes(64)), "facts are damaged"),
    ],
)
def test_truncated_or_foreign_text_is_refused(tmp_path, cut, message):
    config = fixed_key_station(tmp_path)  # Ed25519 signs deterministically: the same digits every run
    with pytest.raises(InputError, match=message):
        verify_ticket(cut(signed_text(FACTS, station_key(config))), config)


def fixed_key_station(tmp_path):
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    (tmp_path / "SZ01-key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return station_config(tmp_path)


# Issued before tickets were made compact (the station key is bytes 0..31): customers still hold such tickets.
NW1_TICKET = (
    "NW1|SZ01-2026-000123|SZ01|2026-11-24|NV7000|2000|RN202303092TB677720|not_covered||netac-warranty 2024.1|"
    "P6frZfahyaIDPeSt7n3R0p5imvLi4S0eMQ5tTIRG0tkK3H2nFsRR8i1K97Ia6o_sv0rW25Z6QK4ZvTPPNy2MBw"
)


def test_a_ticket_issued_in_the_first_format_still_verifies(tmp_path):
    config = fixed_key_station(tmp_path)
    result = verify_ticket(NW1_TICKET, config)
    assert result.good and result.facts == TicketFacts(
        "SZ01-2026-000123",
        "SZ01",
        "2026-11-24",
        "NV7000",
        "2000",
        "RN202303092TB677720",
        "not_covered",
        "",
        "netac-warranty 2024.1",
    )
    assert not verify_ticket(NW1_TICKET.replace("|not_covered|", "|covered|"), config).good
    with pytest.raises(InputError, match="signature is truncated"):
        verify_ticket(NW1_TICKET[:-10], config)
    with pytest.raises(InputError, match="fields instead of"):
        verify_ticket(NW1_TICKET.replace("|2000|", "|"), config)


@pytest.mark.parametrize(
    "facts",
    [
        FACTS,  # a model outside the packed alphabet: the texts go in UTF-8
        TicketFacts(
            "SZ01-2026-000001", "SZ01", "2000-01-01", "N600S", "0", "0012", "refused", "", "netac-warranty 2024.1"
        ),
        TicketFacts("SZ01-2026-12345678", "SZ01", "2099-12-31", "NV7000", "2 TB", "RN1", "maybe", "swap", "station 7"),
        TicketFacts("BJ02-2026-000001", "SZ01", "2026-11-24", "", "", "", "needs_review", "", "netac-warranty"),
        TicketFacts("SZ01-2026-0001234", "SZ01", "2026-11-24", "NV7000", "01", "RN1", "covered", "", "x"),
    ],
)
def test_every_ticket_packs_and_unpacks_to_its_facts(tmp_path, facts):
    config = station_config(tmp_path)
    text = signed_text(facts, station_key(config))
    assert text[3:].isdigit() and verify_ticket(text, config).facts == facts


def test_another_stations_ticket_needs_its_key(tmp_path):
    other = station_config(tmp_path, station="BJ02")
    text = signed_text(
        TicketFacts(*(["BJ02-2026-000001", "BJ02"] + list(vars(FACTS).values())[2:])), station_key(other)
    )
    here = station_config(tmp_path)
    assert "not among this station's trusted keys" in verify_ticket(text, here).message
    trusted = station_config(
        tmp_path, f'[ticket.trusted_keys]\nBJ02 = "{public_key_text(station_key(other).public_key())}"\n'
    )
    assert verify_ticket(text, trusted).good
    impostor = station_config(
        tmp_path, f'[ticket.trusted_keys]\nBJ02 = "{public_key_text(station_key(here).public_key())}"\n'
    )
    assert not verify_ticket(text, impostor).good


def test_the_key_file_is_private_and_stable(tmp_path):
    config = station_config(tmp_path)
    first = public_key_text(station_key(config).public_key())
    path = tmp_path / "SZ01-key.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert public_key_text(station_key(config).public_key()) == first


def test_verify_against_the_case_record(tmp_path):
    config = station_config(tmp_path)
    store, number = decided_case(tmp_path)
    outcome = issue_ticket(store, number, config, load_policy())
    result = verify_ticket(outcome.qr_text, config, store)
    assert (result.good, result.record_matches) == (True, True)
    # A supervisor's override after the ticket was given: the record no longer says what it says.
    store.record_decision(number, DECISION, "netac-warranty 2024.1", {"verdict": "covered", "reason": "re-examined"})
    later = verify_ticket(outcome.qr_text, config, store)
    assert (later.genuine, later.record_matches) == (True, False) and "differs in: verdict" in later.message
    assert not later.good and later.verdict_word == "CHANGED"  # never GOOD when the record differs
