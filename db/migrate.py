"""Alembic, driven from code: the app upgrades a store on open and refuses a newer one.

Opening a store that is already current must be fast (the app starts in under two seconds),
so the revision check reads the migration files' headers directly and Alembic is imported
only when there is something to upgrade.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

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


def upgrade(engine: Engine, *, allow_create: bool = True, allow_upgrade: bool = True) -> None:
    """Bring the store to this version's schema, or explain why not in one sentence.

    ``allow_create=False`` / ``allow_upgrade=False``: for commands that only read, which must
    never turn a mistyped database into a store, nor upgrade a shared store under older
    laptops (that is ``ripple sync --upgrade-remote``'s job, asked for explicitly)."""
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
            raise StoreError(f"{mask_url(engine.url)} is not a Ripple store; check the address.")
        _ensure_schema(engine)
    elif not allow_upgrade:
        raise StoreError(
            f"The store at {mask_url(engine.url)} is from an older Ripple (schema {current}); a "
            "report does not upgrade it. Upgrade it with `ripple sync --upgrade-remote` (shared "
            "store) or by opening it in the app."
        )
    run_alembic(engine, "upgrade", "head")


def _ensure_schema(engine: Engine) -> None:
    """PostgreSQL: create the schema Ripple connects to (db/store.py sets it) if it is not
    there yet, so a new store never lands in ``public`` by accident."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        if conn.execute(text("SELECT current_schema()")).scalar() is not None:
            return
        path = str(conn.execute(text("SHOW search_path")).scalar() or "")
        first = path.split(",")[0].strip()
        if not first or first == '"$user"':
            return
        name = first[1:-1].replace('""', '"') if first.startswith('"') else first
        conn.exec_driver_sql('CREATE SCHEMA IF NOT EXISTS "' + name.replace('"', '""') + '"')
        conn.commit()


def run_alembic(engine: Engine, action: Literal["upgrade", "downgrade"], revision: str) -> None:
    """Run Alembic's ``upgrade`` or ``downgrade`` to ``revision`` on ``engine``, in one
    transaction, without the checks of :func:`upgrade` (tests walk every revision with it).

    SQLite: batch migrations rebuild tables, so foreign keys are off while they run. The
    pragma is a no-op inside a transaction, so it is set on the driver's connection before
    BEGIN, and set back on the same connection afterwards.
    """
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        raw: Any = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                getattr(command, action)(cfg, revision)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
