"""The role-play board of the live console: each group's current round with its own clock,
auto-advance when a phase runs out, +1 min, and the review's data for a recorded round."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.clips.library import ClipLibrary
from app.errors import RippleError
from app.planning.agenda import set_groups
from app.planning.participants import add_participant
from app.roleplay.console import RolePlayBoard
from app.roleplay.review import load_review
from app.roleplay.rounds import propose_rotation, store_rotation
from db.store import Store
from tests.helpers.roleplay import triad
from tests.helpers.roleplay_played import played


def test_parallel_groups_each_have_their_own_clock(sqlite_store: Store) -> None:
    t = triad(sqlite_store)
    others = [add_participant(sqlite_store, t.workshop, n) for n in ("Dev", "Eva")]
    set_groups(sqlite_store, t.item, [t.people, others])
    store_rotation(sqlite_store, t.scenario, propose_rotation(sqlite_store, t.item))
    clock = [datetime(2026, 11, 24, 10, 0).astimezone()]
    board = RolePlayBoard(sqlite_store, t.item, now=lambda: clock[0])
    heard: list[str] = []
    board.subscribe(heard.append)
    one, two = board.groups()
    assert (one.total, two.total) == (3, 2) and one.clock is not None and one.clock.state == "waiting"
    assert [s.role_name for s in one.cast] == ["Seller", "Customer", "Observer"]
    board.start(0)
    clock[0] += timedelta(minutes=1)
    board.start(1)
    clock[0] += timedelta(minutes=2, seconds=30)  # group 1: 30 s over its 3 min prepare; group 2: 30 s left
    assert [g.clock.state for g in board.groups() if g.clock] == ["over", "warning"]
    assert board.tick() == [0]
    g1, g2 = board.groups()
    assert g1.round is not None and g1.round.phase == "play" and g2.round is not None and g2.round.phase == "prepare"
    board.add_minute(1)
    clock[0] += timedelta(seconds=45)
    assert board.tick() == []  # group 2 got its minute
    assert heard == ["rounds"] * 4
    for _ in range(2):
        board.next_phase(0)
    assert board.groups()[0].done == 1 and board.groups()[0].round is not None
    assert board.groups()[0].round.number == 2  # type: ignore[union-attr]
    board.auto_advance = False
    clock[0] += timedelta(hours=1)
    assert board.tick() == []


def test_no_board_without_a_card(sqlite_store: Store) -> None:
    from app.planning.agenda import add_agenda_item
    from app.planning.workshops import create_workshop

    wid = create_workshop(sqlite_store, "W")
    item = add_agenda_item(sqlite_store, wid, "role_play", "RP")
    with pytest.raises(RippleError, match="no scenario"):
        RolePlayBoard(sqlite_store, item)


def test_the_review_has_the_clip_markers_and_summaries(sqlite_store: Store, tmp_path: Path) -> None:
    from tests.helpers.sync import clips_root

    root = clips_root(tmp_path, "r")
    p = played(sqlite_store, root)
    review = load_review(sqlite_store, ClipLibrary(root), p.round_id)
    assert review.video is not None and review.video.is_file() and review.duration_s == 3.0
    assert [m.at_s for m in review.markers] == [3.5, 9.0, 12.0]
    assert {s.player for s in review.summaries} == {p.seller, p.customer}
    assert review.names[p.observer] and review.round.clip_id == p.clip_id
