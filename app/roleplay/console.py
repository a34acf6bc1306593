"""The role-play board behind the live console: the current round of each group, its cast,
its phase and its own clock, with start / next phase / +1 min and auto-advance.

Plain Python like :class:`app.live.LiveWorkshop`: every action commits before it returns,
the state lives in the store (so a crash or a second laptop resumes it), and listeners hear
``"rounds"`` after each change. :meth:`RolePlayBoard.tick` is what the console's timer calls
(once a second): with auto-advance on, a group whose phase ran out moves to the next.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.errors import RippleError
from app.planning.ids import existing_row
from app.roleplay import rounds as rounds_api
from app.roleplay.rounds import PhaseClock, phase_clock, rounds_in
from app.roleplay.scenarios import scenario_of_item_in
from app.roleplay.views import RoundView, ScenarioView
from db.models import AgendaGroup, AgendaItem, Participant
from db.store import Store
from db.types import utcnow

Listener = Callable[[str], None]


@dataclass(frozen=True)
class Seat:
    """One person of the cast as the console shows them."""

    role: str
    role_name: str
    participant_id: uuid.UUID
    name: str
    video_consent: bool


@dataclass(frozen=True)
class GroupNow:
    """One group at one instant: the round in play (or next, or None when all are done)."""

    group: int
    name: str
    round: RoundView | None
    cast: tuple[Seat, ...]
    clock: PhaseClock | None
    done: int
    total: int


class RolePlayBoard:
    """The rounds of one role-play item, group by group."""

    def __init__(self, store: Store, item_id: uuid.UUID, *, auto_advance: bool = True,
                 now: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.item_id = item_id
        self.auto_advance = auto_advance
        self._now = now
        self._listeners: list[Listener] = []
        self.scenario: ScenarioView
        self.rounds: list[RoundView] = []
        self.reload()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self) -> None:
        for listener in list(self._listeners):
            listener("rounds")

    def reload(self) -> None:
        """Read everything again (after a sync or another window's edit)."""
        with self.store.read() as s:
            existing_row(s, AgendaItem, self.item_id, "agenda item")
            scenario = scenario_of_item_in(s, self.item_id)
            if scenario is None:
                raise RippleError("This role play has no scenario yet; give it a card in the planner.")
            self.scenario = scenario
            self.rounds = rounds_in(s, scenario.id)
            ids = {c.participant_id for r in self.rounds for c in r.cast}
            self._people = {p.id: (p.name, p.consent_video) for p in
                            s.scalars(select(Participant).where(Participant.id.in_(ids)))} if ids else {}
            self._group_names = {g.position: g.name for g in s.scalars(
                select(AgendaGroup).where(AgendaGroup.agenda_item_id == self.item_id))}

    def groups(self) -> list[GroupNow]:
        now = self._now()
        out = []
        for g in sorted({r.group for r in self.rounds}):
            mine = [r for r in self.rounds if r.group == g]
            current = next((r for r in mine if not r.finished), None)
            seats = tuple(self._seat(r.role, r.participant_id) for r in current.cast) if current else ()
            out.append(GroupNow(g, self._group_names.get(g, f"Group {g + 1}"), current, seats,
                                phase_clock(current, self.scenario, now) if current else None,
                                sum(r.finished for r in mine), len(mine)))
        return out

    def _seat(self, role: str, pid: uuid.UUID) -> Seat:
        found = self.scenario.role(role)
        name, video = self._people.get(pid, ("?", False))
        return Seat(role, found.name if found else role.capitalize(), pid, name, video)

    def _current(self, group: int) -> RoundView:
        found = next((r for r in self.rounds if r.group == group and not r.finished), None)
        if found is None:
            raise RippleError(f"Group {group + 1} has played all its rounds.")
        return found

    def _replace(self, rnd: RoundView) -> None:
        self.rounds = [rnd if r.id == rnd.id else r for r in self.rounds]
        self._emit()

    def start(self, group: int) -> RoundView:
        rnd = rounds_api.start_round(self.store, self._current(group).id, now=self._now())
        self._replace(rnd)
        return rnd

    def next_phase(self, group: int) -> RoundView:
        rnd = rounds_api.advance_phase(self.store, self._current(group).id, now=self._now())
        self._replace(rnd)
        return rnd

    def add_minute(self, group: int) -> RoundView:
        rnd = rounds_api.add_time(self.store, self._current(group).id, 60.0)
        self._replace(rnd)
        return rnd

    def tick(self) -> list[int]:
        """Auto-advance: the groups moved on now (their phase had run out)."""
        if not self.auto_advance:
            return []
        moved = []
        for g in self.groups():
            if g.round is not None and g.clock is not None and g.clock.due:
                self.next_phase(g.group)
                moved.append(g.group)
        return moved
