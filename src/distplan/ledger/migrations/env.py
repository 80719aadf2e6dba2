"""Alembic environment: runs on the connection distplan hands over (config.attributes)."""

from __future__ import annotations

from alembic import context

from distplan.ledger.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic -c alembic.ini upgrade head` by hand
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite:///./distplan.db")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
