"""Check-ins: a 1–10 rating and a short note on a commitment, and which commitments are
open when the same team meets again.

Check-ins are append-only like contributions (one tap is one new row on the fast path,
``Store.append``), so two laptops logging check-ins never conflict. A commitment is *open*
until it has as many check-ins as it has check-in dates (whenever they were logged: a
check-in taken early at the next workshop counts for the first date).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.errors import FieldError, NotFound
from app.followup.commitments import CommitmentView, view_of
from db.models import CheckIn, Commitment, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.types import utcnow

MAX_NOTE = 500


@dataclass(frozen=True)
class CheckInView:
    id: uuid.UUID
    commitment_id: uuid.UUID
    at: datetime
    rating: int
    note: str


@dataclass(frozen=True)
class OpenCommitment:
    """A commitment to follow up on, with who made it and how it went so far."""

    commitment: CommitmentView
    person: str
    buddy: str
    workshop_title: str
    check_ins: tuple[CheckInView, ...]

    @property
    def next_due(self) -> date | None:
        due = self.commitment.check_ins_due
        return due[len(self.check_ins)] if len(self.check_ins) < len(due) else None


def _check_rating(rating: object) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 10:
        raise FieldError("rating", f"A check-in rating is a whole number from 1 to 10, not “{rating}”.")
    return rating


def log_check_in(
    store: Store, commitment_id: uuid.UUID, rating: int, note: str = "", *, at: datetime | None = None
) -> CheckInView:
    """Append one check-in; refused (nothing written) for an unknown commitment, a rating
    outside 1–10 or an overlong note."""
    value = _check_rating(rating)
    clean = note.strip()
    if len(clean) > MAX_NOTE:
        raise FieldError("note", f"A check-in note is at most {MAX_NOTE} characters; this one has {len(clean)}.")
    with store.read() as s:
        if s.get(Commitment, commitment_id) is None:
            raise NotFound(f"There is no commitment with id {commitment_id}.")
    row = store.append(CheckIn, {"commitment_id": commitment_id, "at": at or utcnow(), "rating": value,
                                 "note": clean})
    return CheckInView(row["id"], commitment_id, row["at"], value, clean)


def check_ins_of(store: Store, commitment_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[CheckInView, ...]]:
    """The live check-ins of these commitments, oldest first."""
    out: dict[uuid.UUID, list[CheckInView]] = defaultdict(list)
    if not commitment_ids:
        return {}
    with store.read() as s:
        for k in s.scalars(select(CheckIn).where(CheckIn.commitment_id.in_(commitment_ids))
                           .order_by(CheckIn.at, CheckIn.id)):
            out[k.commitment_id].append(CheckInView(k.id, k.commitment_id, k.at, k.rating, k.note))
    return {cid: tuple(v) for cid, v in out.items()}


def open_commitments(store: Store, workshop_id: uuid.UUID) -> list[OpenCommitment]:
    """At a workshop: the open commitments of the people on its roster, made at earlier
    workshops of the same team (PRODUCT.md: "At the next workshop of the same team, the
    console shows the present participants' open commitments"). Newest workshop first."""
    with store.read() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise NotFound(f"There is no workshop with id {workshop_id}.")
        present = list(s.scalars(select(WorkshopParticipant.participant_id)
                                 .where(WorkshopParticipant.workshop_id == workshop_id)))
        if not present:
            return []
        rows = s.execute(
            select(Commitment, Workshop.title, Workshop.started_at)
            .join(Workshop, Workshop.id == Commitment.workshop_id)
            .where(Commitment.participant_id.in_(present), Workshop.team == w.team,
                   Workshop.started_at < w.started_at, Commitment.text != "")
            .order_by(Workshop.started_at.desc(), Commitment.id)
        ).all()
        people = {p.id: p for p in s.scalars(select(Participant).where(
            Participant.id.in_({c.participant_id for c, *_ in rows} | {c.buddy_id for c, *_ in rows if c.buddy_id})))}
        found = [(view_of(c), title) for c, title, _start in rows]
    done = check_ins_of(store, [c.id for c, _ in found])
    out = []
    seen: set[uuid.UUID] = set()
    for c, title in found:
        if c.participant_id in seen:
            continue  # the latest workshop's commitment is the one to follow up
        seen.add(c.participant_id)
        ks = done.get(c.id, ())
        if len(ks) >= len(c.check_ins_due):
            continue
        person = people.get(c.participant_id)
        if person is None or person.erased_at is not None:
            continue
        buddy = people.get(c.buddy_id) if c.buddy_id else None
        out.append(OpenCommitment(c, person.name, buddy.name if buddy and buddy.erased_at is None else "",
                                  title, ks))
    return out


def commitments_of_person(store: Store, participant_id: uuid.UUID) -> list[OpenCommitment]:
    """Every live commitment of one person (newest workshop first) with its check-ins, for
    their page, where check-ins are typed in later (a call, an e-mail)."""
    with store.read() as s:
        person = s.get(Participant, participant_id)
        if person is None or person.erased_at is not None:
            raise NotFound(f"There is no participant with id {participant_id}.")
        rows = s.execute(
            select(Commitment, Workshop.title)
            .join(Workshop, Workshop.id == Commitment.workshop_id)
            .where(Commitment.participant_id == participant_id, Commitment.text != "")
            .order_by(Workshop.started_at.desc(), Commitment.id)
        ).all()
        buddies = {p.id: p for p in s.scalars(select(Participant).where(
            Participant.id.in_({c.buddy_id for c, _t in rows if c.buddy_id})))}
        found = [(view_of(c), title) for c, title in rows]
        name = person.name
    done = check_ins_of(store, [c.id for c, _ in found])
    out = []
    for c, title in found:
        b = buddies.get(c.buddy_id) if c.buddy_id else None
        out.append(OpenCommitment(c, name, b.name if b and b.erased_at is None else "", title, done.get(c.id, ())))
    return out
