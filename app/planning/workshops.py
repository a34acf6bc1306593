"""Workshops: the plan as one snapshot, and creating, editing, copying and deleting one.

Every function takes the open :class:`db.store.Store` and works in one transaction, so a
failure leaves nothing half-done. A workshop keeps the UTC offset of where it was planned,
so its times read as the facilitator's wall clock wherever it is opened or exported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import FieldError, RippleError
from app.limits import checked
from app.planning.agenda import item_view
from app.planning.ids import check_fields, existing_row, group_id, membership_id, set_changed
from app.planning.participants import participant_view, withdrawals_known
from app.planning.views import WorkshopPlan, WorkshopSummary
from db.limits import instant_problem
from db.models import (
    AgendaGroup,
    AgendaItem,
    Contribution,
    Participant,
    Workshop,
    WorkshopParticipant,
    agenda_order,
)
from db.store import Store
from db.types import utcnow


def load_plan_in(s: Session, workshop_id: uuid.UUID) -> WorkshopPlan:
    """The whole plan read in the caller's session (the live console reads its timers beside it)."""
    w = existing_row(s, Workshop, workshop_id, "workshop")
    items = list(
        s.scalars(
            select(AgendaItem)
            .where(AgendaItem.workshop_id == w.id)
            .order_by(*agenda_order(AgendaItem))
        )
    )
    groups: dict[uuid.UUID, list[AgendaGroup]] = {}
    if items:
        for g in s.scalars(
            select(AgendaGroup).where(AgendaGroup.agenda_item_id.in_([i.id for i in items]))
        ):
            groups.setdefault(g.agenda_item_id, []).append(g)
    rows = s.execute(
        select(Participant, WorkshopParticipant)
        .join(WorkshopParticipant, WorkshopParticipant.participant_id == Participant.id)
        .where(WorkshopParticipant.workshop_id == w.id)
        .order_by(WorkshopParticipant.position, Participant.name)
    ).all()
    seen = withdrawals_known(s, [p.id for p, _m in rows])
    return WorkshopPlan(
        id=w.id,
        title=w.title,
        facilitator=w.facilitator,
        team=w.team,
        started_at=w.started_at,
        utc_offset_min=w.utc_offset_min,
        location=w.location,
        notes=w.notes,
        status=w.status,
        current_item_id=w.current_item_id,
        agenda=tuple(item_view(i, groups.get(i.id, [])) for i in items),
        participants=tuple(participant_view(p, m, seen.get(p.id, frozenset())) for p, m in rows),
    )


def load_plan(store: Store, workshop_id: uuid.UUID) -> WorkshopPlan:
    with store.read() as s:
        return load_plan_in(s, workshop_id)


def _live_count_by_workshop(s: Session, model: Any) -> dict[uuid.UUID, int]:
    """How many live rows of ``model`` each workshop has (absent: none)."""
    query = (select(model.workshop_id, func.count()).where(model.deleted_at.is_(None))
             .group_by(model.workshop_id))
    return {wid: n for wid, n in s.execute(query)}


def list_workshops(store: Store) -> list[WorkshopSummary]:
    with store.read() as s:
        members = _live_count_by_workshop(s, WorkshopParticipant)
        contribs = _live_count_by_workshop(s, Contribution)
        return [
            WorkshopSummary(
                id=w.id,
                title=w.title,
                facilitator=w.facilitator,
                team=w.team,
                started_at=w.started_at,
                status=w.status,
                participants=members.get(w.id, 0),
                contributions=contribs.get(w.id, 0),
            )
            for w in s.scalars(select(Workshop).order_by(Workshop.started_at.desc()))
        ]


def _local_offset_min(at: datetime) -> int:
    off = at.utcoffset()
    if off is None:
        off = at.astimezone().utcoffset() or timedelta(0)
    return int(off.total_seconds() // 60)


def _checked_start(start: datetime) -> datetime:
    """An aware start within the years every time zone can show (db/limits.py)."""
    try:
        start = start if start.tzinfo is not None else start.astimezone()
    except (OverflowError, ValueError):
        start = start.replace(tzinfo=UTC)
    wrong = instant_problem(start)
    if wrong is not None:
        raise FieldError("started_at", f"The workshop's start ({start:%Y-%m-%d}) {wrong}.")
    return start


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise RippleError("A workshop needs a title.")
    return checked("workshops", "title", title)


def create_workshop(
    store: Store,
    title: str,
    *,
    facilitator: str = "",
    team: str = "",
    started_at: datetime | None = None,
    location: str = "",
    notes: str = "",
) -> uuid.UUID:
    start = _checked_start(started_at or utcnow().astimezone())
    with store.write() as s:
        w = Workshop(
            title=_clean_title(title),
            facilitator=checked("workshops", "facilitator", facilitator.strip()),
            team=checked("workshops", "team", team.strip()),
            started_at=start,
            utc_offset_min=_local_offset_min(start),
            location=checked("workshops", "location", location.strip()),
            notes=checked("workshops", "notes", notes),
        )
        s.add(w)
        s.flush()
        return w.id


WORKSHOP_FIELDS = ("title", "facilitator", "team", "started_at", "location", "notes", "status")


def update_workshop(store: Store, workshop_id: uuid.UUID, **changes: Any) -> None:
    check_fields(changes, WORKSHOP_FIELDS, "workshop")
    with store.write() as s:
        w = existing_row(s, Workshop, workshop_id, "workshop")
        for key, value in changes.items():
            if key != "title" and isinstance(value, str):
                changes[key] = checked("workshops", key, value)
        if "title" in changes:
            changes["title"] = _clean_title(changes["title"])
        if "started_at" in changes:
            changes["started_at"] = start = _checked_start(changes["started_at"])
            changes["utc_offset_min"] = _local_offset_min(start)
        set_changed(w, changes)


def duplicate_workshop(
    store: Store,
    workshop_id: uuid.UUID,
    *,
    title: str | None = None,
    started_at: datetime | None = None,
    with_participants: bool = True,
) -> uuid.UUID:
    """A fresh copy of the plan (agenda, groups, roster) with nothing logged yet."""
    with store.write() as s:
        src = existing_row(s, Workshop, workshop_id, "workshop")
        start = started_at or max(utcnow(), src.started_at + timedelta(days=7))
        new = Workshop(
            title=_clean_title(title or f"{src.title} (copy)"),
            facilitator=src.facilitator,
            team=src.team,
            started_at=start,
            utc_offset_min=src.utc_offset_min,
            location=src.location,
            notes=src.notes,
        )
        s.add(new)
        s.flush()
        items = s.scalars(select(AgendaItem).where(AgendaItem.workshop_id == src.id))
        for item in items:
            copy = AgendaItem(
                workshop_id=new.id,
                position=item.position,
                kind=item.kind,
                title=item.title,
                instructions=item.instructions,
                minutes=item.minutes,
            )
            s.add(copy)
            s.flush()
            for g in s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id == item.id)):
                s.add(
                    AgendaGroup(
                        id=group_id(copy.id, g.position),
                        agenda_item_id=copy.id,
                        position=g.position,
                        name=g.name,
                        members=list(g.members or []) if with_participants else [],
                    )
                )
        if with_participants:
            for m in s.scalars(
                select(WorkshopParticipant).where(WorkshopParticipant.workshop_id == src.id)
            ):
                s.add(
                    WorkshopParticipant(
                        id=membership_id(new.id, m.participant_id),
                        workshop_id=new.id,
                        participant_id=m.participant_id,
                        position=m.position,
                        hotkey=m.hotkey,
                    )
                )
        return new.id


def _workshop_rows(s: Session, workshop_id: uuid.UUID, *, include_deleted: bool = False) -> list[Any]:
    """Every row that belongs to the workshop (its people, agenda, groups, contributions,
    clips, reactions), tombstoned ones too when asked."""
    from db.models import Clip, Reaction

    opts = {"include_deleted": include_deleted}
    rows: list[Any] = []
    children: tuple[Any, ...] = (WorkshopParticipant, AgendaItem, Contribution, Clip, Reaction)
    for model in children:
        rows += s.scalars(select(model).where(model.workshop_id == workshop_id).execution_options(**opts))
    item_ids = [r.id for r in rows if isinstance(r, AgendaItem)]
    if item_ids:
        query = select(AgendaGroup).where(AgendaGroup.agenda_item_id.in_(item_ids)).execution_options(**opts)
        rows += s.scalars(query)
    return rows


def delete_workshop(store: Store, workshop_id: uuid.UUID) -> datetime:
    """Tombstone the workshop and everything in it; the tombstones travel with sync.

    Returns the deletion's instant: every row it tombstoned carries exactly that
    ``deleted_at``, which is how :func:`restore_workshop` tells them from rows that were
    deleted before (an undone share, a removed person), which stay deleted."""
    with store.write() as s:
        w = existing_row(s, Workshop, workshop_id, "workshop")
        now = utcnow()
        w.deleted_at = now
        for row in _workshop_rows(s, w.id):
            row.deleted_at = now
        return now


def restore_workshop(store: Store, workshop_id: uuid.UUID, *, clip_present: Callable[[str], bool]) -> int:
    """Undo :func:`delete_workshop`: the workshop and the rows its deletion tombstoned are
    live again. This is a new local edit (newer than the tombstone), so it wins over the
    deletion everywhere the deletion went, at the next sync; an old copy arriving by sync or
    in a portable file still cannot revive anything (db/merge.py). A clip whose file a sync
    already removed (``clip_present(sha)`` is False) stays deleted rather than come back
    without its video. Returns how many clips stayed deleted for that reason."""
    from db.models import Clip, Reaction

    with store.write() as s:
        w = s.get(Workshop, workshop_id, execution_options={"include_deleted": True})
        if w is None:
            raise RippleError("That workshop no longer exists, so it cannot be brought back.")
        when = w.deleted_at
        if when is None:
            return 0
        w.deleted_at = None
        lost: set[uuid.UUID] = set()
        for row in _workshop_rows(s, workshop_id, include_deleted=True):  # clips before reactions
            if row.deleted_at != when or (isinstance(row, Reaction) and row.clip_id in lost):
                continue
            if isinstance(row, Clip) and row.sha256 and not clip_present(row.sha256):
                lost.add(row.id)
                continue
            row.deleted_at = None
        return len(lost)
