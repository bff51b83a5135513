"""The diagnosis before the decision: the tests run on the claimed drive.

A self-test (the drive's own, with smartctl's output as evidence) or a read-only read test
is recorded as a row of `diagnosis_test`; the technician's conclusion (`fault`) is a field
of the claim, like the other fields of the draft. Cases decided before this revision have
no tests; their claims read as untested.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "diagnosis_test",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_record.id"), nullable=False, index=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("device", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("raw_output", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("diagnosis_test")
