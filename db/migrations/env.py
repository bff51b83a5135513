"""Alembic environment: run by db.migrate on the store's own connection."""

from __future__ import annotations

from alembic import context

from db.models import SQLModel

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
# One transaction for the whole upgrade: a concurrent start waits, then finds it done.
with context.begin_transaction():
    context.run_migrations()
