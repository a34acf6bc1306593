"""Participants as the analytics read them: tombstoned ones included (they keep their anonymous
counts), ids as the driver's text."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Participant
from db.queries.columns import raw_id


def participants(s: Session, ids: Collection[str] | None = None) -> list[Any]:
    """(id as text, name, email, team, consent_analytics, erased_at, deleted_at) of everyone,
    or of ``ids`` when they are few (one room); with many, of everyone (the caller picks):
    a year's export names a couple of thousand people, and one plain scan beats a long IN list.
    """
    t = Participant.__table__.c
    stmt = select(raw_id(s, t.id), t.name, t.email, t.team, t.consent_analytics, t.erased_at, t.deleted_at)
    if ids is not None and len(ids) <= 500:
        stmt = stmt.where(t.id.in_([uuid.UUID(p) for p in ids]))
    return list(s.connection().execute(stmt).all())


def teams(s: Session) -> list[str]:
    """The participants' teams, sorted (no empty team)."""
    return sorted(
        {t for t in s.scalars(select(Participant.team).where(Participant.team != "").distinct()) if t}
    )
