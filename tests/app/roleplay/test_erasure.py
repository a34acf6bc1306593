"""Erasing a player removes their ratings (given and received), the markers they dropped
and the recordings of their rounds, here and wherever the sync reaches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.clips.library import ClipLibrary
from app.erasure import erase_participant
from app.roleplay.markers import MarkerLog
from app.roleplay.ratings import rate
from db.models import Clip, Marker, Participant, Rating
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.roleplay_played import Played, played
from tests.helpers.sync import clips_root, state


def _assert_gone(store: Store, p: Played) -> None:
    every = {"include_deleted": True}
    with store.read() as s:
        # Her old id and the anonymous one the erasure moved what stays of her to (app/erasure.py).
        her = set(s.scalars(select(Participant.id).where(Participant.erased_at.isnot(None))
                            .execution_options(**every)))
        assert p.seller in her
        ratings = list(s.scalars(select(Rating).execution_options(**every)))
        mine = [r for r in ratings if her & {r.rater_id, r.player_id}]
        assert mine and all(r.deleted_at is not None and r.comment == "" for r in mine)
        assert [r for r in ratings if r.deleted_at is None], "other people's ratings stay"
        markers = list(s.scalars(select(Marker).where(Marker.by_id.in_(her)).execution_options(**every)))
        assert markers and all(m.deleted_at is not None and m.note == "" for m in markers)
        clip = s.get(Clip, p.clip_id, execution_options=every)
        assert clip is not None and clip.deleted_at is not None and clip.thumbnail is None and clip.title == ""
        others = list(s.scalars(select(Marker).where(Marker.by_id.not_in(her))))
        assert others and all(m.deleted_at is None for m in others)


def test_erasing_a_player_reaches_every_laptop(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    remote = open_remote(remote_url)
    try:
        p = played(a, ra)
        MarkerLog(a, p.round_id).drop(7.0, note="Seller's own bookmark", by=p.seller)
        sync(a, remote, clips_root=ra)
        sync(b, remote, clips_root=rb)
        # Offline, B's observer rates the seller with a comment naming her; A erases her.
        rate(b, p.round_id, p.seller, "posture", 3, rater=p.observer, comment="Ana slouched")
        MarkerLog(b, p.round_id).drop(8.0, note="Ana's best moment", by=p.seller)
        result = erase_participant(a, p.seller, ClipLibrary(ra))
        assert result.clips_removed == 1 and result.files_deleted == 1  # the round's clip, hers
        assert not (ra / p.sha[:2] / f"{p.sha}.mp4").exists()
        _assert_gone(a, p)
        for store, root in ((a, ra), (b, rb), (a, ra), (b, rb)):
            sync(store, remote, clips_root=root)
        for store in (a, b, remote):
            _assert_gone(store, p)
        assert state(a) == state(b) == state(remote)
        assert not (rb / p.sha[:2] / f"{p.sha}.mp4").exists()
    finally:
        remote.close()


def test_erasing_the_customer_removes_the_round_recording_of_the_seller(sqlite_store: Store, tmp_path: Path) -> None:
    root = clips_root(tmp_path, "x")
    p = played(sqlite_store, root)
    result = erase_participant(sqlite_store, p.customer, ClipLibrary(root))
    assert result.clips_removed == 1 and result.files_deleted == 1
    with sqlite_store.read() as s:
        clip = s.get(Clip, p.clip_id, execution_options={"include_deleted": True})
        assert clip is not None and clip.deleted_at is not None
        left = list(s.scalars(select(Rating)))
        gone = set(s.scalars(select(Participant.id).where(Participant.erased_at.isnot(None))
                             .execution_options(include_deleted=True)))
        assert left and all(not gone & {r.rater_id, r.player_id} for r in left)


def test_importing_a_file_from_before_the_erasure_never_brings_her_round_back(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """The customer is erased after the workshop was exported: re-importing the old file (here,
    and into another laptop that knows of the erasure) brings back neither the recording of
    the round she played nor her slot in its cast under her old, e-mail-derived id."""
    from app.portable.apply import import_workshop
    from app.portable.write import export_workshop
    from db.models import Round

    root = clips_root(tmp_path, "x")
    p = played(sqlite_store, root)
    old = export_workshop(sqlite_store, p.t.workshop, tmp_path / "before.ripple",
                          clip_path=ClipLibrary(root).path_if_present).path
    erase_participant(sqlite_store, p.customer, ClipLibrary(root))
    lib = ClipLibrary(root)
    result = import_workshop(sqlite_store, old, add_clip=lib.add_checked, remove_clip=lib.delete, has_clip=lib.exists)
    assert any("erased participant's role play" in w for w in result.warnings)
    assert not lib.exists(p.sha)
    every = {"include_deleted": True}
    with sqlite_store.read() as s:
        casts = [c["participant"] for r in s.scalars(select(Round).execution_options(**every)) for c in r.casting]
        clip = s.get(Clip, p.clip_id, execution_options=every)
    assert str(p.customer) not in casts
    assert clip is not None and clip.deleted_at is not None and clip.title == ""
    # A laptop that has the erasure (her tombstone) but never had this workshop.
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with sqlite_store.read() as s:
            tomb = s.get(Participant, p.customer, execution_options=every)
            assert tomb is not None
            values = {c.key: getattr(tomb, c.key) for c in Participant.__table__.columns}
        with other.write(keep_versions=True) as s:
            s.add(Participant(**values))
        other_root = clips_root(tmp_path, "o")
        olib = ClipLibrary(other_root)
        import_workshop(other, old, add_clip=olib.add_checked, remove_clip=olib.delete, has_clip=olib.exists)
        assert not olib.exists(p.sha)
        with other.read() as s:
            rounds = list(s.scalars(select(Round)))
            assert rounds and all(str(p.customer) not in [c["participant"] for c in r.casting] for r in rounds)
            assert s.get(Clip, p.clip_id, execution_options=every) is None
    finally:
        other.close()
