"""The dialect helpers (db/sql.py) give the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from db.models import AnalysisMark, ClipBlob, StoreMeta, Workshop
from db.sql import (
    dialect_of,
    epoch_seconds,
    fetch_rows,
    insert_ignore,
    raw_id,
    raw_instant,
    run_sql,
    upsert,
)
from db.store import Store


def test_upsert_inserts_then_overwrites_only_the_columns_given(store: Store) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    with store.writer.begin() as conn:
        upsert(conn, AnalysisMark, "workshop_id", {"workshop_id": a, "token": "one"})
        upsert(conn, AnalysisMark, "workshop_id",
               [{"workshop_id": a, "token": "two"}, {"workshop_id": b, "token": "two"},
                {"workshop_id": b, "token": "three"}])  # the same key twice: the later wins
        upsert(conn, AnalysisMark, "workshop_id", [])
    with store.engine.connect() as conn:
        assert dict(conn.execute(select(AnalysisMark.workshop_id, AnalysisMark.token)).all()) == {
            a: "two", b: "three"}
    with store.writer.begin() as conn:
        insert_ignore(conn, ClipBlob, {"sha256": "ab" * 32, "size": 10, "chunk_size": 5,
                                       "complete": False, "created_at": datetime.now(UTC)})
        upsert(conn, ClipBlob, "sha256", {"sha256": "ab" * 32, "complete": True})
    with store.engine.connect() as conn:
        size, complete = conn.execute(select(ClipBlob.size, ClipBlob.complete)).one()
    assert (size, complete) == (10, True)  # the size it was not given stays


def test_insert_ignore_keeps_the_first_row(store: Store) -> None:
    with store.writer.begin() as conn:
        insert_ignore(conn, StoreMeta, {"key": "k", "value": "first"})
        insert_ignore(conn, StoreMeta, {"key": "k", "value": "second"})
    assert store.meta("k") == "first"


def test_raw_ids_and_instants_come_from_the_database(store: Store) -> None:
    started = datetime(2026, 11, 22, 9, 30, 15, 250_000, tzinfo=UTC)
    with store.write() as s:
        w = Workshop(title="W", started_at=started)
        s.add(w)
    with store.read() as s:
        ident, seconds, instant = s.execute(
            select(raw_id(s, Workshop.id), epoch_seconds(s, Workshop.started_at),
                   raw_instant(s, Workshop.started_at))
        ).one()
    assert uuid.UUID(ident) == w.id
    assert seconds == started.timestamp()
    if dialect_of(store.engine) == "sqlite":
        assert datetime.fromisoformat(instant).replace(tzinfo=UTC) == started
    else:
        assert instant == int(started.timestamp() * 1000)


def test_raw_sql_takes_named_parameters_on_either_driver(store: Store) -> None:
    with store.writer.begin() as conn:
        run_sql(conn, "INSERT INTO store_meta (key, value) VALUES (%(k)s, %(v)s)",
                [{"k": "a", "v": "1"}, {"v": "2", "k": "b"}])
        run_sql(conn, "UPDATE store_meta SET value = %(v)s WHERE key = %(k)s", {"k": "a", "v": "3"})
        rows = fetch_rows(conn, "SELECT key, value FROM store_meta WHERE key IN (%(x)s, %(y)s) ORDER BY key",
                          {"y": "b", "x": "a"})
    assert rows == [("a", "3"), ("b", "2")]
