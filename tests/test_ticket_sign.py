"""Signed ticket text: what verifies, and what is refused."""

from __future__ import annotations

import os
import stat

import pytest

from policy import load_policy
from workbench.errors import InputError
from workbench.ticket.issue import issue_ticket, verify_ticket
from workbench.ticket.keys import public_key_text, station_key
from workbench.ticket.payload import TicketFacts, parse, signed_text
from tests.ticket_helpers import decided_case, station_config

FACTS = TicketFacts("SZ01-2026-000123", "SZ01", "2026-11-24", "NV7000 |50%", "2000", "RN1", "covered",
                    "repair_or_replace", "netac-warranty 2024.1")


def test_round_trip_with_separators_in_values(tmp_path):
    config = station_config(tmp_path)
    text = signed_text(FACTS, station_key(config))
    assert parse(text).facts == FACTS
    result = verify_ticket(text, config)
    assert (result.good, result.station, result.facts) == (True, "SZ01", FACTS)


@pytest.mark.parametrize("edit", [
    lambda t: t.replace("|covered|", "|not_covered|"),
    lambda t: t.replace("RN1", "RN2"),
    lambda t: t.replace("2026-11-24", "2026-11-25"),
])
def test_an_edited_ticket_fails(tmp_path, edit):
    config = station_config(tmp_path)
    result = verify_ticket(edit(signed_text(FACTS, station_key(config))), config)
    assert not result.good and "signature does not match" in result.message


@pytest.mark.parametrize("cut, message", [
    (lambda t: t[:-10], "signature is truncated"),
    (lambda t: t.rsplit("|", 3)[0], "fields instead of"),
    (lambda t: "hello", "not a workbench ticket"),
    (lambda t: t.replace("NW1|", "NW2|"), "not a workbench ticket"),
])
def test_truncated_or_foreign_text_is_refused(tmp_path, cut, message):
    config = station_config(tmp_path)
    with pytest.raises(InputError, match=message):
        verify_ticket(cut(signed_text(FACTS, station_key(config))), config)


def test_another_stations_ticket_needs_its_key(tmp_path):
    other = station_config(tmp_path, station="BJ02")
    text = signed_text(TicketFacts(*(["BJ02-2026-000001", "BJ02"] + list(vars(FACTS).values())[2:])),
                       station_key(other))
    here = station_config(tmp_path)
    assert "not among this station's trusted keys" in verify_ticket(text, here).message
    trusted = station_config(tmp_path, f'[ticket.trusted_keys]\nBJ02 = "{public_key_text(station_key(other).public_key())}"\n')
    assert verify_ticket(text, trusted).good
    impostor = station_config(tmp_path, f'[ticket.trusted_keys]\nBJ02 = "{public_key_text(station_key(here).public_key())}"\n')
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
    store.record_decision(number, {"verdict": "covered", "remedy": "repair_or_replace", "reasons": []}, "p")
    later = verify_ticket(outcome.qr_text, config, store)
    assert (later.good, later.record_matches) == (True, False) and "differs in: verdict" in later.message
