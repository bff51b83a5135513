"""The audit chain's head row exists from the start.

Every write locks this row first (SELECT ... FOR UPDATE), so on a server database two
stations' writes queue on it instead of both reading the same case sequence; that lock
needs a row to lock, and two first writes racing to insert it would collide.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text("INSERT INTO audit_head (id, last_id, last_hash) SELECT 1, 0, :genesis "
                       "WHERE NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1)").bindparams(genesis="0" * 64))


def downgrade() -> None:
    # The row is the chain's state once entries exist; only an empty chain's head goes.
    op.execute(sa.text("DELETE FROM audit_head WHERE last_id = 0"))
