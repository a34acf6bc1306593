"""Shared fixtures: an isolated data directory per test, and stores on SQLite and PostgreSQL.

PostgreSQL tests run against the live server (``RIPPLE_TEST_PG``); each test gets its own
schema, dropped afterwards. With ``RIPPLE_REQUIRE_PG=1`` an unreachable server fails the
run instead of skipping it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers.sync import laptops  # noqa: F401  (a fixture the sync and erasure tests share)

PG_BASE = os.environ.get("RIPPLE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("RIPPLE_REQUIRE_PG") == "1"


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication(qapp: object) -> object:
    """The QApplication exists before any test runs. Code that needs Qt outside the GUI (the
    microphone list of ``ripple devices``) makes a bare QCoreApplication when there is none,
    and a QWidget made in a later test of the same run would then abort the whole run."""
    return qapp


@pytest.fixture(autouse=True)
def ripple_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user's data: every test has its own data directory."""
    home = tmp_path / "ripple-home"
    home.mkdir()
    monkeypatch.setenv("RIPPLE_HOME", str(home))
    monkeypatch.delenv("RIPPLE_DB", raising=False)
    return home


_pg_checked: bool | None = None


def _pg_available() -> bool:
    global _pg_checked
    if _pg_checked is None:
        import psycopg

        try:
            with psycopg.connect(PG_BASE.replace("+psycopg", ""), connect_timeout=3):
                _pg_checked = True
        except psycopg.Error:
            _pg_checked = False
    return _pg_checked


def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema; the schema is dropped afterwards."""
    if not _pg_available():
        msg = f"PostgreSQL is not reachable at {PG_BASE}"
        if REQUIRE_PG:
            pytest.fail(msg + " (RIPPLE_REQUIRE_PG=1)")
        pytest.skip(msg)
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    plain = PG_BASE.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_BASE else "?"
    try:
        yield f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_schema_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on the embedded SQLite store and on the live PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from pg_schema_url()


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    from db.store import Store

    s = Store.open(store_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[object]:
    from db.store import Store

    s = Store.open(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def remote_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The shared store: a SQLite file (as on a network drive) or the live PostgreSQL."""
    if request.param == "sqlite":
        shared = tmp_path / "share"
        shared.mkdir()
        yield f"sqlite:///{shared / 'ripple.db'}"
    else:
        yield from pg_schema_url()


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication(qapp: object) -> object:
    """The QApplication exists before any test runs. Without it, a headless test that records
    sound first (media/audio.py then makes a bare QCoreApplication, as the CLI needs) leaves a
    core application behind, and the next widget test aborts the whole run."""
    return qapp
