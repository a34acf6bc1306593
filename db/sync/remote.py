"""Opening the shared store, setting it up when it is empty, and naming it.

A shared store is an ordinary Ripple store (PostgreSQL, or a SQLite file on a network drive)
that every laptop pushes to and pulls from. An empty one is set up only when asked
(``--init-remote``); upgrading an older one is a deliberate step, because it locks out the laptops
still running the older Ripple.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from db import migrate
from db.connect import make_engine
from db.errors import RemoteEmpty, StoreError, opening
from db.store import Store
from db.urls import SECRET_QUERY_KEYS, mask_url, parse_url

#: The shared store must answer within this (the whole check stays under ten seconds).
REMOTE_CONNECT_TIMEOUT_S = 5


def open_remote(
    url: str | URL,
    *,
    upgrade: bool = False,
    create: bool = True,
    connect_timeout: int = REMOTE_CONNECT_TIMEOUT_S,
) -> Store:
    """Open the shared store; an empty database becomes one only with ``create`` (the
    app asks first: ``ripple sync --init-remote``, or Settings), so a mistyped address
    never turns into a second shared store.

    A shared store with an older schema is upgraded only when asked (``upgrade``), since
    that locks out laptops still on the older Ripple; a newer one is refused. Either way the
    message says what to do.
    """
    parsed = parse_url(url)
    is_file = parsed.get_backend_name() == "sqlite"
    if is_file and not create and parsed.database and not Path(parsed.database).expanduser().exists():
        raise RemoteEmpty(
            f"There is no shared store at {mask_url(parsed)}; check the path, or make it the shared "
            "store with `ripple sync --init-remote` (Settings asks)."
        )
    # A new shared file gets a rollback journal: WAL does not work over network file systems.
    engine = make_engine(
        parsed, connect_timeout=connect_timeout, journal_mode="DELETE" if is_file else "WAL"
    )
    masked = mask_url(parsed)
    with opening(engine, parsed):
        current, head = migrate.schema_state(engine)
        if current is None and not create:
            raise RemoteEmpty(
                f"{masked} is not a shared store yet; check the address, or make it the shared store "
                "with `ripple sync --init-remote` (Settings asks)."
            )
        if current is not None and current != head:
            if not migrate.is_known(current):
                raise StoreError(
                    f"The shared store at {masked} was upgraded by a newer Ripple (schema "
                    f"{current}); update Ripple on this laptop to sync with it."
                )
            if not upgrade:
                raise StoreError(
                    f"The shared store at {masked} has an older schema ({current}) than this "
                    f"Ripple ({head}); once every laptop runs this version, upgrade it with "
                    "`ripple sync --upgrade-remote` (or ask its admin, see docs/shared-store.md)."
                )
        if current != head:
            with _setup_lock(engine):
                _create_or_upgrade(engine)
        device_id = Store.ensure_identity(engine)
    return Store(engine, device_id)


SETUP_WAIT_S = 30.0  # as long as a writer waits for SQLite's lock (db/connect.SQLITE_BUSY_MS)
_SETUP_LOCK = 0x52_69_70_70  # "Ripp": one laptop at a time sets up the shared store


@contextmanager
def _setup_lock(engine: Engine) -> Iterator[None]:
    """Serialise laptops that find the shared store empty (or old) at the same moment.

    PostgreSQL: a session advisory lock. SQLite: the file's own write lock is taken by the
    migration; a loser sees "already exists" and re-checks (see _create_or_upgrade).
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK,))
        conn.commit()
        try:
            yield
        finally:
            conn.exec_driver_sql("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
            conn.commit()


def _create_or_upgrade(engine: Engine) -> None:
    """Create or upgrade the schema unless another laptop just did.

    On a shared SQLite file the laptops that lose the race meet the winner's write lock (or
    its half-made tables) and look again until it is done. The wait is bounded by time, not a
    count of attempts: on a busy machine one migration outlasted three 0.2 s retries and a
    laptop refused to start ("busy with another Ripple window").
    """
    deadline = time.monotonic() + SETUP_WAIT_S
    while True:
        try:
            current, head = migrate.schema_state(engine)
            if current == head:
                return
            migrate.upgrade(engine, allow_create=True)
            Store.ensure_identity(engine)
            return
        except DBAPIError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)  # another laptop was setting it up: look again


def address_of(url: str | URL) -> str:
    """A shared store's address as settings and ``sync_remotes`` keep it: no password at all
    (neither ``user:password@`` nor a ``password``/``sslpassword`` option)."""
    parsed = parse_url(url)._replace(password=None)
    secrets = [k for k in parsed.query if k.lower() in SECRET_QUERY_KEYS]
    return parsed.difference_update_query(secrets).render_as_string(hide_password=False)
