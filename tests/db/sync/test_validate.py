"""Malformed rows written straight into the shared store (by hand, a script, a bad restore)
are skipped by every laptop's pull with one sentence naming each; nothing local is damaged,
the rest of the batch lands, and the laptop keeps working and syncing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, list_workshops, load_plan
from db.models import AgendaItem, Contribution, Synced, Workshop
from db.store import Store, take_seqs
from db.sync.engine import sync
from db.sync.remote import open_remote
from db.sync.rows import BY_NAME
from db.sync.validate import problem
from tests.helpers.sync import state


def _write_raw(remote: Store, model: type[Synced], **values: Any) -> uuid.UUID:
    """A row as someone with psql would write it: no checks but the database's own."""
    now = datetime.now(UTC)
    row = {"id": uuid.uuid4(), "origin": "psql", "created_at": now, "updated_at": now, **values}
    with remote.writer.begin() as conn:
        row["seq"] = take_seqs(conn, 1)[0]
        row.setdefault("hlc", remote.clock.tick())
        conn.execute(model.__table__.insert().values(**row))  # type: ignore[attr-defined]
    return row["id"]


def test_a_malformed_row_on_the_shared_store_is_skipped_with_one_sentence(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid = create_workshop(a, "Negotiation lab")
    item = add_agenda_item(a, wid, "challenge", "Opening")
    ana = add_participant(a, wid, "Ana", email="ana@example.org")
    sync(a, remote)
    sync(b, remote)
    before = state(b)

    bad_ws = _write_raw(remote, Workshop, title="Stamped by hand", hlc="not-a-stamp",
                        started_at=datetime.now(UTC))
    # A contribution in the broken workshop cannot land without it: skipped too.
    orphan = _write_raw(remote, Contribution, workshop_id=bad_ws, participant_id=ana,
                        at=datetime.now(UTC), kind="story")
    # (An unknown kind is refused by the store's own CHECK constraint; a broken stamp list is not.)
    bad_kind = _write_raw(remote, AgendaItem, workshop_id=wid, kind="break", title="Bad versions",
                          versions={"_": "soon"})
    good = _write_raw(remote, Contribution, workshop_id=wid, agenda_item_id=item, participant_id=ana,
                      at=datetime.now(UTC), kind="tip")

    report = sync(b, remote)
    assert len(report.skipped) == 3
    assert any(str(bad_ws)[:8] in s and "version stamp “not-a-stamp” is not valid" in s
               for s in report.skipped)
    assert any(str(bad_kind)[:8] in s and "its versions hold a stamp that is not valid" in s
               for s in report.skipped)
    assert any(str(orphan)[:8] in s and "belongs to a workshop that was skipped" in s for s in report.skipped)
    assert report.skipped[0] in report.summary() and "2 more such rows skipped" in report.summary()
    assert report.pulled["contributions"] == 1  # the good row of the same batch landed

    # Nothing local damaged: the laptop lists, plans and syncs as before.
    assert [w.id for w in list_workshops(b)] == [wid]
    assert [i.title for i in load_plan(b, wid).agenda] == ["Opening"]
    with b.read() as s:
        assert s.get(Contribution, good) is not None
        assert s.get(Workshop, bad_ws) is None and s.get(AgendaItem, bad_kind) is None
    after = state(b)
    assert {k: v for k, v in after.items() if k != "contributions"} == {
        k: v for k, v in before.items() if k != "contributions"}
    # Said once: the watermark moved past the bad rows, and the next sync is quiet.
    again = sync(b, remote)
    assert again.skipped == [] and "Skipped" not in again.summary()
    create_workshop(b, "Still works")
    assert sync(b, remote).sent >= 1
    for s in (remote,):
        s.close()


def test_a_child_of_a_row_skipped_earlier_is_skipped_later(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    """The parent was bad in an earlier pull; its child arrives alone later."""
    b = laptops("b")
    remote = open_remote(remote_url)
    bad_ws = _write_raw(remote, Workshop, title="x" * 10, started_at=datetime.now(UTC), extra=[1, 2])
    assert "its extra is not a JSON object" in sync(b, remote).skipped[0]
    pid = uuid.uuid4()
    from db.models import Participant

    _write_raw(remote, Participant, id=pid, name="Ben")
    _write_raw(remote, Contribution, workshop_id=bad_ws, participant_id=pid, at=datetime.now(UTC))
    report = sync(b, remote)
    assert report.pulled["participants"] == 1
    assert report.skipped and "the workshop it belongs to is not here" in report.skipped[0]
    with b.read() as s:
        assert s.scalars(select(Contribution)).all() == []
    remote.close()


def test_the_checks_name_what_is_wrong() -> None:
    spec = BY_NAME["participants"]
    now = "2026-12-03 10:00:00.000000"

    def row(**over: Any) -> tuple[Any, ...]:
        values = {c: None for c in spec.columns}
        values.update(id=uuid.uuid4().hex, hlc="001764756000000-00000-abc", origin="abc", seq=1,
                      created_at=now, updated_at=now, name="Ana", team="", consent_video=0,
                      consent_community=0, consent_analytics=0, consent_by="")
        values.update(over)
        return tuple(values[c] for c in spec.columns)

    assert problem(spec, row()) is None
    assert problem(spec, row(team="t" * 201)) == "its team is 201 characters long (at most 200)"
    assert problem(spec, row(name="A\x00na")) == "its name holds a NUL character"
    assert problem(spec, row(name=None)) == "its name is missing"
    assert problem(spec, row(id="1234")) == "its id “1234” is not an id"
    assert problem(spec, row(created_at="yesterday")) == "its created_at “yesterday” is not a time"
    assert problem(spec, row(consent_video=7)) == "its consent_video “7” is not yes or no"
    assert problem(spec, row(versions='{"_": "soon"}')) == "its versions hold a stamp that is not valid"
    assert problem(spec, row(versions="[1, 2]")) == "its versions is not a JSON object"
    assert problem(spec, row(extra="{not json")) == "its extra is not valid JSON"
    assert problem(spec, row(hlc="001764756000000-00000-a-b")) is not None
