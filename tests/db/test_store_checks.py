"""What the store itself enforces and offers on both backends (migration 0007): enum values
by CHECK constraint, the indexes the analyst's queries need, clip chunks stored as they are."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from db.models import CHOICES, AgendaItem, Workshop
from db.store import Store, take_seqs


def test_an_enum_column_refuses_a_value_it_does_not_know(store: Store) -> None:
    assert ("agenda_items", "kind") in CHOICES
    wid = uuid.uuid4()
    now = datetime.now(UTC)
    base = {"hlc": store.clock.tick(), "origin": "x", "created_at": now, "updated_at": now}
    with store.writer.begin() as conn:
        conn.execute(Workshop.__table__.insert().values(id=wid, title="W", started_at=now, seq=take_seqs(conn, 1)[0],
                                                        **base))
    for table, values in ((Workshop, {"id": uuid.uuid4(), "title": "W", "started_at": now, "status": "paused"}),
                          (AgendaItem, {"id": uuid.uuid4(), "workshop_id": wid, "title": "A", "kind": "dance"})):
        with pytest.raises(IntegrityError), store.writer.begin() as conn:
            conn.execute(table.__table__.insert().values(seq=1, **base, **values))  # type: ignore[attr-defined]


def test_the_analysts_indexes_and_clip_storage(store: Store) -> None:
    with store.engine.connect() as conn:
        names = {i["name"] for t in ("workshops", "participants") for i in inspect(conn).get_indexes(t)}
        if store.is_sqlite:
            names |= {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"ix_workshops_started_at", "ix_participants_team", "ix_participants_lower_email"} <= names
        if not store.is_sqlite:
            storage = conn.execute(text(
                "SELECT attstorage FROM pg_attribute WHERE attrelid = 'clip_chunks'::regclass AND attname = 'data'"
            )).scalar()
            assert storage == "e"  # EXTERNAL: out of line, never recompressed
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(r[0] for r in conn.execute(text(
                "EXPLAIN SELECT id FROM participants WHERE lower(email) = 'a@b.c'")))
            assert "ix_participants_lower_email" in plan
