"""Connecting to a store: an engine set up the way Ripple needs it on either backend.

SQLite: durable (WAL or the file's own journal, ``synchronous=FULL``), erasures zeroed
(``secure_delete``), and writers take their lock at BEGIN so a read-then-write transaction
waits for another writer instead of failing midway. PostgreSQL: keepalives, a bounded connect
timeout, and Ripple's own schema asked for in the startup packet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from db.busy import begin_immediate
from db.errors import StoreError
from db.urls import parse_url

CONNECT_TIMEOUT_S = 8
#: How long a SQLite writer waits for another's lock before giving up.
SQLITE_BUSY_MS = 30_000


def _sqlite_path(url: URL) -> Path | None:
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db).expanduser()


def make_engine(
    url: str | URL, *, connect_timeout: int = CONNECT_TIMEOUT_S, journal_mode: str = "WAL"
) -> Engine:
    """An engine configured the way Ripple needs on either backend.

    ``journal_mode`` is the SQLite journal a new file gets; an existing file keeps the one it
    was made with, so a shared store on a network drive (made with DELETE, because WAL needs
    shared memory that network file systems do not give) stays that way whoever opens it.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(parsed)
        if path is not None and not path.parent.exists():
            raise StoreError(
                f"The folder for the store {path} does not exist; create it or choose another path."
            )
        engine = create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let us issue BEGIN ourselves (pysqlite's implicit transactions are unreliable).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if cur.execute("PRAGMA page_count").fetchone()[0] == 0:
                cur.execute(f"PRAGMA journal_mode={journal_mode}")
            cur.execute("PRAGMA synchronous=FULL")
            # Deleted or overwritten content is zeroed, not left in free pages (an erasure must
            # not leave a name in the file).
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # Writers take the lock up front, so a read-then-write transaction can wait for
            # another writer instead of failing with SQLITE_BUSY_SNAPSHOT.
            # Straight to the driver: this runs on every transaction, including each tap.
            raw = conn.connection.driver_connection
            options = conn.get_execution_options()
            if options.get("ripple_write"):
                begin_immediate(raw, options.get("ripple_wait_ms", SQLITE_BUSY_MS), SQLITE_BUSY_MS)
            else:
                raw.execute("BEGIN")

        return engine
    parsed, options = pg_connect_options(parsed, connect_timeout)
    return create_engine(parsed, pool_pre_ping=True, connect_args=options)


#: The schema a PostgreSQL store lives in unless the address names another (``?schema=…``).
DEFAULT_SCHEMA = "ripple"


def pg_connect_options(url: URL, connect_timeout: int) -> tuple[URL, dict[str, Any]]:
    """The libpq options Ripple connects with: the address's own ``connect_timeout`` and
    ``application_name`` win over Ripple's defaults, and the schema is Ripple's to set.

    Why the schema is set here and not by ``ALTER ROLE … SET search_path``: role settings
    are per database (a restore into a new database loses them) and per role (a trainer role
    created later does not inherit them), and a connection without them silently used
    ``public``. Ripple asks for its schema in the startup packet itself: ``?schema=NAME`` in
    the address, or ``ripple``; an address that sets ``options=-csearch_path=…`` keeps it.
    Only that schema is on the path, so nothing is ever created elsewhere.
    """
    query = dict(url.query)
    schema = query.pop("schema", None)
    options: dict[str, Any] = {
        "keepalives": 1, "keepalives_idle": 20, "keepalives_interval": 10, "keepalives_count": 3,
    }
    # Keepalives: a network that drops mid-sync fails the sync in about a minute instead of
    # hanging it. The address's own values (query strings) are left to the driver.
    if "connect_timeout" not in query:
        options["connect_timeout"] = connect_timeout
    if "application_name" not in query:
        options["application_name"] = "ripple"
    given = str(query.get("options", ""))
    if "search_path" not in given:
        name = str(schema or DEFAULT_SCHEMA)
        quoted = '"' + name.replace('"', '""') + '"'
        path = "-csearch_path=" + quoted.replace(" ", "\\ ")
        options["options"] = f"{given} {path}".strip()
        query.pop("options", None)
    return url.set(query=query), options

