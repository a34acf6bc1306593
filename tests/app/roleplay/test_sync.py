"""Role plays through sync (shared store on SQLite and PostgreSQL): a second laptop logging
the same round adds its markers and ratings, and every laptop ends with the same rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, update

from app.roleplay.markers import MarkerLog, markers_of
from app.roleplay.ratings import rate, ratings_of, round_summary
from app.roleplay.rounds import rounds_of
from app.roleplay.scenarios import load_scenario, update_scenario
from db.models import Rating
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.roleplay_played import played
from tests.helpers.sync import clips_root, state


def test_markers_and_ratings_from_two_laptops_merge(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    remote = open_remote(remote_url)
    try:
        p = played(a, ra)
        sync(a, remote, clips_root=ra)
        sync(b, remote, clips_root=rb)
        assert [r.cast for r in rounds_of(b, p.t.scenario)] == [r.cast for r in rounds_of(a, p.t.scenario)]
        assert (rb / p.sha[:2] / f"{p.sha}.mp4").is_file()
        # Offline, both log the same round: B's observer marks and rates, A edits the card.
        MarkerLog(b, p.round_id).drop_key(5.0, "3", shift=True, by=p.observer)
        rate(b, p.round_id, p.seller, "eye_contact", 2, rater=p.customer)
        rate(a, p.round_id, p.seller, "pace", 3, rater=p.observer)
        update_scenario(a, p.t.scenario, situation="The customer now has two offers.")
        update_scenario(b, p.t.scenario, title="Price objection (B's title)")
        for store, root in ((a, ra), (b, rb), (a, ra)):
            sync(store, remote, clips_root=root)
        assert state(a) == state(b) == state(remote)
        assert len(markers_of(a, p.round_id)) == 4 and len(ratings_of(a, p.round_id)) == 6
        card = load_scenario(a, p.t.scenario)
        assert card.title == "Price objection (B's title)" and card.situation.startswith("The customer now")
        seller = next(s for s in round_summary(b, p.round_id) if s.player == p.seller)
        assert {c.criterion: c.count for c in seller.criteria}["eye_contact"] == 2
    finally:
        remote.close()


def test_a_later_rating_counts_even_from_a_laptop_whose_clock_is_behind(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b", skew_ms=-2 * 3_600_000)
    remote = open_remote(remote_url)
    try:
        p = played(a, clips_root(tmp_path, "a"))
        rate(a, p.round_id, p.seller, "gestures", 2, rater=p.observer)
        sync(a, remote)
        sync(b, remote)
        later = rate(b, p.round_id, p.seller, "gestures", 4, rater=p.observer, comment="Better on second thought")
        with b.engine.begin() as conn:  # B's wall clock is two hours behind too
            table = cast(Table, Rating.__table__)
            conn.execute(update(table).where(table.c.id == later.id).values(created_at=later.at - timedelta(hours=2)))
        sync(b, remote)
        sync(a, remote)
        for store in (a, b):
            mine = [r for r in ratings_of(store, p.round_id) if r.criterion == "gestures"]
            assert [(r.score, r.comment) for r in mine] == [(4, "Better on second thought")]
    finally:
        remote.close()
