"""The case records: cases, inspection, SMART evidence, findings, decisions, tickets, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("station", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("technician", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("serial", sa.String(64), nullable=False),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16)),
        sa.UniqueConstraint("station", "year", "seq", name="uq_case_station_year_seq"),
    )
    op.create_index("ix_case_serial", "case_record", ["serial"])
    op.create_table(
        "inspection_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, index=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("finding", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("case_id", "key", name="uq_inspection_case_key"),
    )
    op.create_table(
        "smart_snapshot",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, index=True),
        sa.Column("taken_at", sa.DateTime, nullable=False),
        sa.Column("device", sa.String(200), nullable=False),
        sa.Column("readout", sa.Text, nullable=False),
        sa.Column("raw_output", sa.LargeBinary, nullable=False),
        sa.Column("host_bytes_written", sa.BigInteger),
    )
    op.create_table(
        "counterfeit_finding",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, index=True),
        sa.Column("batch", sa.Integer, nullable=False),
        sa.Column("check", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("confirmed", sa.Boolean),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, index=True),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.Column("technician", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("remedy", sa.String(32)),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("override_verdict", sa.String(16)),
        sa.Column("override_by", sa.String(64)),
        sa.Column("override_reason", sa.Text),
    )
    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("printer", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("printed_at", sa.DateTime),
    )
    op.create_table(
        "case_sequence",
        sa.Column("station", sa.String(8), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("station", sa.String(8), nullable=False),
        sa.Column("case_number", sa.String(32), index=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_id", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit_head", "audit_entry", "case_sequence", "ticket", "decision",
                  "counterfeit_finding", "smart_snapshot", "inspection_item", "case_record"):
        op.drop_table(table)
