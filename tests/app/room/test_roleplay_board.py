"""The room follows a running role play from app.roleplay's board: round, cast with public
lines, phase and its clock — never a brief."""

from __future__ import annotations

from datetime import UTC, datetime

from db.store import Store


def test_the_room_shows_the_round_in_play_and_no_brief(sqlite_store: Store) -> None:
    from app.live import LiveWorkshop
    from app.roleplay.scenarios import load_scenario
    from app.room.roleplay import load_board, round_now
    from app.room.room import Room
    from tests.helpers.roleplay import triad

    t = triad(sqlite_store)
    clock = [datetime.now(UTC)]
    live = LiveWorkshop(sqlite_store, t.workshop, now=lambda: clock[0])
    board = load_board(sqlite_store, t.item)
    assert board is not None and not board.auto_advance
    board.start(0)
    room = Room(live)
    room.roleplay = lambda: round_now(board)
    view = room.view()
    rp = view.roleplay
    assert rp is not None and rp.round == 1 and rp.phase == "prepare"
    scenario = load_scenario(sqlite_store, t.scenario)
    assert rp.scenario == scenario.title and rp.situation == scenario.situation
    assert [c.role for c in rp.cast] == ["Seller", "Customer", "Observer"]
    assert [c.public for c in rp.cast] == [r.public for r in scenario.roles if r.key in ("seller", "customer", "observer")]
    assert rp.phase_timer is not None and rp.phase_timer.running
    briefs = [r.brief for r in scenario.roles if r.brief]
    assert briefs and not any(b in repr(view) for b in briefs)
    board.next_phase(0)
    assert room.view().roleplay.phase == "play"  # type: ignore[union-attr]


def test_no_board_no_role_play(sqlite_store: Store) -> None:
    from app.planning.agenda import add_agenda_item
    from app.planning.workshops import create_workshop
    from app.room.roleplay import load_board

    wid = create_workshop(sqlite_store, "W")
    assert load_board(sqlite_store, add_agenda_item(sqlite_store, wid, "role_play", "No card yet")) is None
