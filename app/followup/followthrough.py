"""Follow-through of commitments for L&D: per person, how many check-ins were done and the
last rating; the Insights report and the candidate export read it (PRODUCT.md, issue 14:
"per person, and per team only for teams of at least 5").

Plain reads of the store (no analytics engine), so :mod:`app.insights` may call it without
an import cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.text import plural
from db.models import CheckIn, Commitment, Workshop
from db.store import Store


@dataclass(frozen=True)
class FollowThrough:
    """One person's commitments in a period: the latest one's text, check-ins done and due
    over all of them, and the last rating logged (None: no check-in yet)."""

    commitments: int
    commitment: str
    check_ins: int
    due: int
    last_rating: int | None

    def summary(self) -> str:
        if not self.commitments:
            return ""
        last = f", last rating {self.last_rating}/10" if self.last_rating is not None else ""
        return f"{self.check_ins} of {plural(self.due, 'check-in')} done{last}"


def follow_through(
    store: Store, workshop_ids: Iterable[uuid.UUID | str], people: Iterable[uuid.UUID]
) -> dict[uuid.UUID, FollowThrough]:
    """The follow-through of ``people``'s commitments made at ``workshop_ids``."""
    ws = [w if isinstance(w, uuid.UUID) else uuid.UUID(str(w)) for w in workshop_ids]
    who = list(set(people))
    if not ws or not who:
        return {}
    with store.read() as s:
        rows = list(s.execute(
            select(Commitment.id, Commitment.participant_id, Commitment.text, Commitment.check_ins_due)
            .join(Workshop, Workshop.id == Commitment.workshop_id)
            .where(Commitment.workshop_id.in_(ws), Commitment.participant_id.in_(who), Commitment.text != "")
            .order_by(Workshop.started_at, Commitment.id)
        ))
        checks = list(s.execute(
            select(CheckIn.commitment_id, CheckIn.rating)
            .where(CheckIn.commitment_id.in_([r[0] for r in rows]))
            .order_by(CheckIn.at, CheckIn.id)
        )) if rows else []
    owner = {cid: pid for cid, pid, _t, _d in rows}
    done: dict[uuid.UUID, int] = {}
    last: dict[uuid.UUID, int] = {}
    for cid, rating in checks:
        pid = owner[cid]
        done[pid] = done.get(pid, 0) + 1
        last[pid] = int(rating)
    out: dict[uuid.UUID, FollowThrough] = {}
    for _cid, pid, text, due in rows:
        prev = out.get(pid)
        out[pid] = FollowThrough(
            commitments=(prev.commitments if prev else 0) + 1, commitment=text,
            check_ins=done.get(pid, 0), due=(prev.due if prev else 0) + len(due or []), last_rating=last.get(pid),
        )
    return out
