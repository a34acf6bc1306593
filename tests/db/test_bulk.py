"""The bulk writers' inserts (db/bulk.py): on SQLite the driver's values are made before the
write lock, and what they write must be what the ORM writes for the same rows."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from db.bulk import insert_rows, prepare_rows, ready_rows
from db.models import ConsentEvent, Participant, Workshop, WorkshopParticipant
from db.store import LockHold, Store

SKIP = {"id", "seq", "hlc", "created_at", "updated_at", "participant_id", "workshop_id", "versions"}
PARIS = timezone(timedelta(hours=1))


def _people(tag: str) -> list[dict[str, Any]]:
    """People as the importers give them: some columns left to their defaults, an instant
    in another zone, JSON, no e-mail."""
    return [
        {"name": f"Ana {tag}", "email": f"ana.{tag}@example.org", "team": "Sales", "consent_video": True,
         "consent_at": datetime(2026, 11, 22, 10, 30, 0, 123456, tzinfo=PARIS), "consent_by": "Bench",
         "extra": {"badge": ["é", 1, None]}},
        {"name": f"Bo {tag}", "email": None},
    ]


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in SKIP}


def test_a_bulk_chunk_writes_what_the_orm_writes(store: Store) -> None:
    with store.write() as s:
        w = Workshop(title="Bulk", started_at=datetime(2026, 11, 22, 9, tzinfo=UTC))
        s.add(w)
        s.flush()
        wid = w.id
        orm = [Participant(**p) for p in _people("orm")]
        s.add_all(orm)
        s.flush()
        s.add_all([ConsentEvent(participant_id=orm[0].id, scope="video", granted=True,
                                at=datetime(2026, 11, 22, 10, tzinfo=PARIS), by="Bench")])
        s.add_all([WorkshopParticipant(workshop_id=wid, participant_id=p.id, position=n) for n, p in enumerate(orm)])
        orm_ids = [p.id for p in orm]
    people = _people("bulk")
    prepare_rows(store, [(Participant, people)])
    events = [{"participant_id": people[0]["id"], "scope": "video", "granted": True,
               "at": datetime(2026, 11, 22, 10, tzinfo=PARIS), "by": "Bench"}]
    joins = [{"workshop_id": wid, "participant_id": p["id"], "position": n} for n, p in enumerate(people)]
    tables = [(Participant, people), (ConsentEvent, events), (WorkshopParticipant, joins)]
    prepare_rows(store, tables[1:])
    ready = ready_rows(store, tables)
    with store.bulk_write() as conn:
        insert_rows(store, conn, tables, ready=ready)
    bulk_ids = [p["id"] for p in people]
    with store.read() as s:
        def rows(model: Any, ids: list[uuid.UUID], by: Any) -> list[dict[str, Any]]:
            found = s.scalars(select(model).where(by.in_(ids)).execution_options(include_deleted=True)).all()
            out = [_columns(r) for r in found]
            for r in out:
                if "name" in r:
                    r["name"], r["email"] = r["name"].split()[0], r["email"] and r["email"].split(".")[0]
            return sorted(out, key=repr)

        for model, by in ((Participant, Participant.id), (ConsentEvent, ConsentEvent.participant_id),
                          (WorkshopParticipant, WorkshopParticipant.participant_id)):
            assert rows(model, bulk_ids, by) == rows(model, orm_ids, by), model.__name__
        seqs = [r.seq for r in s.scalars(select(Participant).where(Participant.id.in_(bulk_ids)))]
        got = s.get(Participant, bulk_ids[0])
        assert got is not None and got.consent_at == datetime(2026, 11, 22, 9, 30, 0, 123456, tzinfo=UTC)
        assert got.extra == {"badge": ["é", 1, None]} and got.team == "Sales"
        assert s.get(Participant, bulk_ids[1]).team == ""  # type: ignore[union-attr]  # the column's default
    assert len(set(seqs)) == 2 and all(q > 0 for q in seqs)


def test_a_row_changed_after_it_was_made_ready_is_written_as_it_is_now(store: Store) -> None:
    """A chunk's check under the lock may point a row elsewhere (a check-in whose commitment
    was left out): the values made before the lock are not used for it."""
    people = [*_people("x"), {"name": "Cy", "email": "cy@example.org", "hlc": "000000000000001-00000-file"}]
    prepare_rows(store, [(Participant, people)])
    ready = ready_rows(store, [(Participant, people)])
    people[0]["team"] = "Changed under the lock"
    late = {"name": "Di", "email": "di@example.org"}  # decided under the lock
    prepare_rows(store, [(Participant, [late])])
    with store.bulk_write() as conn:
        insert_rows(store, conn, [(Participant, [*people, late])], keep_versions=True, ready=ready)
    with store.read() as s:
        assert s.get(Participant, people[0]["id"]).team == "Changed under the lock"  # type: ignore[union-attr]
        assert s.get(Participant, people[1]["id"]).name == "Bo x"  # type: ignore[union-attr]
        assert s.get(Participant, late["id"]).name == "Di"  # type: ignore[union-attr]
        kept = s.get(Participant, people[2]["id"])
        assert kept is not None and kept.hlc == "000000000000001-00000-file"  # a file's version is kept
        assert s.get(Participant, people[0]["id"]).hlc == people[0]["hlc"] > "000000000000001"  # type: ignore[union-attr]


def test_a_bulk_writes_hold_includes_its_commit(pg_url: str) -> None:
    """A tap waits for the whole transaction, commit included, so that is what a chunk is
    sized by (db.store.LockHold). On PostgreSQL a deferred constraint trigger runs at the
    commit: one that takes 0.3 s must be in the hold, though the inserts take milliseconds."""
    store = Store.open(pg_url)
    try:
        with store.bulk_write() as conn:
            conn.exec_driver_sql(
                "CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$")
            conn.exec_driver_sql(
                "CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON participants "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()")
        people = _people("hold")[:1]
        prepare_rows(store, [(Participant, people)])
        hold = LockHold()
        started = time.perf_counter()
        with store.bulk_write(hold) as conn:
            insert_rows(store, conn, [(Participant, people)])
            inserted = time.perf_counter() - started
        assert inserted < 0.3 <= hold.seconds, (inserted, hold.seconds)
        assert store.append_many([(Participant, _people("many")[:1])]) >= 0.3  # the roster's path too
    finally:
        store.close()
