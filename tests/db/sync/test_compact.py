"""Tombstones on the shared store are removed once every laptop has pulled past them (and
nothing points at them); until then, and for rows still pointed at, they stay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.planning.agenda import add_agenda_item, delete_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, delete_workshop, list_workshops
from db.models import AgendaItem, Contribution, Workshop
from db.store import Store
from db.sync.compact import compact, seen_by_all
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import state


def _count(store: Store, model: type) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_tombstones_every_laptop_has_seen_are_compacted(remote_url: str, laptops: Callable[..., Store]) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    gone = create_workshop(a, "Cancelled")
    kept = create_workshop(a, "Runs")
    item = add_agenda_item(a, kept, "challenge", "Dropped, but its share is kept")
    ana = add_participant(a, kept, "Ana", email="ana@example.org")
    a.append(Contribution, {"workshop_id": kept, "agenda_item_id": item, "participant_id": ana,
                            "at": datetime.now(UTC)})
    sync(a, remote)
    sync(b, remote)
    delete_workshop(a, gone)
    delete_agenda_item(a, item)
    sync(a, remote)
    later = timedelta(0)
    assert compact(remote, grace=later) == 0  # b has not pulled the deletions yet
    sync(b, remote)
    assert seen_by_all(remote) > 0
    before = _count(remote, Workshop)
    assert compact(remote, grace=timedelta(days=30)) == 0  # too recent
    assert compact(remote, grace=later) >= 1
    assert _count(remote, Workshop) == before - 1
    with remote.read() as s:
        # The deleted item stays: a kept contribution still points at it.
        assert s.get(AgendaItem, item, execution_options={"include_deleted": True}) is not None
    # The laptops carry on: nothing comes back, a new laptop never sees the compacted row.
    for store in (a, b):
        sync(store, remote)
        assert [w.title for w in list_workshops(store)] == ["Runs"]
    c = laptops("c")
    sync(c, remote)
    assert [w.title for w in list_workshops(c)] == ["Runs"]
    assert state(a) == state(b)
    remote.close()


def test_an_erased_participants_tombstone_is_never_compacted(remote_url: str, laptops: Callable[..., Store]) -> None:
    """The erased tombstone is deleted *and* erased: without the exception compaction removed
    it, and with it what recognises the person when an old file or laptop brings them back."""
    from app.erasure import erase_participant
    from app.planning.ids import erased_email_hash
    from db.models import Participant

    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    w = create_workshop(a, "Runs")
    ana = add_participant(a, w, "Ana", email="ana@example.org")
    sync(a, remote)
    sync(b, remote)
    erase_participant(a, ana)
    sync(a, remote)
    sync(b, remote)
    assert seen_by_all(remote) > 0
    compact(remote, grace=timedelta(0))
    with remote.read() as s:
        tomb = s.get(Participant, ana, execution_options={"include_deleted": True})
        assert tomb is not None and tomb.erased_at is not None and tomb.deleted_at is not None
        assert tomb.erased_email_hash == erased_email_hash("ana@example.org")
    remote.close()
