"""Which policy decided: each decision records the policy file's SHA-256 and the clause each
reason cited, so a case stays explained after the station's policy file changes."""

from __future__ import annotations

import dataclasses

from policy import Clause, load_policy
from tests.db_helpers import sqlite_url
from tests.ticket_helpers import station_config
from workbench.door.case_flow import Station
from workbench.ticket.content import ticket_content
from workbench.words.case_text import case_lines

INTAKE = dict(
    customer_name="Li Wei",
    model="NV7000",
    capacity_gb="2000",
    serial="RN202406182TB104233",
    proof_of_purchase=True,
    purchase_date="2025-03-01",
    failure_description="Not detected",
    data_acknowledged=True,
)


def test_a_decision_records_the_policy_file_and_its_clauses(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_url(tmp_path / "cases.db"))
    station = Station(station_config(tmp_path))
    flow = station.new_claim()
    flow.update(**INTAKE, inspection={"sticker_removed": True})
    flow.save("decision")
    decision = flow.decide()
    flow.record_decision(decision)

    view = station.case(flow.number)
    [recorded] = view.decisions
    assert recorded.policy_sha256 == station.policy.sha256 == load_policy().sha256
    assert len(recorded.policy_sha256) == 64
    reasons = {r["code"]: r["clause"] for r in recorded.decision["reasons"]}
    assert reasons["exclusion.3"] == "Warranty exclusions, 3)"
    assert f"policy file sha256 {recorded.policy_sha256}" in "\n".join(case_lines(view))
    words = "\n".join(ticket_content(view, station.policy, "Shenzhen Futian").lines)
    assert f"file sha256 {recorded.policy_sha256[:16]}" in words

    # The station's file changes later (a clause is renumbered): the ticket of this case still
    # cites the clause it was decided under.
    renumbered = dataclasses.replace(
        station.policy,
        exclusions=tuple(dataclasses.replace(e, number=e.number + 10) for e in station.policy.exclusions),
        clauses={**station.policy.clauses, "warranty_start": Clause("elsewhere", "other words")},
    )
    assert renumbered.clause_for("exclusion.3").ref == "Warranty exclusions, 13)"
    words = "\n".join(ticket_content(view, renumbered, "Shenzhen Futian").lines)
    assert "[Warranty exclusions, 3)]" in words and "[Warranty exclusions, 13)]" not in words
