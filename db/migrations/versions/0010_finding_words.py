"""The words of a counterfeit finding in any language.

A finding's message is kept in English (the record); beside it now the template and values it
was said from ({"message": {"template", "values"}}), so a case reopened in another language reads
its findings in that language. Findings recorded before this revision have none: they read in
their English.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counterfeit_finding") as batch:
        batch.add_column(sa.Column("said", sa.Text, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("counterfeit_finding") as batch:
        batch.drop_column("said")
