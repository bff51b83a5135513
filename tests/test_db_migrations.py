"""Migrations create the schema and upgrade a populated database without losing a row."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.connection import make_engine
from db.migrate import current_revision, head_revision, upgrade
from db.models import SQLModel
from tests.db_helpers import new_store, sqlite_url


def test_the_migrated_schema_is_the_models_schema(tmp_path):
    store = new_store(tmp_path)
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    assert current_revision(store.engine) == head_revision()


def test_a_populated_first_revision_database_upgrades_with_nothing_lost(tmp_path):
    path = tmp_path / "cases.db"
    url = sqlite_url(path)
    engine = make_engine(url)
    upgrade(engine, url, target="0001")
    assert current_revision(engine) == "0001"
    engine.dispose()
    with sqlite3.connect(path) as db:  # a station's data written by the first release
        db.executemany(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, fields, "
            "serial, customer_name, model, verdict) VALUES (?, 'SZ01', 2025, ?, 'decided', 'ticket', 'ana', ?, "
            "'{}', ?, ?, 'NV7000', 'covered')",
            [
                (f"SZ01-2025-{i:06d}", i, f"2025-03-{i:02d} 10:00:00.000000", f"RN{i}", f"Customer {i}")
                for i in range(1, 21)
            ],
        )
        db.execute(
            "INSERT INTO inspection_item (case_id, key, finding, note, recorded_at) "
            "VALUES (1, 'misuse', 1, 'note kept', '2025-03-01 10:05:00.000000')"
        )
        db.execute("INSERT INTO case_sequence VALUES ('SZ01', 2025, 20)")

    store = new_store(tmp_path)  # opening applies the remaining migrations, after a backup
    backups = list(tmp_path.glob("cases.db.bak-0001-*"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("SELECT count(*) FROM case_record").fetchone() == (20,)

    assert current_revision(store.engine) == head_revision()
    cases = store.list_cases()
    assert len(cases) == 20
    seventh = store.get_case("SZ01-2025-000007").summary
    assert (seventh.serial, seventh.customer_name, seventh.verdict) == ("RN7", "Customer 7", "covered")
    assert seventh.updated_at == seventh.created_at  # backfilled
    assert [c.number for c in store.find("customer 13")] == ["SZ01-2025-000013"]
    assert [(i.key, i.note) for i in store.get_case("SZ01-2025-000001").inspection] == [("misuse", "note kept")]
    # The sequence continues where the first release left it.
    with sqlite3.connect(path) as db:
        db.execute("UPDATE case_sequence SET year = strftime('%Y', 'now')")
    assert store.create_case().number.endswith("-000021")


def test_opening_an_up_to_date_database_takes_no_backup(tmp_path):
    new_store(tmp_path)
    new_store(tmp_path)
    assert list(tmp_path.glob("*.bak-*")) == []


def test_revision_0007_gives_existing_cases_their_state_after_the_decision(tmp_path):
    """A case closed before 0007 left the counter with its ticket: handed back, at its last
    change; a decided one stays decided; the report's figures come from its latest decision."""
    path = tmp_path / "cases.db"
    url = sqlite_url(path)
    engine = make_engine(url)
    upgrade(engine, url, target="0006")
    engine.dispose()
    decision = (
        '{"verdict": "not_covered", "remedy": null, "reasons": [{"code": "exclusion.3"}, {"code": "tbw_exceeded"}], '
        '"tbw": {"limit_bytes": 1000, "written_bytes": 1250, "exceeded": true}}'
    )
    with sqlite3.connect(path) as db:
        for i, status in enumerate(("closed", "decided", "draft"), start=1):
            db.execute(
                "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, "
                "updated_at, fields, serial, customer_name, customer_key, model, verdict) VALUES (?, 'SZ01', 2026, ?, "
                "?, 'ticket', 'ana', '2026-03-01 10:00:00.000000', ?, '{\"capacity_gb\": \"2000\"}', ?, 'Li', 'li', "
                "'NV7000', ?)",
                (
                    f"SZ01-2026-00000{i}",
                    i,
                    status,
                    f"2026-03-0{i + 1} 12:00:00.000000",
                    f"RN{i}",
                    None if status == "draft" else "not_covered",
                ),
            )
            if status != "draft":
                db.execute(
                    "INSERT INTO decision (case_id, decided_at, technician, verdict, decision, policy_id) "
                    "VALUES (?, '2026-03-01 11:00:00.000000', 'ana', 'not_covered', ?, 'netac')",
                    (i, decision),
                )
        db.execute(
            "INSERT INTO smart_snapshot (case_id, taken_at, device, readout, raw_output) "
            "VALUES (1, '2026-03-01 10:30:00.000000', '/dev/nvme0', '{\"power_on_hours\": 812}', x'00')"
        )

    store = new_store(tmp_path)
    closed, decided, draft = (store.get_case(f"SZ01-2026-00000{i}").summary for i in (1, 2, 3))
    assert (closed.status, decided.status, draft.status) == ("handed_back", "decided", "draft")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT status, handed_back_at, capacity_gb, product_line, reasons, tbw_used, power_on_hours "
            "FROM case_record ORDER BY id"
        ).fetchall()
    assert rows[0] == (
        "handed_back",
        "2026-03-02 12:00:00.000000",
        2000,
        "NV7000",
        "exclusion.3 tbw_exceeded",
        1.25,
        812,
    )
    assert rows[1][:2] == ("decided", None) and rows[1][6] is None
    assert rows[2][2:] == (None, "", "", None, None)


def test_revision_0009_keeps_hand_backs_and_gives_them_no_id_check_reason(tmp_path):
    """A hand-back recorded at 0008 had no reason for an unchecked ID: it keeps none."""
    path = tmp_path / "cases.db"
    url = sqlite_url(path)
    engine = make_engine(url)
    upgrade(engine, url, target="0008")
    engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, updated_at, "
            "fields, serial, customer_name, customer_key, model, verdict, product_line, reasons) VALUES "
            "('SZ01-2026-000001', 'SZ01', 2026, 1, 'handed_back', 'ticket', 'ana', '2026-03-01 10:00:00.000000', "
            "'2026-03-02 10:00:00.000000', '{}', 'RN1', 'Li', 'li', 'NV7000', 'not_covered', 'NV7000', '')"
        )
        db.execute(
            "INSERT INTO hand_back (case_id, at, technician, collected_by, id_checked, drive_serial, by_ticket) "
            "VALUES (1, '2026-03-02 10:00:00.000000', 'ana', 'Li', 0, 'RN1', 0)"
        )

    store = new_store(tmp_path)
    assert current_revision(store.engine) == head_revision()
    h = store.get_case("SZ01-2026-000001").hand_back
    assert (h.collected_by, h.id_checked, h.id_check_reason) == ("Li", False, None)


def test_revision_0010_keeps_findings_and_gives_them_no_template(tmp_path):
    """A finding recorded at 0009 reads in its English: it keeps no template ({})."""
    path = tmp_path / "cases.db"
    url = sqlite_url(path)
    engine = make_engine(url)
    upgrade(engine, url, target="0009")
    engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO case_record (number, station, year, seq, status, step, technician, created_at, updated_at, "
            "fields, serial, customer_name, customer_key, model, verdict, product_line, reasons) VALUES "
            "('SZ01-2026-000001', 'SZ01', 2026, 1, 'draft', 'counterfeit', 'ana', '2026-03-01 10:00:00.000000', "
            "'2026-03-01 10:00:00.000000', '{}', 'RN1', 'Li', 'li', 'NV7000', NULL, 'NV7000', '')"
        )
        db.execute(
            'INSERT INTO counterfeit_finding (case_id, batch, "check", severity, message, evidence, recorded_at) '
            "VALUES (1, 1, 'serial_format', 'high', 'The serial does not match.', '{}', '2026-03-01 10:00:00.000000')"
        )

    store = new_store(tmp_path)
    assert current_revision(store.engine) == head_revision() == "0010"
    [finding] = store.get_case("SZ01-2026-000001").findings
    assert (finding.message, finding.said) == ("The serial does not match.", {})
