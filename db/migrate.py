"""Alembic, driven from code: the app upgrades a store on open and refuses a newer one.

Opening a store that is already current must be fast (the app starts in under two seconds),
so the revision check reads the migration files' headers directly and Alembic is imported
only when there is something to upgrade.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.errors import StoreError
from db.urls import mask_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_HEADER = re.compile(r"^(revision|down_revision)\s*=\s*['\"]?([\w.]+|None)['\"]?\s*$", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@lru_cache(maxsize=1)
def _revisions() -> dict[str, str | None]:
    """revision -> down_revision, read from the version files' headers."""
    graph: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        fields = dict(_HEADER.findall(path.read_text(encoding="utf-8")))
        if "revision" in fields:
            down = fields.get("down_revision")
            graph[fields["revision"]] = None if down in (None, "None") else down
    return graph


def head_revision() -> str:
    graph = _revisions()
    parents = {d for d in graph.values() if d}
    heads = [r for r in graph if r not in parents]
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {heads}")
    return heads[0]


def is_known(revision: str) -> bool:
    return revision in _revisions()


def current_revision(conn: Connection) -> str | None:
    """The store's schema revision; None for an empty database. Use a fresh connection."""
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        conn.rollback()
        return None


def schema_state(engine: Engine) -> tuple[str | None, str]:
    """(the store's revision, this Ripple's head), for messages and sync checks."""
    with engine.connect() as conn:
        return current_revision(conn), head_revision()


def upgrade(engine: Engine, *, allow_create: bool = True) -> None:
    """Bring the store to this version's schema, or explain why not in one sentence."""
    with engine.connect() as conn:
        current = current_revision(conn)
    head = head_revision()
    if current == head:
        return
    if current is not None and not is_known(current):
        raise StoreError(
            f"The store at {mask_url(engine.url)} was written by a newer Ripple "
            f"(schema {current}); update Ripple on this laptop to open it."
        )
    if current is None:
        with engine.connect() as conn:
            has_tables = bool(inspect(conn).get_table_names())
        if has_tables:
            raise StoreError(
                f"{mask_url(engine.url)} already holds tables that are not a Ripple store; "
                "choose an empty database or a new file."
            )
        if not allow_create:
            raise StoreError(f"{mask_url(engine.url)} is not a Ripple store yet.")
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # Batch migrations rebuild tables; foreign keys must be off while they do.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
