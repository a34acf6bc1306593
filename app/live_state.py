"""What a live workshop holds in memory, and the checks every live write makes first.

The console paints from memory, never from the store: the plan, each agenda item's timer
anchors and the workshop's contributions are read here on :meth:`LiveState.reload` (after a
sync or another window's edit) and kept in step by every write in app/live_agenda.py,
app/live_lead.py and app/live.py, the layers :class:`app.live.LiveWorkshop` is made of.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.errors import RippleError
from app.live_history import LiveHistory
from app.planning.agenda import timer_of
from app.planning.lifecycle import finished_reason
from app.planning.views import AgendaItemView, ContributionView, TimerState, WorkshopPlan
from app.planning.workshops import load_plan_in
from db.models import CONTRIBUTION_KINDS, AgendaItem, Contribution, Workshop
from db.store import Store
from db.types import utcnow

Listener = Callable[[str], None]

#: Events a listener receives: what changed, so a view can refresh only that.
EVENTS = ("contributions", "timer", "agenda", "plan")


@dataclass
class TimerRow:
    """An agenda item's timer anchors, mirrored in memory so painting never queries the store."""

    minutes: float
    started_at: datetime | None
    running_since: datetime | None
    elapsed_s: float
    extra_s: float
    finished_at: datetime | None

    @classmethod
    def of(cls, item: AgendaItem) -> TimerRow:
        return cls(item.minutes, item.started_at, item.running_since, item.elapsed_s, item.extra_s, item.finished_at)

    def state(self, now: datetime) -> TimerState:
        return timer_of(self, now)


class LiveState:
    """The in-memory state of one workshop being run on this laptop, and its listeners."""

    def __init__(
        self,
        store: Store,
        workshop_id: uuid.UUID,
        *,
        now: Callable[[], datetime] = utcnow,
        default_kind: str = "story",
    ) -> None:
        self.store = store
        self.workshop_id = workshop_id
        self._now = now
        self.default_kind = default_kind if default_kind in CONTRIBUTION_KINDS else "story"
        self._listeners: list[Listener] = []
        self.history = LiveHistory(store, workshop_id)
        self._ended_at: datetime | None = None
        self._live_since: datetime | None = None
        self._owner = ""  # the workshop's live_owner claim, "<generation>:<device id>"
        self.plan: WorkshopPlan
        self.current_item_id: uuid.UUID | None = None
        self._timers: dict[uuid.UUID, TimerRow] = {}
        self._contributions: dict[uuid.UUID, ContributionView] = {}
        self.reload()

    # ------------------------------------------------------------ observing

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: str) -> None:
        for listener in list(self._listeners):
            listener(event)

    def reload(self) -> None:
        """Read everything again (after a sync or another window's edit)."""
        with self.store.read() as s:
            self.plan = load_plan_in(s, self.workshop_id)
            items = s.scalars(select(AgendaItem).where(AgendaItem.workshop_id == self.workshop_id))
            self._timers = {i.id: TimerRow.of(i) for i in items}
            names = {p.id: p.name for p in self.plan.participants}
            rows = list(s.scalars(
                select(Contribution)
                .where(Contribution.workshop_id == self.workshop_id)
                .order_by(Contribution.at)
            ))
            self._contributions = {c.id: self._view(c, names) for c in rows}
            self.history.load(s, rows)
        with self.store.read() as s:
            w = s.get(Workshop, self.workshop_id)
            self._owner = w.live_owner if w is not None else ""
            # A workshop finished before its end was recorded (an old store, the demo) ended,
            # as far as anyone can tell, with its last share, or on its day.
            last = rows[-1].at if rows else None
            self._ended_at = (w.ended_at or last or w.started_at) if w is not None else None
        self.current_item_id = self.plan.current_item_id
        if self.current_item_id not in self._timers:
            self.current_item_id = self.plan.agenda[0].id if self.plan.agenda else None
        self._emit("plan")

    @staticmethod
    def _view(c: Contribution, names: dict[uuid.UUID, str]) -> ContributionView:
        return ContributionView(
            id=c.id,
            at=c.at,
            participant_id=c.participant_id,
            participant_name=names.get(c.participant_id, "(not on roster)"),
            agenda_item_id=c.agenda_item_id,
            kind=c.kind,
            initiative=c.initiative,
            builds_on_id=c.builds_on_id,
            note=c.note,
        )

    # ------------------------------------------------------------ the workshop and its checks

    @property
    def status(self) -> str:
        return self.plan.status

    @property
    def current_item(self) -> AgendaItemView | None:
        return self.plan.item(self.current_item_id) if self.current_item_id else None

    def _item_name(self, item_id: uuid.UUID) -> str:
        item = self.plan.item(item_id)
        return f"“{item.title}”" if item else "you chose"

    def _gone(self) -> str:
        return f"The workshop “{self.plan.title}” no longer exists."

    @property
    def finished(self) -> bool:
        """Finished workshops are read-only here: no taps, no agenda moves, no edits."""
        return self.plan.status == "finished"

    def read_only_reason(self) -> str:
        """Why nothing can be logged ("" while the workshop runs): the day it finished, and
        that resuming it is the way to log more."""
        if not self.finished:
            return ""
        return finished_reason(self._ended_at, self.plan.utc_offset_min, self._now())

    def _require_open(self) -> None:
        if self.finished:
            raise RippleError(self.read_only_reason())

    def _require_item(self) -> uuid.UUID:
        if self.current_item_id is None:
            raise RippleError(f"“{self.plan.title}” has no agenda items yet; add one in the planner.")
        return self.current_item_id


__all__ = ["EVENTS", "Listener", "LiveState", "TimerRow"]
