"""After the decision: repair or replacement, hand-back, shipments to Netac, the station's figures.

New states of a case after `decided` (db/lifecycle.py): `awaiting_repair`,
`awaiting_stock`, `ready` (for pickup), `handed_back`; and `withdrawn` before a decision.
Before this revision a case ended with its ticket as `closed`: the customer left the counter
with the ticket then, so a closed case becomes `handed_back`, at its last change. A
`decided` case stays `decided` (its ticket was not finished at the counter).

New tables: `replacement` (the drive a covered customer receives; the failed serial is then
known as replaced, which the counterfeit checks use), `hand_back` (who collected, ID
checked), `shipment` (a parcel of failed drives to Netac; a case's `shipment_id` puts its
failed drive in one).

The report's figures are copied onto each case when it is decided (with an index in the
order the report groups them) (product line, capacity,
reason codes, TBW used, power-on hours, who overrode or resolved a review) so that a
month's report reads one table; for existing cases they are filled in here from their latest
decision and SMART readout.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

# The report's indexes, as in db.models (written out: a migration must not change when the code does).
REPORT_INDEXES = {
    "ix_case_report": [
        "product_line",
        "capacity_gb",
        "verdict",
        "reasons",
        "override_by",
        "reviewed_by",
        "created_at",
        "status",
        "tbw_used",
        "power_on_hours",
        "days_to_hand_back",
    ],
    "ix_case_tbw_used": ["tbw_used", "created_at", "status"],
    "ix_case_power_on_hours": ["power_on_hours", "created_at", "status"],
    "ix_case_days_to_hand_back": ["days_to_hand_back", "created_at", "status"],
}

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _case_columns() -> tuple[sa.Column, ...]:
    return (
        sa.Column("capacity_gb", sa.Integer, nullable=True),
        sa.Column("product_line", sa.String(64), nullable=False, server_default=""),
        sa.Column("reasons", sa.String(400), nullable=False, server_default=""),
        sa.Column("tbw_used", sa.Float, nullable=True),
        sa.Column("power_on_hours", sa.Integer, nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.Column("override_by", sa.String(64), nullable=True),
        sa.Column("reviewed_by", sa.String(64), nullable=True),
        sa.Column("handed_back_at", sa.DateTime, nullable=True),
        sa.Column("days_to_hand_back", sa.Float, nullable=True),
    )


def upgrade() -> None:
    op.create_table(
        "shipment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("station", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("technician", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
    )
    op.create_table(
        "replacement",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, unique=True),
        sa.Column("original_serial", sa.String(64), nullable=False, index=True),
        sa.Column("serial", sa.String(64), nullable=False, unique=True),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("capacity_gb", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("technician", sa.String(64), nullable=False),
        sa.Column("substitution_reason", sa.Text, nullable=True),
        sa.Column("substitution_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "hand_back",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, unique=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("technician", sa.String(64), nullable=False),
        sa.Column("collected_by", sa.String(200), nullable=False),
        sa.Column("id_checked", sa.Boolean, nullable=False),
        sa.Column("drive_serial", sa.String(64), nullable=False),
        sa.Column("by_ticket", sa.Boolean, nullable=False),
    )
    with op.batch_alter_table("case_record") as batch:
        for column in _case_columns():
            batch.add_column(column)
        batch.add_column(sa.Column("shipment_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_case_record_shipment_id_shipment", "shipment", ["shipment_id"], ["id"])
        batch.create_index("ix_case_record_shipment_id", ["shipment_id"])
        for name, columns in REPORT_INDEXES.items():
            batch.create_index(name, columns)
    with op.batch_alter_table("case_record") as batch:
        batch.alter_column("product_line", server_default=None)
        batch.alter_column("reasons", server_default=None)
    _fill_in_existing_cases(op.get_bind())


def _fill_in_existing_cases(connection: sa.Connection) -> None:
    closed = connection.execute(
        sa.text("SELECT id, created_at, updated_at FROM case_record WHERE status = 'closed'")
    ).fetchall()
    for case_id, created_at, updated_at in closed:
        days = (_moment(updated_at) - _moment(created_at)).total_seconds() / 86400
        connection.execute(
            sa.text(
                "UPDATE case_record SET status = 'handed_back', handed_back_at = updated_at, "
                "days_to_hand_back = :days WHERE id = :id"
            ),
            {"days": days, "id": case_id},
        )
    cases = connection.execute(sa.text("SELECT id, fields, model FROM case_record WHERE verdict IS NOT NULL"))
    for case_id, fields, model in cases.fetchall():
        decisions = connection.execute(
            sa.text(
                "SELECT decided_at, decision, override_by, review_request FROM decision "
                "WHERE case_id = :id ORDER BY id"
            ),
            {"id": case_id},
        ).fetchall()
        if not decisions:
            continue
        decided_at, decision, override_by, _ = decisions[-1]
        outcome = json.loads(decision)
        tbw = outcome.get("tbw") or {}
        written, limit = tbw.get("written_bytes"), tbw.get("limit_bytes")
        snapshot = connection.execute(
            sa.text("SELECT readout FROM smart_snapshot WHERE case_id = :id ORDER BY id DESC LIMIT 1"),
            {"id": case_id},
        ).first()
        hours = json.loads(snapshot[0]).get("power_on_hours") if snapshot else None
        capacity = json.loads(fields or "{}").get("capacity_gb")
        values = {
            "id": case_id,
            "capacity_gb": int(capacity) if str(capacity or "").isdigit() else None,
            "product_line": model or "",
            "reasons": " ".join(r.get("code", "") for r in outcome.get("reasons", []))[:400],
            "tbw_used": written / limit if isinstance(written, int) and isinstance(limit, int) and limit else None,
            "power_on_hours": hours if isinstance(hours, int) else None,
            "decided_at": decided_at,
            # A second decision on a case is a supervisor's resolution of its review.
            "override_by": override_by if len(decisions) == 1 else None,
            "reviewed_by": override_by if len(decisions) > 1 else None,
        }
        connection.execute(
            sa.text(
                "UPDATE case_record SET capacity_gb = :capacity_gb, product_line = :product_line, "
                "reasons = :reasons, tbw_used = :tbw_used, power_on_hours = :power_on_hours, "
                "decided_at = :decided_at, override_by = :override_by, reviewed_by = :reviewed_by WHERE id = :id"
            ),
            values,
        )


def _moment(value: object) -> datetime:
    """A time as the driver gives it back (SQLite: text)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=None)


def downgrade() -> None:
    op.execute("UPDATE case_record SET status = 'closed' WHERE status IN ('handed_back', 'ready')")
    op.execute(
        "UPDATE case_record SET status = 'decided' WHERE status IN ('awaiting_repair', 'awaiting_stock')"
    )
    op.execute("UPDATE case_record SET status = 'closed' WHERE status = 'withdrawn'")
    with op.batch_alter_table("case_record") as batch:
        for name in REPORT_INDEXES:
            batch.drop_index(name)
        batch.drop_index("ix_case_record_shipment_id")
        batch.drop_constraint("fk_case_record_shipment_id_shipment", type_="foreignkey")
        batch.drop_column("shipment_id")
        for column in _case_columns():
            batch.drop_column(column.name)
    op.drop_table("hand_back")
    op.drop_table("replacement")
    op.drop_table("shipment")
