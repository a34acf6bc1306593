"""A running role play as the room sees it, read from ``app.roleplay``'s board.

What is taken from a board: the scenario's title and situation, each seat's role name and that
role's public line, the player's name, the round's number, the phase and its clock — never a
brief, a rating or a marker (and :func:`app.room.build.room_view` copies only the fields of
:class:`app.room.build.RoundSource` anyway).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.errors import USER_ERRORS
from app.planning.views import TimerState
from app.roleplay.console import RolePlayBoard
from db.store import Store


@dataclass(frozen=True)
class RoleNow:
    name: str
    public: str


@dataclass(frozen=True)
class SeatNow:
    role: RoleNow
    person: str


@dataclass(frozen=True)
class RoundNow:
    """Shaped as :class:`app.room.build.RoundSource`."""

    scenario: str
    situation: str
    group: str
    number: int
    cast: tuple[SeatNow, ...]
    phase: str
    phase_timer: TimerState | None


def load_board(store: Store, item_id: uuid.UUID) -> RolePlayBoard | None:
    """The role-play board of an agenda item, or None (no scenario yet). It never
    auto-advances: the console's board does that; this one only reads."""
    try:
        return RolePlayBoard(store, item_id, auto_advance=False)
    except USER_ERRORS:
        return None


def round_now(board: RolePlayBoard) -> RoundNow | None:
    """The round the room follows: the first group whose round is under way (else the first
    group with a round still to play). In memory: no store query."""
    groups = [(g, g.round) for g in board.groups() if g.round is not None]
    if not groups:
        return None
    g, rnd = next(((x, r) for x, r in groups if r.started_at is not None), groups[0])
    scenario = board.scenario
    public = {r.key: r.public for r in scenario.roles}
    cast = tuple(SeatNow(RoleNow(seat.role_name, public.get(seat.role, "")), seat.name) for seat in g.cast)
    clock = g.clock
    timer = None
    if clock is not None and clock.state != "done":
        started = clock.state != "waiting"
        timer = TimerState(clock.planned_s, 0.0, clock.elapsed_s, started, started, False)
    return RoundNow(scenario.title, scenario.situation, g.name, rnd.number, cast,
                    clock.phase if clock is not None else rnd.phase, timer)


__all__ = ["RoundNow", "load_board", "round_now"]
