"""The erasure scrub for role plays, run by :func:`db.sync.rows.scrub_erased`.

Whatever laptop a row comes from, an erased participant's role-play traces end as the
erasure left them (app/roleplay/erasure.py does the same on the erasing laptop): ratings by
or for them tombstoned without comment, markers they dropped tombstoned without note, and
the recordings of every round they were cast in tombstoned without thumbnail or title (their
files then go at the next clip sync, like any deleted clip's). The tombstone time is the
(earliest) erasure's, and versions are left alone, so every store ends with the same rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, func, or_, select, update

from db.models import Clip, Marker, Participant, Rating, Round

TABLES = frozenset({"rounds", "markers", "ratings"})


def _t(model: Any) -> Table:
    return cast(Table, model.__table__)


def scrub_role_plays(conn: Connection) -> int:
    p, g, m = _t(Participant), _t(Rating), _t(Marker)
    erased = select(p.c.id).where(p.c.erased_at.isnot(None))
    changed = 0
    rating_time = (
        select(func.min(p.c.erased_at))
        .where(p.c.erased_at.isnot(None), or_(p.c.id == g.c.rater_id, p.c.id == g.c.player_id))
        .scalar_subquery()
    )
    changed += conn.execute(
        update(g)
        .where(or_(g.c.rater_id.in_(erased), g.c.player_id.in_(erased)),
               or_(g.c.deleted_at.is_(None), g.c.comment != ""))
        .values(deleted_at=func.coalesce(g.c.deleted_at, rating_time), comment="")
    ).rowcount
    marker_time = select(p.c.erased_at).where(p.c.id == m.c.by_id).scalar_subquery()
    changed += conn.execute(
        update(m)
        .where(m.c.by_id.in_(erased), or_(m.c.deleted_at.is_(None), m.c.note != ""))
        .values(deleted_at=func.coalesce(m.c.deleted_at, marker_time), note="")
    ).rowcount
    return changed + _scrub_round_clips(conn)


def erased_cast_time(casting: Any, erased: dict[uuid.UUID, datetime]) -> datetime | None:
    """When the earliest erased person of a round's cast was erased (None: nobody in it was)."""
    times = []
    for entry in casting or []:
        try:
            pid = uuid.UUID(str(entry.get("participant")))
        except (ValueError, AttributeError):
            continue
        if pid in erased:
            times.append(erased[pid])
    return min(times) if times else None


def _scrub_round_clips(conn: Connection) -> int:
    p, r, c = _t(Participant), _t(Round), _t(Clip)
    erased = {row[0]: row[1] for row in conn.execute(select(p.c.id, p.c.erased_at).where(p.c.erased_at.isnot(None)))}
    if not erased:
        return 0
    changed = 0
    for clip_id, casting in conn.execute(select(r.c.clip_id, r.c.casting).where(r.c.clip_id.isnot(None))):
        when = erased_cast_time(casting, erased)
        if when is None:
            continue
        changed += conn.execute(
            update(c)
            .where(c.c.id == clip_id, or_(c.c.deleted_at.is_(None), c.c.thumbnail.isnot(None), c.c.title != ""))
            .values(deleted_at=func.coalesce(c.c.deleted_at, when), thumbnail=None, title="")
        ).rowcount
    return changed
