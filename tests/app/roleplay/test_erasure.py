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
