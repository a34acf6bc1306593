"""The live workshop: the agenda's current item, its timer, and one-tap logging with undo.

Every call commits before it returns (the row is on disk, durably, when the tile animates),
and the state needed to resume — current item, timer anchors — lives in the store, so a
crash or ``kill -9`` reopens at the same item with the timer where it would be.

Reads for the screen come from memory (kept in step with every write here), so painting
never queries the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from app.live_history import LiveHistory, Undone
from app.planning.agenda import timer_of
from app.planning.lifecycle import finished_reason
from app.planning.views import AgendaItemView, ContributionView, Tally, TimerState, WorkshopPlan
from app.planning.workshops import load_plan_in
from app.vocabulary import KIND_SHORT
from db.merge import claim_generation
from db.models import CONTRIBUTION_KINDS, INITIATIVES, AgendaItem, Contribution, Workshop
from db.store import Store
from db.types import utcnow

Listener = Callable[[str], None]

#: Events a listener receives: what changed, so a view can refresh only that.
EVENTS = ("contributions", "timer", "agenda", "plan")


@dataclass
class _TimerRow:
    """An agenda item's timer anchors, mirrored in memory so painting never queries the store."""

    minutes: float
    started_at: datetime | None
    running_since: datetime | None
    elapsed_s: float
    extra_s: float
    finished_at: datetime | None

    @classmethod
    def of(cls, item: AgendaItem) -> _TimerRow:
        return cls(item.minutes, item.started_at, item.running_since, item.elapsed_s, item.extra_s, item.finished_at)

    def state(self, now: datetime) -> TimerState:
        return timer_of(self, now)


class LiveWorkshop:
    """One workshop being run on this laptop."""

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
        self._timers: dict[uuid.UUID, _TimerRow] = {}
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
            self._timers = {i.id: _TimerRow.of(i) for i in items}
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

    # ------------------------------------------------------------ agenda and timer

    @property
    def status(self) -> str:
        return self.plan.status

    @property
    def current_item(self) -> AgendaItemView | None:
        return self.plan.item(self.current_item_id) if self.current_item_id else None

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
            self._timers[item_id] = _TimerRow.of(item)
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
                        self._timers[item.id] = _TimerRow.of(item)
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

    def _require_open(self) -> None:
        if self.finished:
            raise RippleError(self.read_only_reason())

    def _require_item(self) -> uuid.UUID:
        if self.current_item_id is None:
            raise RippleError(f"“{self.plan.title}” has no agenda items yet; add one in the planner.")
        return self.current_item_id

    # ------------------------------------------------------------ who leads

    @property
    def owner(self) -> str:
        """The device id of the laptop that runs this workshop live ("" before anyone went live)."""
        return self._owner.partition(":")[2]

    @property
    def leads(self) -> bool:
        """Whether this laptop runs the live state (agenda, timer): it went live first, took
        over, or nobody has gone live yet. The others follow and may still log."""
        return self.owner in ("", self.store.device_id)

    def lead_line(self) -> str:
        """What the console says about who leads (one sentence; "" before anyone went live)."""
        if not self.owner or self.plan.status == "finished":
            return ""
        if self.leads:
            return "This laptop leads the workshop: the agenda and the timer follow it everywhere."
        return (f"Laptop {self.owner} leads the workshop; this laptop follows it (logging works as usual). "
                "Take over to run the agenda and the timer from here.")

    def take_over(self) -> None:
        """Lead the workshop from this laptop from now on (a newer claim wins everywhere)."""
        self._require_open()
        with self.store.write() as s:
            w = s.get(Workshop, self.workshop_id)
            if w is None:
                raise NotFound(self._gone())
            w.live_owner = f"{claim_generation(w.live_owner) + 1}:{self.store.device_id}"
            self._owner = w.live_owner
        self._emit("agenda")

    def _require_lead(self) -> None:
        if not self.leads:
            raise RippleError(
                f"Laptop {self.owner} leads this workshop, so its agenda and timer are run from there; "
                "take over to run them from this laptop."
            )

    def _lead_in(self, s: Session) -> None:
        """Inside a live write: refuse when another laptop leads (as the store has it now, a
        sync may just have brought a claim); claim the lead when nobody has it yet."""
        w = s.get(Workshop, self.workshop_id)
        if w is None:
            raise NotFound(self._gone())
        self._owner = w.live_owner
        self._require_lead()
        if not w.live_owner:
            w.live_owner = f"1:{self.store.device_id}"
            self._owner = w.live_owner

    # ------------------------------------------------------------ logging

    def log(
        self,
        participant_id: uuid.UUID,
        initiative: str = "spontaneous",
        *,
        kind: str | None = None,
        builds_on: uuid.UUID | None = None,
        note: str = "",
        at: datetime | None = None,
    ) -> ContributionView:
        """Log one act of sharing; durable on return."""
        self._require_open()
        if initiative not in INITIATIVES:
            raise RippleError(f"“{initiative}” is not spontaneous or prompted.")
        kind = kind or self.default_kind
        if kind not in CONTRIBUTION_KINDS:
            raise RippleError(f"“{kind}” is not a contribution kind; use one of {', '.join(CONTRIBUTION_KINDS)}.")
        person = self.plan.participant(participant_id)
        if person is None:
            raise NotFound(f"That person is not on the roster of “{self.plan.title}”.")
        if builds_on is not None:
            self._check_builds_on(builds_on, participant_id)
        self._ensure_live()  # a share logged before the timer ever ran still starts the workshop
        when = at or self._now()
        cid = uuid.uuid4()
        self.store.append(
            Contribution,
            {
                "id": cid,
                "workshop_id": self.workshop_id,
                "agenda_item_id": self.current_item_id,
                "participant_id": participant_id,
                "at": when,
                "kind": kind,
                "initiative": initiative,
                "builds_on_id": builds_on,
                "note": note,
            },
        )
        view = ContributionView(
            cid, when, participant_id, person.name, self.current_item_id, kind, initiative, builds_on, note
        )
        self._contributions[cid] = view
        self.history.logged(cid)
        self._emit("contributions")
        return view

    def _check_builds_on(self, builds_on: uuid.UUID, participant_id: uuid.UUID | None) -> None:
        target = self._contributions.get(builds_on)
        if target is None:
            raise NotFound(f"The contribution to build on is not part of “{self.plan.title}”.")
        if participant_id is not None and target.participant_id == participant_id:
            raise RippleError(f"{target.participant_name}'s share cannot build on their own "
                              f"{KIND_SHORT[target.kind].lower()}: a share builds on someone else's.")

    def undo(self) -> ContributionView | None:
        """Take back the last contribution logged here (one keystroke away, always, and still
        after a restart: app/live_history.py)."""
        self._require_open()
        cid = self.history.last(self._contributions)
        if cid is None:
            return None
        view = self._contributions[cid]
        with self.store.write() as s:
            row, children = self._tombstone(s, cid)
            s.flush()  # the tombstone's version: a redo checks nothing touched the row since
            self.history.undone(s, Undone(cid, row.hlc if row is not None else "", children))
        self._forget(cid)
        self._emit("contributions")
        return view

    def can_redo(self) -> bool:
        return bool(self.history.redo) and not self.finished

    def redo(self) -> ContributionView | None:
        """Bring back the entry the last undo took back, with the links others had to it;
        refused (and forgotten) when it changed since (see app/live_history.py)."""
        self._require_open()
        if not self.history.redo:
            return None
        entry = self.history.redo[-1]
        with self.store.write() as s:
            row = s.get(Contribution, entry.id, execution_options={"include_deleted": True})
            safe = row is not None and self._redoable(row, entry)
            if row is not None and safe:
                row.deleted_at = None
                for child in s.scalars(select(Contribution).where(Contribution.id.in_(entry.children))):
                    if child.builds_on_id is None:
                        child.builds_on_id = entry.id
                self.history.redone(s, entry)
        if row is None or not safe:
            self.history.drop(entry)
            raise RippleError("That entry changed after it was undone (here, on another laptop or in a sync), "
                              "so it was not brought back.")
        names = {p.id: p.name for p in self.plan.participants}
        view = self._contributions[entry.id] = self._view(row, names)
        for cid in entry.children:
            c = self._contributions.get(cid)
            if c is not None and c.builds_on_id is None:
                self._contributions[cid] = replace(c, builds_on_id=entry.id)
        self._emit("contributions")
        return view

    def _redoable(self, row: Contribution, entry: Undone) -> bool:
        """Still exactly as the undo left it (no newer version), and its person still here."""
        person = self.plan.participant(row.participant_id)
        return row.deleted_at is not None and row.hlc == entry.hlc and person is not None and not person.erased

    def delete(self, contribution_id: uuid.UUID) -> ContributionView:
        self._require_open()
        view = self._contributions.get(contribution_id)
        if view is None:
            raise NotFound(f"That contribution is not part of “{self.plan.title}”.")
        with self.store.write() as s:
            self._tombstone(s, contribution_id)
        self._forget(contribution_id)
        self._emit("contributions")
        return view

    def _tombstone(self, s: Session, contribution_id: uuid.UUID) -> tuple[Contribution | None, tuple[uuid.UUID, ...]]:
        """Inside a write: tombstone the row; those that built on it no longer do (their ids)."""
        row = s.get(Contribution, contribution_id)
        if row is not None:
            row.deleted_at = self._now()
        children = list(s.scalars(select(Contribution).where(Contribution.builds_on_id == contribution_id)))
        for child in children:
            child.builds_on_id = None
        return row, tuple(c.id for c in children)

    def _forget(self, contribution_id: uuid.UUID) -> None:
        del self._contributions[contribution_id]
        for cid, c in list(self._contributions.items()):
            if c.builds_on_id == contribution_id:
                self._contributions[cid] = replace(c, builds_on_id=None)

    def edit(
        self,
        contribution_id: uuid.UUID,
        *,
        kind: str | None = None,
        initiative: str | None = None,
        builds_on: uuid.UUID | EllipsisType | None = ...,
        participant_id: uuid.UUID | None = None,
        note: str | None = None,
    ) -> ContributionView:
        self._require_open()
        view = self._contributions.get(contribution_id)
        if view is None:
            raise NotFound(f"That contribution is not part of “{self.plan.title}”.")
        if kind is not None and kind not in CONTRIBUTION_KINDS:
            raise RippleError(f"“{kind}” is not a contribution kind.")
        if initiative is not None and initiative not in INITIATIVES:
            raise RippleError(f"“{initiative}” is not spontaneous or prompted.")
        name = view.participant_name
        if participant_id is not None:
            person = self.plan.participant(participant_id)
            if person is None:
                raise NotFound(f"That person is not on the roster of “{self.plan.title}”.")
            name = person.name
        new_builds = view.builds_on_id if isinstance(builds_on, EllipsisType) else builds_on
        if new_builds is not None and new_builds != view.builds_on_id:
            if new_builds == contribution_id:
                raise RippleError(f"{view.participant_name}'s {KIND_SHORT[view.kind].lower()} cannot build on itself.")
            self._check_builds_on(new_builds, participant_id or view.participant_id)
        updated = replace(
            view,
            kind=kind or view.kind,
            initiative=initiative or view.initiative,
            builds_on_id=new_builds,
            participant_id=participant_id or view.participant_id,
            participant_name=name,
            note=view.note if note is None else note,
        )
        with self.store.write() as s:
            row = s.get(Contribution, contribution_id)
            if row is None:
                raise NotFound(f"{view.participant_name}'s {KIND_SHORT[view.kind].lower()} was deleted meanwhile; "
                               "nothing was changed.")
            row.kind, row.initiative = updated.kind, updated.initiative
            row.builds_on_id, row.participant_id, row.note = (
                updated.builds_on_id, updated.participant_id, updated.note,
            )
        self._contributions[contribution_id] = updated
        self._emit("contributions")
        return updated

    # ------------------------------------------------------------ reading

    def contributions(self) -> list[ContributionView]:
        return sorted(self._contributions.values(), key=lambda c: c.at)

    def recent(self, limit: int = 30) -> list[ContributionView]:
        return sorted(self._contributions.values(), key=lambda c: c.at, reverse=True)[:limit]

    def contribution(self, contribution_id: uuid.UUID) -> ContributionView | None:
        return self._contributions.get(contribution_id)

    def tallies(self) -> dict[uuid.UUID, Tally]:
        out: dict[uuid.UUID, Tally] = {p.id: Tally() for p in self.plan.participants}
        for c in self._contributions.values():
            t = out.get(c.participant_id, Tally())
            out[c.participant_id] = (
                Tally(t.spontaneous + 1, t.prompted)
                if c.initiative == "spontaneous"
                else Tally(t.spontaneous, t.prompted + 1)
            )
        return out

    def silent(self) -> list[uuid.UUID]:
        """People who have not shared yet (the nudge toward equal participation)."""
        spoke = {c.participant_id for c in self._contributions.values()}
        return [p.id for p in self.plan.participants if p.id not in spoke]

    def last_logged(self) -> ContributionView | None:
        """What Ctrl+Z would take back (None: nothing logged here is left to take back, or
        the workshop is finished and read-only)."""
        if self.finished:
            return None
        cid = self.history.last(self._contributions)
        return self._contributions[cid] if cid is not None else None

    def age_of(self, contribution_id: uuid.UUID) -> timedelta | None:
        c = self._contributions.get(contribution_id)
        return (self._now() - c.at) if c else None


__all__ = ["EVENTS", "LiveWorkshop"]
