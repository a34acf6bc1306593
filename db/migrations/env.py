"""Alembic environment: runs on the connection the app hands over (see db/migrate.py).

For developers: `alembic -c db/alembic.ini revision --autogenerate -m "..."` with
RIPPLE_DB pointing at a store at head.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, create_engine

from db.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # command-line use by developers
    url = os.environ.get("RIPPLE_DB") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set RIPPLE_DB to the store to migrate")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
