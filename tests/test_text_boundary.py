"""Nothing from the outside reaches the terminal (probe findings M2, M3, L14, L15): strings
from the database, people and drives are cleaned at the boundaries where they come in or go
out, whatever they hold (hypothesis generates the hostile ones)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.db_helpers import CLAIM_FIELDS, new_store, sqlite_url
from workbench.claim_draft import ClaimDraft
from workbench.words.text import strip_control

RAW = ["\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u2066", "\x00"]  # (CSV's own line ends are CR LF)
HOSTILE = st.text(alphabet=st.sampled_from(RAW) | st.characters(codec="utf-8"), min_size=1, max_size=300)
OSC52 = "Li \x1b]52;c;cHduZWQ=\x1b\\Wei \x1b]0;PWNTITLE\x1b\\ \u202eevil \x9b2J"


def raw_in(text: str) -> list[str]:
    return [c for c in RAW if c in text]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(HOSTILE)
def test_a_resumed_draft_carries_nothing_raw_to_its_widgets(text):
    draft = ClaimDraft.from_json(
        {
            "customer_name": text,
            "serial": text,
            "failure_description": text,
            "inspection_notes": {"sticker_removed": text},
            "drive": {"model": text},
        }
    )
    for value in (
        draft.customer_name,
        draft.serial,
        draft.failure_description,
        draft.inspection_notes["sticker_removed"],
        draft.drive.model if draft.drive else "",
    ):
        assert raw_in(value) == []


def test_stored_escapes_never_reach_an_export_or_a_terminal(tmp_path):
    store = new_store(tmp_path)
    number = store.create_case(
        {**CLAIM_FIELDS, "customer_name": OSC52, "serial": "RN1\x1b[2J", "model": "NV\x9d7000"}
    ).number
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(tmp_path / "cases.db")}
    env.pop("WORKBENCH_CONFIG", None)

    def out(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, env=env, timeout=60)
        return (done.stdout + done.stderr).decode("utf-8", "replace")

    for output in (
        out("cases", "export", "--format", "csv"),
        out("cases", "export", "--format", "json"),
        out("cases", "show", number, "--json"),
        out("cases", "show", number),
        out("cases", "list"),
        out("cases", "show", "NOPE\x1b]52;c;eA==\x07"),
    ):
        assert raw_in(output) == [], output
    exported = json.loads(out("cases", "export", "--format", "json"))
    assert exported[0]["customer_name"] == strip_control(OSC52) == "Li Wei  evil "


def test_an_error_message_is_one_clean_line_of_sane_length(tmp_path):
    env = {**os.environ, "WORKBENCH_DATABASE_URL": sqlite_url(tmp_path / "cases.db")}
    env.pop("WORKBENCH_CONFIG", None)
    claim = json.dumps({"claim_date": "2026-11-24" + "9" * 100_000})
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "assess", "-"],
        input=claim.encode(),
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2 and done.stderr.count(b"\n") == 1 and len(done.stderr) < 500


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE, words=HOSTILE, model=HOSTILE)
def test_hostile_text_through_intake_store_resume_export_and_ticket(bench, name, words, model):
    """Issue 14's property: whatever a person or a drive types, nothing raw comes out of the
    resumed draft, the case's text, an export or the ticket's words."""
    import tempfile

    from workbench.ticket.content import ticket_content
    from workbench.words.case_text import case_lines
    from workbench.words.text import clean_data

    station = bench().station
    with tempfile.TemporaryDirectory() as folder:
        from db import open_store

        station._store = open_store(f"sqlite:///{folder}/cases.db", station_id="SZ01", technician="ana")
        flow = station.new_claim()
        flow.update(
            customer_name=name,
            customer_contact=words,
            model=model,
            capacity_gb="2000",
            serial=words,
            failure_description=words,
            purchase_date="2025-01-10",
            data_acknowledged=True,
        )
        flow.save("decision")
        flow.record_decision(flow.decide())
        resumed = station.resume(flow.number).claim
        view = station.case(flow.number)
        outputs = [
            resumed.customer_name,
            resumed.customer_contact,
            resumed.model,
            resumed.failure_description,
            *case_lines(view),
            json.dumps(clean_data([c.__dict__ for c in station.store.list_cases()]), default=str, ensure_ascii=False),
            *ticket_content(view, station.policy, station.config.station_name).lines,
        ]
        station.store.engine.dispose()
    for text in outputs:
        assert raw_in(text) == [], text
