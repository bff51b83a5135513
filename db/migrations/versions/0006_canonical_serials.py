"""Serials in their one canonical form: upper case, letters and digits only.

Lookups (the earlier-claims check, search, `cases list --serial`) compare the canonical
form, so cases recorded before this revision get theirs: `rn2024-0618` becomes `RN20240618`.
The claim as typed stays in the case's fields.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from policy.serials import canonical_serial

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, serial FROM case_record")).fetchall()
    for row_id, serial in rows:
        canonical = canonical_serial(serial or "")
        if canonical != serial:
            connection.execute(sa.text("UPDATE case_record SET serial = :serial WHERE id = :id"),
                               {"serial": canonical, "id": row_id})


def downgrade() -> None:
    pass  # the typed spelling is still in each case's fields; the canonical column serves both
