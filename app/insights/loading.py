"""Reading workshops from the store into one batch for the influence engine.

Loading is done with a handful of column queries (:mod:`db.queries.analysis`: no ORM objects,
ids and times converted in SQL), counts that do not need the timeline (clips, reactions
received) are aggregated in SQL, and :func:`app.influence.engine.run` does the rest in one
pass, so one workshop takes milliseconds and a year of workshops takes seconds on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property

from sqlalchemy.orm import Session

from app.influence.batch import Batch, make_batch
from app.influence.engine import Result, run
from app.influence.params import Rules, Weights
from db.queries import analysis
from db.queries.columns import Canon
from db.store import Store


@dataclass(frozen=True)
class Scope:
    """Which workshops count (by start time; ``until`` is exclusive) and whose names show."""

    since: datetime | None = None
    until: datetime | None = None
    team: str | None = None  # participants' team; None = everyone
    workshop_ids: tuple[uuid.UUID, ...] | None = None

    def workshops(self, *, any_status: bool = False) -> analysis.Workshops:
        """The scope's workshops as the queries take them (only those that ran, unless
        ``any_status``)."""
        return analysis.Workshops(self.since, self.until, self.workshop_ids, any_status)


@dataclass(frozen=True)
class WorkshopInfo:
    id: uuid.UUID
    title: str
    facilitator: str
    team: str
    started_at: datetime
    utc_offset_min: int
    status: str

    @cached_property
    def tz(self) -> timezone:
        return timezone(timedelta(minutes=self.utc_offset_min))

    @cached_property
    def local_start(self) -> datetime:
        return self.started_at.astimezone(self.tz)


@dataclass(frozen=True)
class ItemInfo:
    id: uuid.UUID
    workshop: uuid.UUID
    position: int
    kind: str
    title: str


@dataclass
class Loaded:
    """A batch for the engine plus what the screens and files need to describe it."""

    batch: Batch
    workshops: dict[str, WorkshopInfo]  # canonical id -> info
    items: dict[str, ItemInfo]
    kinds: list[str]  # each row's contribution kind, in batch order


@dataclass
class Analysed:
    """Rows read from the store and the engine's result over them: what evidence needs."""

    loaded: Loaded
    result: Result

    @cached_property
    def kinds(self) -> list[str]:
        """Each row's contribution kind, in the result's (canonical) order."""
        return [self.loaded.kinds[i] for i in self.result.order.tolist()]


def analyse(loaded: Loaded, *, window_s: float, weights: Weights, rules: Rules) -> Analysed:
    return Analysed(loaded, run(loaded.batch, window_s=window_s, weights=weights, rules=rules))


def workshop_infos(s: Session, f: analysis.Workshops) -> dict[str, WorkshopInfo]:
    """The workshops matching ``f`` by canonical id, in a fixed order (start, id), so sums
    run in the same order on every backend."""
    workshops = {str(w.id): WorkshopInfo(*w) for w in analysis.workshops(s, f)}
    return dict(sorted(workshops.items(), key=lambda kv: (kv[1].started_at, kv[0])))


@dataclass
class _Around:
    """What the engine needs besides the contributions: agenda, groups, rosters, clips and
    reactions received, keyed by canonical ids."""

    items: dict[str, ItemInfo]
    groups: dict[str, list[list[str]]]
    present: list[tuple[str, str]]
    clips: dict[tuple[str, str], int]
    reactions: dict[tuple[str, str], int]


def load(store: Store, scope: Scope, *, any_status: bool = False) -> Loaded:
    """Read every workshop in ``scope`` (live rows only) into one batch for the engine.

    The contributions come back as plain columns: ids as the driver's text, times as whole
    milliseconds, so no ORM object or per-row conversion is made.
    """
    canon = Canon()
    f = scope.workshops(any_status=any_status)
    with store.read() as s:
        workshops = workshop_infos(s, f)
        around = _around(s, f, canon) if workshops else _Around({}, {}, [], {}, {})
        c = analysis.contribution_columns(s, f if workshops else None)
    batch = make_batch(
        workshops=[(k, w.started_at.timestamp()) for k, w in workshops.items()],
        ids=c.ids,
        ws=c.ws,
        item=c.item,
        person=c.person,
        t_ms=c.t_ms,
        spontaneous=c.spontaneous,
        kind_failure=[x == "failure" for x in c.kind],
        builds_on=c.builds,
        groups=around.groups,
        present=around.present,
        clips=around.clips,
        reactions=around.reactions,
        canon=canon,
    )
    return Loaded(batch, workshops, around.items, list(c.kind))


def _around(s: Session, f: analysis.Workshops, canon: Canon) -> _Around:
    items = {canon(it.id): ItemInfo(*it) for it in analysis.agenda_items(s, f)}
    groups: dict[str, list[list[str]]] = {}
    for g in analysis.agenda_groups(s, f):
        members = [x for x in (canon.lenient(m) for m in (g.members or [])) if x]
        groups.setdefault(canon(g.agenda_item_id), []).append(members)
    present: list[tuple[str, str]] = []
    roster = analysis.rosters(s, f)
    if roster:
        r_ws, r_p = zip(*roster, strict=True)
        present = list(zip(canon.column(r_ws), canon.column(r_p), strict=True))
    clips = {(canon(wid), canon(pid)): int(n) for wid, pid, n in analysis.clip_counts(s, f)}
    reactions: dict[tuple[str, str], int] = {}
    for wid, pid, n in analysis.reactions_received(s, f):
        k = (canon(wid), canon(pid))
        reactions[k] = reactions.get(k, 0) + int(n)
    return _Around(items, groups, present, clips, reactions)

