"""What erasing a participant removes of their role plays (called by :mod:`app.erasure` in
its transaction; :mod:`db.sync.scrub_roleplay` does the same wherever the sync reaches).

Their ratings (given and received) and the markers they dropped are tombstoned without
their comment or note; the recordings of every round they were cast in are tombstoned
without thumbnail or title, and their files deleted by the caller. Rounds and casts stay,
anonymous (the person's row becomes "Erased participant"), so the other players' record holds.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Clip, Marker, Rating, Round


def erase_role_plays(s: Session, pid: uuid.UUID, when: datetime) -> tuple[set[str], int]:
    """(the sha256 of the round recordings removed, how many clips were removed now)."""
    every = {"include_deleted": True}
    for rating in s.scalars(select(Rating).where(or_(Rating.rater_id == pid, Rating.player_id == pid))
                            .execution_options(**every)):
        if rating.deleted_at is None:
            rating.deleted_at = when
        if rating.comment:
            rating.comment = ""
    for marker in s.scalars(select(Marker).where(Marker.by_id == pid).execution_options(**every)):
        if marker.deleted_at is None:
            marker.deleted_at = when
        if marker.note:
            marker.note = ""
    shas: set[str] = set()
    removed = 0
    text = str(pid)
    clip_ids = {
        r.clip_id for r in s.scalars(select(Round).where(Round.clip_id.isnot(None)).execution_options(**every))
        if any(str(c.get("participant")) == text for c in r.casting or [])
    }
    for clip in s.scalars(select(Clip).where(Clip.id.in_(clip_ids)).execution_options(**every)) if clip_ids else ():
        if clip.sha256:
            shas.add(clip.sha256)
        if clip.deleted_at is None:
            clip.deleted_at = when
            removed += 1
        if clip.thumbnail is not None:
            clip.thumbnail = None
        if clip.title:
            clip.title = ""
    return shas, removed
