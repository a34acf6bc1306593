"""A live workshop's agenda and timer: the current item, its timer, moving along the agenda,
and the workshop's going live, finishing and resuming.

Every write commits before it returns and the timer's anchors (not a ticking count) are what
is stored, so after a crash or ``kill -9`` the timer reads where it would be. Moving the agenda
or the timer is the lead's (app/live_lead.py).
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from app.errors import NotFound
from app.live_lead import LiveLead
from app.live_state import TimerRow
from app.planning.views import TimerState
from db.merge import claim_generation
from db.models import AgendaItem, Workshop


class LiveAgenda(LiveLead):
    """The agenda and the timer of a live workshop, and its course from planned to finished."""

    def timer(self, item_id: uuid.UUID | None = None) -> TimerState | None:
        item_id = item_id or self.current_item_id
        row = self._timers.get(item_id) if item_id else None
        return row.state(self._now()) if row else None

    def _write_timer(self, item_id: uuid.UUID, **values: object) -> None:
        """Persist timer fields (and the current item) in one transaction, then mirror them."""
        self._require_open()
        with self.store.write() as s:
            self._lead_in(s)
            item = s.get(AgendaItem, item_id)
            if item is None:
                raise NotFound(f"The agenda item {self._item_name(item_id)} no longer exists.")
            for k, v in values.items():
                setattr(item, k, v)
            w = s.get(Workshop, self.workshop_id)
            if w is None:
                raise NotFound(self._gone())
            if w.current_item_id != item_id:
                w.current_item_id = item_id
            self._go_live(w)
            self._timers[item_id] = TimerRow.of(item)
        if self.plan.status == "planned" or self.plan.current_item_id != item_id:
            self.plan = replace(self.plan, status="live" if self.plan.status == "planned" else self.plan.status,
                                started_at=self._live_since or self.plan.started_at, current_item_id=item_id)
        self.current_item_id = item_id
        self._emit("timer")

    def start(self) -> None:
        """Start (or resume) the current item's timer."""
        item_id = self._require_item()
        row = self._timers[item_id]
        if row.running_since is not None:
            return
        now = self._now()
        self._write_timer(
            item_id, running_since=now, started_at=row.started_at or now, finished_at=None
        )

    def pause(self) -> None:
        item_id = self._require_item()
        row = self._timers[item_id]
        if row.running_since is None:
            return
        now = self._now()
        elapsed = row.elapsed_s + max(0.0, (now - row.running_since).total_seconds())
        self._write_timer(item_id, running_since=None, elapsed_s=elapsed)

    def toggle(self) -> None:
        state = self.timer()
        if state and state.running:
            self.pause()
        else:
            self.start()

    def extend(self, minutes: float = 1.0) -> None:
        item_id = self._require_item()
        row = self._timers[item_id]
        self._write_timer(item_id, extra_s=max(0.0, row.extra_s + minutes * 60.0))

    def go_to(self, item_id: uuid.UUID, *, autostart: bool | None = None) -> None:
        """Make another item current; the one we leave is paused and marked done if it ran."""
        if item_id not in self._timers:
            raise NotFound(f"That agenda item is not part of “{self.plan.title}”.")
        self._require_open()
        self._require_lead()
        was_running = bool(self.timer() and self.timer().running)  # type: ignore[union-attr]
        now = self._now()
        if self.current_item_id and self.current_item_id != item_id:
            old = self._timers[self.current_item_id]
            fields: dict[str, object] = {}
            if old.running_since is not None:
                fields["elapsed_s"] = old.elapsed_s + max(0.0, (now - old.running_since).total_seconds())
                fields["running_since"] = None
            if old.started_at is not None and old.finished_at is None:
                fields["finished_at"] = now
            if fields:
                with self.store.write() as s:
                    item = s.get(AgendaItem, self.current_item_id)
                    if item is not None:
                        for k, v in fields.items():
                            setattr(item, k, v)
                        self._timers[item.id] = TimerRow.of(item)
        start = was_running if autostart is None else autostart
        target = self._timers[item_id]
        if start and target.running_since is None:
            self._write_timer(item_id, running_since=now, started_at=target.started_at or now, finished_at=None)
        else:
            self._write_timer(item_id)
        self._emit("agenda")

    def next(self) -> bool:
        """Move to the next agenda item; False at the end of the agenda."""
        ids = [a.id for a in self.plan.agenda]
        if not ids:
            return False
        if self.current_item_id not in ids:
            self.go_to(ids[0])
            return True
        i = ids.index(self.current_item_id)
        if i + 1 >= len(ids):
            return False
        self.go_to(ids[i + 1])
        return True

    def previous(self) -> bool:
        ids = [a.id for a in self.plan.agenda]
        if self.current_item_id not in ids:
            return False
        i = ids.index(self.current_item_id)
        if i == 0:
            return False
        self.go_to(ids[i - 1], autostart=False)
        return True

    def _go_live(self, w: Workshop) -> None:
        """A planned workshop that starts running is live, and its date is when it really
        started: analytics, exports and the timeline place it there, not on the planned day."""
        if w.status == "planned":
            w.status = "live"
            w.started_at = self._live_since = self._now()

    def _ensure_live(self) -> None:
        if self.plan.status != "planned":
            return
        with self.store.write() as s:
            w = s.get(Workshop, self.workshop_id)
            if w is None:
                raise NotFound(self._gone())
            self._go_live(w)
            if not w.live_owner:  # the first laptop to go live (here: by logging) leads
                w.live_owner = f"1:{self.store.device_id}"
            self._owner = w.live_owner
        self.plan = replace(self.plan, status="live", started_at=self._live_since or self.plan.started_at)

    def finish(self) -> None:
        """End the workshop: the timer stops and the workshop is marked finished."""
        if self.finished:
            return
        self._require_lead()
        if self.current_item_id:
            self.pause()
        with self.store.write() as s:
            w = s.get(Workshop, self.workshop_id)
            if w is None:
                raise NotFound(self._gone())
            w.status = "finished"
            w.ended_at = self._ended_at = self._now()
        self.plan = replace(self.plan, status="finished")
        self._emit("agenda")

    def resume(self) -> None:
        """Reopen a finished workshop: live again, run from this laptop (resuming it here is
        taking it over), its end forgotten until it is ended again."""
        if not self.finished:
            return
        with self.store.write() as s:
            w = s.get(Workshop, self.workshop_id)
            if w is None:
                raise NotFound(self._gone())
            w.status = "live"
            w.ended_at = self._ended_at = None
            if self.owner not in ("", self.store.device_id) or not w.live_owner:
                w.live_owner = f"{claim_generation(w.live_owner) + 1}:{self.store.device_id}"
            self._owner = w.live_owner
        self.plan = replace(self.plan, status="live")
        self._emit("agenda")


__all__ = ["LiveAgenda"]
