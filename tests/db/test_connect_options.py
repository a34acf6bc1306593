"""How Ripple connects to PostgreSQL: the address's own libpq options are honoured, and the
schema is Ripple's to set (never a role setting, never ``public`` by accident)."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from db.connect import make_engine
from db.errors import StoreError
from db.store import Store
from db.sync.remote import open_remote
from tests.conftest import PG_BASE, _pg_available


@pytest.fixture
def plain_pg() -> str:
    if not _pg_available():
        pytest.skip("PostgreSQL is not reachable")
    return PG_BASE


def test_connect_timeout_and_application_name_in_the_url_are_honoured(pg_url: str) -> None:
    engine = make_engine(pg_url + "&application_name=ripple-laptop-7&connect_timeout=3")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW application_name").scalar() == "ripple-laptop-7"
        params = conn.connection.driver_connection.info.get_parameters()  # type: ignore[union-attr]
        assert params["connect_timeout"] == "3"
    engine.dispose()
    engine = make_engine(pg_url)  # without them, Ripple's own
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW application_name").scalar() == "ripple"
    engine.dispose()


def test_ripple_sets_its_schema_itself(plain_pg: str) -> None:
    """``?schema=NAME`` (or ``ripple``) is the only schema on the path: a store is made there
    when asked, an empty one is refused otherwise, and nothing ever lands in ``public``."""
    name = "s_" + uuid.uuid4().hex[:10]
    url = f"{plain_pg}?schema={name}"
    plain = plain_pg.replace("+psycopg", "")
    try:
        with pytest.raises(StoreError, match="is not a shared store yet"):
            open_remote(url, create=False)
        remote = open_remote(url, create=True)  # --init-remote: the schema is made too
        with remote.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_schema()").scalar() == name
        remote.close()
        with psycopg.connect(plain) as conn:
            tables = {r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (name,))}
            in_public = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_name = 'alembic_version'").fetchone()
        assert {"workshops", "alembic_version", "sync_push_marks"} <= tables
        assert in_public == (0,)
        again = Store.open(url, create=False, upgrade=False)  # a reader finds it by itself
        again.close()
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
