"""The live workshop: the agenda's current item, its timer, and one-tap logging with undo.

Every call commits before it returns (the row is on disk, durably, when the tile animates),
and the state needed to resume — current item, timer anchors — lives in the store, so a
crash or ``kill -9`` reopens at the same item with the timer where it would be.

Reads for the screen come from memory (kept in step with every write here), so painting
never queries the store.

:class:`LiveWorkshop` is logging (with undo, redo and edits) and the reads for the screen,
on top of the agenda and timer (app/live_agenda.py), who leads (app/live_lead.py) and the
state in memory with the checks every write makes (app/live_state.py).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from app.live_agenda import LiveAgenda
from app.live_history import Undone
from app.planning.views import ContributionView, Tally
from app.vocabulary import KIND_SHORT
from db.models import CONTRIBUTION_KINDS, INITIATIVES, Contribution


class LiveWorkshop(LiveAgenda):
    """One workshop being run on this laptop."""

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


__all__ = ["LiveWorkshop"]
