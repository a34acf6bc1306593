"""Commitments: what each participant will apply after a workshop, with a buddy and the days
someone follows up.

One commitment per participant and workshop; its id is derived from the pair, so the
trainer's laptop and the recording station taking the same person's commitment merge field
by field at the next sync instead of doubling. Check-ins are due 7 and 30 days after the
workshop unless other dates are given (PRODUCT.md, "After the workshop").
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldError, NotFound
from db.models import CheckIn, Commitment, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.types import utcnow

#: Days after the workshop a check-in is due, unless other dates are given.
DEFAULT_CHECK_IN_DAYS: tuple[int, ...] = (7, 30)
#: Longest commitment kept (a sentence or two; the card and the calendar show it whole).
MAX_TEXT = 500

_NS = uuid.UUID("3d0b8a6e-1f47-4c55-8e0a-6b2f9d7c1e24")


def commitment_id(workshop_id: uuid.UUID, participant_id: uuid.UUID) -> uuid.UUID:
    """The id of a participant's commitment in a workshop: the same on every laptop."""
    return uuid.uuid5(_NS, f"commitment:{workshop_id}:{participant_id}")


@dataclass(frozen=True)
class CommitmentView:
    id: uuid.UUID
    workshop_id: uuid.UUID
    participant_id: uuid.UUID
    text: str
    buddy_id: uuid.UUID | None
    check_ins_due: tuple[date, ...]
    at: datetime


def view_of(c: Commitment) -> CommitmentView:
    return CommitmentView(
        c.id, c.workshop_id, c.participant_id, c.text, c.buddy_id,
        tuple(sorted(date.fromisoformat(d) for d in (c.check_ins_due or []))), c.at,
    )


def workshop_day(w: Workshop) -> date:
    """The workshop's date where it ran (its own time zone)."""
    return w.started_at.astimezone(timezone(timedelta(minutes=w.utc_offset_min))).date()


def default_due(w: Workshop) -> tuple[date, ...]:
    day = workshop_day(w)
    return tuple(day + timedelta(days=n) for n in DEFAULT_CHECK_IN_DAYS)


def _roster(s: Session, workshop_id: uuid.UUID) -> set[uuid.UUID]:
    return set(s.scalars(select(WorkshopParticipant.participant_id).where(
        WorkshopParticipant.workshop_id == workshop_id)))


def _check_text(text: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise FieldError("text", "A commitment needs a sentence: what will they apply in the next 30 days?")
    if len(clean) > MAX_TEXT:
        raise FieldError("text", f"A commitment is at most {MAX_TEXT} characters; this one has {len(clean)}.")
    return clean


def _check_due(w: Workshop, due: Iterable[date] | None) -> list[str]:
    days = sorted(set(due)) if due is not None else list(default_due(w))
    if not days:
        raise FieldError("due", "A commitment needs at least one check-in date.")
    first = workshop_day(w)
    if days[0] < first:
        raise FieldError("due", f"A check-in date ({days[0].isoformat()}) cannot be before the workshop ({first}).")
    return [d.isoformat() for d in days]


def take_commitment(
    store: Store,
    workshop_id: uuid.UUID,
    participant_id: uuid.UUID,
    text: str,
    *,
    buddy_id: uuid.UUID | None = None,
    due: Sequence[date] | None = None,
    at: datetime | None = None,
) -> CommitmentView:
    """Record (or change) a participant's commitment in a workshop; one transaction.

    Refused with one sentence, changing nothing: an unknown workshop, someone not on its
    roster, an empty or overlong text, a buddy who is the person or not in the workshop,
    a check-in date before the workshop."""
    clean = _check_text(text)
    with store.write() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise NotFound(f"There is no workshop with id {workshop_id}.")
        roster = _roster(s, workshop_id)
        if participant_id not in roster:
            raise NotFound(f"Participant {participant_id} is not in the workshop “{w.title}”.")
        if buddy_id is not None:
            if buddy_id == participant_id:
                raise FieldError("buddy", "A buddy is another participant, not the person themselves.")
            if buddy_id not in roster:
                raise FieldError("buddy", f"The buddy {buddy_id} is not in the workshop “{w.title}”.")
        days = _check_due(w, due)
        cid = commitment_id(workshop_id, participant_id)
        row = s.get(Commitment, cid, execution_options={"include_deleted": True})
        if row is None:
            row = Commitment(id=cid, workshop_id=workshop_id, participant_id=participant_id, text=clean,
                             buddy_id=buddy_id, check_ins_due=days, at=at or utcnow())
            s.add(row)
        else:
            if row.deleted_at is not None:
                row.deleted_at = None
            if row.text != clean:
                row.text = clean
            if row.buddy_id != buddy_id:
                row.buddy_id = buddy_id
            if list(row.check_ins_due or []) != days:
                row.check_ins_due = days
        s.flush()
        return view_of(row)


def withdraw_commitment(store: Store, workshop_id: uuid.UUID, participant_id: uuid.UUID) -> bool:
    """Remove a commitment (a mis-typed one, or the person changed their mind)."""
    with store.write() as s:
        row = s.get(Commitment, commitment_id(workshop_id, participant_id))
        if row is None:
            return False
        row.deleted_at = utcnow()
        return True


def commitments_of_workshop(store: Store, workshop_id: uuid.UUID) -> dict[uuid.UUID, CommitmentView]:
    """The workshop's live commitments by participant."""
    with store.read() as s:
        rows = s.scalars(select(Commitment).where(Commitment.workshop_id == workshop_id))
        return {c.participant_id: view_of(c) for c in rows}


def erase_followup_in(s: Session, participant_id: uuid.UUID, when: datetime) -> None:
    """Part of an erasure (app/erasure.py): the person's commitments and their check-ins
    tombstoned without text or notes, and nobody's commitment naming them as buddy.
    ``db.sync.rows.scrub_erased`` does the same to what other laptops send."""
    for c in s.scalars(select(Commitment).where(Commitment.participant_id == participant_id)
                       .execution_options(include_deleted=True)):
        if c.deleted_at is None:
            c.deleted_at = when
        if c.text:
            c.text = ""
        for k in s.scalars(select(CheckIn).where(CheckIn.commitment_id == c.id)
                           .execution_options(include_deleted=True)):
            if k.deleted_at is None:
                k.deleted_at = when
            if k.note:
                k.note = ""
    for c in s.scalars(select(Commitment).where(Commitment.buddy_id == participant_id)
                       .execution_options(include_deleted=True)):
        c.buddy_id = None


def names(store: Store, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Roster names (erased people are never named) for commitments' people and buddies."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    with store.read() as s:
        rows = s.execute(select(Participant.id, Participant.name, Participant.erased_at)
                         .where(Participant.id.in_(wanted)))
        return {pid: ("Erased participant" if erased else name) for pid, name, erased in rows}
