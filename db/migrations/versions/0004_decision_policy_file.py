"""Each decision records which policy file decided it (SHA-256 of the file's bytes).

A station's copy of the policy changes when Netac's table does; the id and version say
which policy, the digest says which file exactly. Decisions recorded before this revision
keep NULL: the file that decided them is not known.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("policy_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.drop_column("policy_sha256")
