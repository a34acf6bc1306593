"""A running role play as the room sees it, read from ``app.roleplay``'s board.

``app.roleplay`` is built beside this package; it is looked up when a role-play item is
current, so the room works with or without it (no role play shown without it). What is
taken from a board: the scenario's title and situation, each seat's role name and that
role's public line, the player's name, the round's number, the phase and its clock — never a
brief, a rating or a marker (and :func:`app.room.build.room_view` copies only the fields of
:class:`app.room.build.RoundSource` anyway).
"""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass
from typing import Any

from app.errors import USER_ERRORS
from app.planning.views import TimerState
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


def load_board(store: Store, item_id: uuid.UUID) -> Any | None:
    """The role-play board of an agenda item, or None (no ``app.roleplay``, no scenario yet).
    It never auto-advances: the console's board does that; this one only reads."""
    try:
        module = importlib.import_module("app.roleplay.console")
    except ImportError:
        return None
    try:
        return module.RolePlayBoard(store, item_id, auto_advance=False)
    except USER_ERRORS:
        return None


def round_now(board: Any) -> RoundNow | None:
    """The round the room follows: the first group whose round is under way (else the first
    group with a round still to play). In memory: no store query."""
    groups = [g for g in board.groups() if g.round is not None]
    if not groups:
        return None
    g = next((x for x in groups if x.round.started_at is not None), groups[0])
    scenario = board.scenario
    public = {r.key: r.public for r in scenario.roles}
    cast = tuple(SeatNow(RoleNow(seat.role_name, public.get(seat.role, "")), seat.name) for seat in g.cast)
    clock = g.clock
    timer = None
    if clock is not None and clock.state != "done":
        started = clock.state != "waiting"
        timer = TimerState(clock.planned_s, 0.0, clock.elapsed_s, started, started, False)
    return RoundNow(scenario.title, scenario.situation, g.name, g.round.number, cast,
                    clock.phase if clock is not None else g.round.phase, timer)


__all__ = ["RoundNow", "load_board", "round_now"]
