"""Deleting a workshop can be undone: the undo brings back exactly what the deletion
tombstoned, as a new local edit that wins over the deletion everywhere it went, while an old
copy (a stale laptop's, a portable file's) still cannot revive it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.clips.reactions import react
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, delete_agenda_item
from app.planning.participants import add_participant, remove_participant
from app.planning.workshops import (
    create_workshop,
    delete_workshop,
    list_workshops,
    load_plan,
    restore_workshop,
    update_workshop,
)
from app.portable.apply import import_workshop
from app.portable.write import export_workshop
from db.models import Clip, Contribution, Reaction, Workshop
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import add_clip, clips_root, state


def _always(_sha: str) -> bool:
    return True


def _workshop(store: Store) -> tuple[uuid.UUID, list[uuid.UUID], list[uuid.UUID]]:
    wid = create_workshop(store, "Objections")
    items = [add_agenda_item(store, wid, "challenge", f"Challenge {i}") for i in range(2)]
    people = [add_participant(store, wid, name) for name in ("Ana", "Ben", "Chloé")]
    return wid, items, people


def _tombstoned(store: Store, model: type, wid: uuid.UUID) -> int:
    with store.read() as s:
        rows = s.scalars(select(model).where(model.workshop_id == wid)  # type: ignore[attr-defined]
                         .execution_options(include_deleted=True))
        return sum(r.deleted_at is not None for r in rows)


def test_undo_brings_back_what_the_deletion_deleted_and_only_that(store: Store) -> None:
    wid, items, (ana, ben, chloe) = _workshop(store)
    live = LiveWorkshop(store, wid)
    kept = [live.log(ana).id, live.log(ben).id]
    undone = live.log(ana)
    live.undo()  # deleted before the workshop was: stays deleted
    delete_agenda_item(store, items[1])
    remove_participant(store, wid, chloe)
    before = load_plan(store, wid)

    delete_workshop(store, wid)
    assert list_workshops(store) == []
    assert restore_workshop(store, wid, clip_present=_always) == 0
    after = load_plan(store, wid)
    assert after == before
    assert [c.id for c in LiveWorkshop(store, wid).contributions()] == kept
    with store.read() as s:
        gone = s.get(Contribution, undone.id, execution_options={"include_deleted": True})
        assert gone is not None and gone.deleted_at is not None
    assert restore_workshop(store, wid, clip_present=_always) == 0  # twice: nothing more to do


def test_a_clip_whose_file_a_sync_removed_stays_deleted(sqlite_store: Store, tmp_path: Path) -> None:
    wid, _items, (ana, ben, _c) = _workshop(sqlite_store)
    root = clips_root(tmp_path, "a")
    gone, _sha = add_clip(sqlite_store, wid, ana, root)
    kept, kept_sha = add_clip(sqlite_store, wid, ben, root)
    react(sqlite_store, wid, "helpful", clip_id=gone)
    react(sqlite_store, wid, "inspired", clip_id=kept)
    delete_workshop(sqlite_store, wid)
    assert restore_workshop(sqlite_store, wid, clip_present=lambda sha: sha == kept_sha) == 1
    with sqlite_store.read() as s:
        assert [c.id for c in s.scalars(select(Clip))] == [kept]
        assert [r.clip_id for r in s.scalars(select(Reaction))] == [kept]
    assert _tombstoned(sqlite_store, Clip, wid) == 1


def test_undone_deletion_wins_everywhere_the_deletion_went(remote_url: str, laptops: Callable[..., Store]) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, _items, (ana, _b, _c) = _workshop(a)
    LiveWorkshop(a, wid).log(ana)
    sync(a, remote)
    sync(b, remote)
    update_workshop(b, wid, title="Objections (B's title)")  # B, offline, has not seen the deletion
    delete_workshop(a, wid)
    sync(a, remote)
    sync(b, remote)
    assert list_workshops(a) == list_workshops(b) == []  # B's newer title did not revive it
    assert _tombstoned(b, Contribution, wid) == 1

    restore_workshop(a, wid, clip_present=_always)  # the trainer pressed Undo
    sync(a, remote)
    sync(b, remote)
    sync(a, remote)
    assert [w.title for w in list_workshops(b)] == [w.title for w in list_workshops(a)] == ["Objections (B's title)"]
    assert len(LiveWorkshop(b, wid).contributions()) == 1
    assert state(a) == state(b) == state(remote)
    remote.close()


def test_an_old_file_or_a_stale_laptop_never_revives_a_deleted_workshop(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, _items, (ana, _b, _c) = _workshop(a)
    LiveWorkshop(a, wid).log(ana)
    path = export_workshop(a, wid, tmp_path / "before.json").path
    sync(a, remote)
    sync(b, remote)
    delete_workshop(a, wid)
    import_workshop(a, path)  # the file from before the deletion
    assert list_workshops(a) == []
    sync(b, remote)  # B's untouched copy is older than the tombstone
    sync(a, remote)
    sync(b, remote)
    assert list_workshops(a) == list_workshops(b) == []
    with b.read() as s:
        row = s.get(Workshop, wid, execution_options={"include_deleted": True})
        assert row is not None and row.deleted_at is not None
    remote.close()
