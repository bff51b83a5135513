"""Why a collector's ID was not checked at the hand-back.

A hand-back without an ID check now needs a reason, kept on the hand-back row (and in its
audit entry). Hand-backs recorded before this revision have none.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hand_back") as batch:
        batch.add_column(sa.Column("id_check_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hand_back") as batch:
        batch.drop_column("id_check_reason")
