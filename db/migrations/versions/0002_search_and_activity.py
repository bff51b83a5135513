"""Search by customer, list by day and status, and when each case last changed.

Adds case_record.updated_at (backfilled from created_at) so the home screen can order
drafts by last activity, a casefolded customer key with its index for the customer
search, and indexes for the day and status listings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_record") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("customer_key", sa.String(200), nullable=False, server_default=""))
    cases = sa.table("case_record", sa.column("id"), sa.column("created_at"), sa.column("updated_at"),
                     sa.column("customer_name"), sa.column("customer_key"))
    op.execute(cases.update().values(updated_at=cases.c.created_at))
    # casefold() has no SQL twin; lower() is what the store writes for ASCII names and
    # the store rewrites the key whenever a case is saved.
    op.execute(cases.update().values(customer_key=sa.func.lower(cases.c.customer_name)))
    with op.batch_alter_table("case_record") as batch:
        batch.alter_column("updated_at", nullable=False)
        batch.create_index("ix_case_customer", ["customer_key"])
        batch.create_index("ix_case_created", ["created_at"])
        batch.create_index("ix_case_status", ["status"])


def downgrade() -> None:
    with op.batch_alter_table("case_record") as batch:
        batch.drop_index("ix_case_status")
        batch.drop_index("ix_case_created")
        batch.drop_index("ix_case_customer")
        batch.drop_column("customer_key")
        batch.drop_column("updated_at")
