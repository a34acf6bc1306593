"""What the influence analysis and the dashboards read: workshops, their agenda, rosters,
contributions, clips and reactions, as plain rows and columns.

Tombstoned rows never count: every query filters them here, in SQL. The few that run through
the ORM session are also filtered by the store's tombstone hook; those that must see the raw
rows (ids as text, many rows) run on the connection instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.models import (
    AgendaGroup,
    AgendaItem,
    Clip,
    Contribution,
    Participant,
    Reaction,
    Workshop,
    WorkshopParticipant,
    agenda_order,
)
from db.queries.columns import epoch, instant, raw_id, to_ms

RAN = ("live", "finished")  # the statuses of workshops that took place


@dataclass(frozen=True)
class Workshops:
    """Which workshops a query covers: live rows started in ``[since, until)``, or the given
    ``ids``; only those that ran (live or finished) unless ``any_status``."""

    since: datetime | None = None
    until: datetime | None = None
    ids: tuple[uuid.UUID, ...] | None = None
    any_status: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        w = Workshop.__table__.c
        conds: list[ColumnElement[bool]] = [w.deleted_at.is_(None)]
        if not self.any_status:
            conds.append(w.status.in_(RAN))
        if self.ids is not None:
            conds.append(w.id.in_(self.ids))
        if self.since is not None:
            conds.append(w.started_at >= self.since)
        if self.until is not None:
            conds.append(w.started_at < self.until)
        return conds

    def only(self, col: Any) -> ColumnElement[bool]:
        """A few chosen workshops: name them on the child table too, so its index on
        workshop_id is used instead of a scan joined to the workshops."""
        return col.in_(self.ids) if self.ids is not None and len(self.ids) <= 100 else true()


def workshops(s: Session, f: Workshops) -> list[Any]:
    """(id, title, facilitator, team, started_at, utc_offset_min, status) of each workshop."""
    w = Workshop
    return list(s.execute(
        select(w.id, w.title, w.facilitator, w.team, w.started_at, w.utc_offset_min, w.status).where(*f.conditions())
    ))


def agenda_items(s: Session, f: Workshops) -> list[Any]:
    """(id, workshop_id, position, kind, title) of the workshops' live agenda items."""
    return list(s.execute(
        select(AgendaItem.id, AgendaItem.workshop_id, AgendaItem.position, AgendaItem.kind, AgendaItem.title)
        .join(Workshop, Workshop.id == AgendaItem.workshop_id)
        .where(and_(*f.conditions()), f.only(AgendaItem.workshop_id), AgendaItem.deleted_at.is_(None))
    ))


def agenda_groups(s: Session, f: Workshops) -> list[Any]:
    """(agenda_item_id, position, members) of the live groups of live items, in order."""
    return list(s.execute(
        select(AgendaGroup.agenda_item_id, AgendaGroup.position, AgendaGroup.members)
        .join(AgendaItem, AgendaItem.id == AgendaGroup.agenda_item_id)
        .join(Workshop, Workshop.id == AgendaItem.workshop_id)
        .where(and_(*f.conditions()), f.only(AgendaItem.workshop_id), AgendaGroup.deleted_at.is_(None),
               AgendaItem.deleted_at.is_(None))
        .order_by(AgendaGroup.agenda_item_id, *agenda_order(AgendaGroup))
    ))


def rosters(s: Session, f: Workshops) -> list[Any]:
    """(workshop id, participant id) as the driver's text, for everyone on the rosters."""
    wp = WorkshopParticipant
    return list(s.execute(
        select(raw_id(s, wp.workshop_id), raw_id(s, wp.participant_id))
        .join(Workshop, Workshop.id == wp.workshop_id)
        .where(and_(*f.conditions()), f.only(wp.workshop_id), wp.deleted_at.is_(None))
    ).all())


def clip_counts(s: Session, f: Workshops) -> list[Any]:
    """(workshop id, participant id as text, live clips) per person and workshop."""
    return list(s.execute(
        select(raw_id(s, Clip.workshop_id), raw_id(s, Clip.participant_id), func.count())
        .join(Workshop, Workshop.id == Clip.workshop_id)
        .where(and_(*f.conditions()), f.only(Clip.workshop_id), Clip.deleted_at.is_(None))
        .group_by(Clip.workshop_id, Clip.participant_id)
    ))


def reactions_received(s: Session, f: Workshops) -> list[Any]:
    """(workshop id, participant id as text, reactions): reactions received on the person's
    contributions, then on their clips, from someone else."""
    r = Reaction
    out: list[Any] = []
    for owner, key in ((Contribution, r.contribution_id), (Clip, r.clip_id)):
        out += s.execute(
            select(raw_id(s, owner.workshop_id), raw_id(s, owner.participant_id), func.count())
            .select_from(r)
            .join(owner, owner.id == key)
            .join(Workshop, Workshop.id == owner.workshop_id)
            .where(
                and_(*f.conditions()),
                f.only(r.workshop_id),
                f.only(owner.workshop_id),
                r.deleted_at.is_(None),
                owner.deleted_at.is_(None),
                or_(r.participant_id.is_(None), r.participant_id != owner.participant_id),
            )
            .group_by(owner.workshop_id, owner.participant_id)
        ).all()
    return out


class ContributionColumns(NamedTuple):
    """The live contributions of some workshops, column by column (ids as the driver's text)."""

    ids: Sequence[Any]
    ws: Sequence[Any]
    item: Sequence[Any]
    person: Sequence[Any]
    t_ms: np.ndarray  # whole milliseconds since the epoch
    spontaneous: Sequence[Any]
    kind: Sequence[str]
    builds: Sequence[Any]


def contribution_columns(s: Session, f: Workshops | None) -> ContributionColumns:
    """Every live contribution of the workshops (none for ``None``), without ORM objects or
    per-row conversion: plain DBAPI rows, times parsed as one array."""
    rows: Sequence[Any] = []
    if f is not None:
        c = Contribution.__table__.c
        w_t = Workshop.__table__.c
        stmt = (
            select(
                raw_id(s, c.id), raw_id(s, c.workshop_id), raw_id(s, c.agenda_item_id),
                raw_id(s, c.participant_id), instant(s, c.at), c.initiative == "spontaneous", c.kind,
                raw_id(s, c.builds_on_id),
            )
            .join(Workshop.__table__, w_t.id == c.workshop_id)
            .where(c.deleted_at.is_(None), f.only(c.workshop_id), *f.conditions())
        )
        rows = s.connection().execute(stmt).cursor.fetchall()
    cols: Sequence[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [[] for _ in range(8)]
    ids, ws, item, person, at, spontaneous, kind, builds = cols
    return ContributionColumns(ids, ws, item, person, to_ms(s, at), spontaneous, kind, builds)


def reactions_per_contribution(s: Session, f: Workshops) -> list[Any]:
    """(contribution id, reacting participant id or None), both as the driver's text, for every
    live reaction to a contribution of the workshops: one scan of the reactions table."""
    r = Reaction.__table__.c
    w = Workshop.__table__.c
    stmt = (
        select(raw_id(s, r.contribution_id), raw_id(s, r.participant_id))
        .select_from(Reaction.__table__)
        .join(Workshop.__table__, w.id == r.workshop_id)
        .where(r.deleted_at.is_(None), r.contribution_id.is_not(None), *f.conditions())
    )
    return list(s.connection().execute(stmt).cursor.fetchall())


def clips(
    s: Session, workshop_ids: Sequence[uuid.UUID], people: Sequence[uuid.UUID] | None = None
) -> list[tuple[Any, ...]]:
    """(clip id, person, workshop, at, seconds, scope, title, reactions from others), the
    clips of the workshops (of ``people`` only, if given) in time order."""
    stmt = select(Clip.id, Clip.participant_id, Clip.workshop_id, Clip.at, Clip.seconds, Clip.scope, Clip.title).where(
        Clip.deleted_at.is_(None), Clip.workshop_id.in_(list(workshop_ids))
    )
    if people is not None:
        stmt = stmt.where(Clip.participant_id.in_(list(people)))
    rows = list(s.execute(stmt.order_by(Clip.at, Clip.id)))
    counts: dict[Any, int] = {}
    if rows:
        for cid, n in s.execute(
            select(Reaction.clip_id, func.count())
            .join(Clip, Clip.id == Reaction.clip_id)
            .where(
                Reaction.deleted_at.is_(None), Reaction.clip_id.in_([r[0] for r in rows]),
                or_(Reaction.participant_id.is_(None), Reaction.participant_id != Clip.participant_id),
            )
            .group_by(Reaction.clip_id)
        ):
            counts[cid] = int(n)
    return [(r[0], str(r[1]), str(r[2]), r[3], r[4], r[5], r[6], counts.get(r[0], 0)) for r in rows]


def roster_order(s: Session, workshop_id: uuid.UUID) -> list[str]:
    """The workshop's roster as canonical participant ids, in roster order."""
    wp = WorkshopParticipant
    return [
        str(pid)
        for pid in s.scalars(
            select(wp.participant_id)
            .where(wp.workshop_id == workshop_id, wp.deleted_at.is_(None))
            .order_by(wp.position)
        )
    ]


def notes(s: Session, workshop_id: uuid.UUID) -> dict[str, str]:
    """Canonical contribution id -> the trainer's note, for the workshop's noted contributions."""
    c = Contribution
    return {
        str(cid): note
        for cid, note in s.execute(
            select(c.id, c.note).where(c.workshop_id == workshop_id, c.deleted_at.is_(None), c.note != "")
        )
    }


def attendance(s: Session, since: datetime | None, until: datetime | None) -> list[Any]:
    """Roster history up to ``until`` in one pass, per (person, team): (participant id as
    text, team or None, first workshop's start in epoch seconds, workshops before ``since``)."""
    wp, w, p = WorkshopParticipant, Workshop, Participant
    base: list[ColumnElement[bool]] = [
        wp.deleted_at.is_(None),
        w.deleted_at.is_(None),
        w.status.in_(RAN),
    ]
    if until is not None:
        base.append(w.started_at < until)
    before = (
        func.count(func.distinct(case((w.started_at < since, wp.workshop_id))))
        if since is not None
        else literal(0)
    )
    return list(s.execute(
        select(raw_id(s, wp.participant_id), p.team, func.min(epoch(s, w.started_at)), before)
        .select_from(wp)
        .join(w, w.id == wp.workshop_id)
        .outerjoin(p, p.id == wp.participant_id)
        .where(*base)
        .group_by(wp.participant_id, p.team)
    ))


def workshops_that_ran(s: Session, limit: int | None = None) -> list[tuple[uuid.UUID, str, datetime, str, int]]:
    """(id, title, started_at, status, live contributions) of the workshops that ran, newest
    first."""
    counts = dict(
        s.execute(
            select(Contribution.workshop_id, func.count())
            .where(Contribution.deleted_at.is_(None))
            .group_by(Contribution.workshop_id)
        ).all()
    )
    stmt = (
        select(Workshop.id, Workshop.title, Workshop.started_at, Workshop.status)
        .where(Workshop.deleted_at.is_(None), Workshop.status.in_(RAN))
        .order_by(Workshop.started_at.desc(), Workshop.id)
    )
    if limit:
        stmt = stmt.limit(limit)
    return [(w.id, w.title, w.started_at, w.status, int(counts.get(w.id, 0))) for w in s.execute(stmt)]
