"""A technician's request for a supervisor's review, recorded with the decision.

Cases waiting for a supervisor (a `needs_review` decision, or a technician's request to
change the verdict) have the status `review` until a supervisor records the verdict.
Decisions recorded before this revision have no request; their cases keep their status.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("review_request", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.drop_column("review_request")
