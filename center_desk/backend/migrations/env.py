"""Alembic environment: run by :func:`center_desk.backend.migrate.upgrade`, which passes the
connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from center_desk.backend.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only our own runner calls this
    raise RuntimeError("run migrations through center-desk-backend migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
