"""Insights from the store: one workshop's ripples, equity and ranking; a period's candidates.

Loading is done with a handful of column queries (no ORM objects, ids and times converted in
SQL), counts that do not need the timeline (clips, reactions received, past attendance) are
aggregated in SQL, and :mod:`app.influence.engine` does the rest in one pass, so one workshop takes
milliseconds and a year of workshops takes seconds on SQLite and PostgreSQL alike.

Privacy: tombstoned rows never count; erased participants keep their anonymous counts but are
never named; only participants who consented to analytics get a name, a rank or evidence —
everyone else appears as "another participant" (see :class:`Person`).
"""

from __future__ import annotations

import re
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cached_property
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Float,
    Numeric,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.errors import NotFound, RippleError
from app.influence import engine as inf
from app.insights.equity import Equity, equity_of
from app.insights import cache as analysis_cache
from app.platform.gc_pause import without_gc
from db.models import (
    AgendaGroup,
    AgendaItem,
    Clip,
    Contribution,
    Participant,
    Reaction,
    Workshop,
    WorkshopParticipant,
)
from db.store import Store

ANONYMOUS = "another participant"
ERASED = "Erased participant"

# ---------------------------------------------------------------- scope and people


@dataclass(frozen=True)
class Scope:
    """Which workshops count (by start time; ``until`` is exclusive) and whose names show."""

    since: datetime | None = None
    until: datetime | None = None
    team: str | None = None  # participants' team; None = everyone
    workshop_ids: tuple[uuid.UUID, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "team": self.team,
        }


@dataclass(frozen=True)
class Person:
    """How a participant may be shown: ``label`` is their name only if they consented to
    analytics (ranking, evidence, network, exports); ``roster`` is the name the trainer sees
    on the roster anyway (timeline lanes, equity), hidden only once they are erased."""

    id: uuid.UUID
    label: str
    name: str  # "" unless named
    email: str | None
    team: str
    consent: bool
    erased: bool
    roster: str = ""
    deleted: bool = False  # the participant row is tombstoned
    known: bool = True  # False: no participant row (yet) for this id

    @property
    def named(self) -> bool:
        return self.consent and not self.erased


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


# ---------------------------------------------------------------- loading


def _raw_id(s: Session, col: Any) -> ColumnElement[Any]:
    """A UUID column as the driver's text, without per-row conversion in Python."""
    if s.get_bind().dialect.name == "sqlite":
        return type_coerce(col, String)
    return cast(col, String)


def _epoch(s: Session, col: Any) -> ColumnElement[Any]:
    """Seconds since the epoch, rounded to milliseconds, computed by the database."""
    if s.get_bind().dialect.name == "sqlite":
        return type_coerce(func.round((func.julianday(col) - 2440587.5) * 86400.0, 3), Float)
    return cast(func.round(cast(func.extract("epoch", col), Numeric), 3), Float)


def _instant(s: Session, col: Any) -> ColumnElement[Any]:
    """A time column as cheaply as the backend can hand it over: SQLite's stored UTC text
    (numpy parses 200,000 of them in milliseconds), PostgreSQL's whole milliseconds."""
    if s.get_bind().dialect.name == "sqlite":
        return type_coerce(col, String)
    return cast(func.floor(func.extract("epoch", col) * 1000), BigInteger)


def _to_ms(s: Session, values: Sequence[Any]) -> np.ndarray:
    """Whole milliseconds since the epoch (sub-millisecond parts are dropped on both backends)."""
    if s.get_bind().dialect.name == "sqlite":
        micro = np.array(values, dtype="datetime64[us]").astype(np.int64)
        return micro // 1000
    return np.asarray(values, dtype=np.int64)


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _Canon:
    """Canonical ``str(uuid)`` for the few distinct people, items and workshops (cached, so a
    column of 200,000 rows costs one dictionary look-up per row)."""

    def __init__(self) -> None:
        self._cache: dict[Any, str] = {}

    def __call__(self, raw: Any) -> str:
        if raw is None:
            return ""
        out = self._cache.get(raw)
        if out is None:
            if isinstance(raw, uuid.UUID):
                out = str(raw)
            elif isinstance(raw, str) and _CANONICAL.fullmatch(raw):
                out = raw  # PostgreSQL's text for a uuid is already canonical
            else:
                out = str(uuid.UUID(str(raw)))
            self._cache[raw] = out
        return out

    def lenient(self, raw: Any) -> str:
        """Like calling it, but "" for something that is not an id (a damaged group list)."""
        try:
            return self(raw)
        except (ValueError, AttributeError, TypeError):
            return ""

    def column(self, values: Sequence[Any]) -> list[Any]:
        """A whole column, ``None`` kept as ``None``."""
        for raw in set(values):
            if raw is not None and raw not in self._cache:
                self(raw)
        cache = self._cache
        return [cache[v] if v is not None else None for v in values]


@dataclass
class Loaded:
    """A batch for the engine plus what the screens and files need to describe it."""

    batch: inf.Batch
    workshops: dict[str, WorkshopInfo]  # canonical id -> info
    items: dict[str, ItemInfo]
    kinds: list[str]  # each row's contribution kind, in batch order

    @property
    def contributions(self) -> int:
        return self.batch.rows


def _workshop_filter(scope: Scope, *, any_status: bool = False) -> list[ColumnElement[bool]]:
    """Live workshops in the scope; only those that ran, unless ``any_status``."""
    conds: list[ColumnElement[bool]] = [Workshop.deleted_at.is_(None)]
    if not any_status:
        conds.append(Workshop.status.in_(("live", "finished")))
    if scope.workshop_ids is not None:
        conds.append(Workshop.id.in_(scope.workshop_ids))
    if scope.since is not None:
        conds.append(Workshop.started_at >= scope.since)
    if scope.until is not None:
        conds.append(Workshop.started_at < scope.until)
    return conds


def _workshop_infos(s: Session, conds: Sequence[ColumnElement[bool]]) -> dict[str, WorkshopInfo]:
    """The workshops matching ``conds`` by canonical id, in a fixed order (start, id), so sums
    run in the same order on every backend."""
    workshops = {
        str(w.id): WorkshopInfo(w.id, w.title, w.facilitator, w.team, w.started_at, w.utc_offset_min, w.status)
        for w in s.execute(
            select(
                Workshop.id, Workshop.title, Workshop.facilitator, Workshop.team, Workshop.started_at,
                Workshop.utc_offset_min, Workshop.status,
            ).where(*conds)
        )
    }
    return dict(sorted(workshops.items(), key=lambda kv: (kv[1].started_at, kv[0])))


def load(store: Store, scope: Scope, *, any_status: bool = False) -> Loaded:
    """Read every workshop in ``scope`` (live rows only) into one batch for the engine.

    The contributions come back as plain columns: ids as the driver's text, times as epoch
    seconds computed by the database, so no ORM object or per-row conversion is made.
    """
    canon = _Canon()
    conds = _workshop_filter(scope, any_status=any_status)
    items: dict[str, ItemInfo] = {}
    groups: dict[str, list[list[str]]] = {}
    present: list[tuple[str, str]] = []
    clips: dict[tuple[str, str], int] = {}
    reactions: dict[tuple[str, str], int] = {}
    with store.read() as s:
        workshops = _workshop_infos(s, conds)
        rows: Sequence[Any] = []
        if workshops:
            in_scope = and_(*conds)
            picked = scope.workshop_ids

            def only(col: Any) -> ColumnElement[bool]:
                """A few chosen workshops: name them on the child table too, so its index on
                workshop_id is used instead of a scan joined to the workshops."""
                return col.in_(picked) if picked is not None and len(picked) <= 100 else true()
            for it in s.execute(
                select(AgendaItem.id, AgendaItem.workshop_id, AgendaItem.position, AgendaItem.kind, AgendaItem.title)
                .join(Workshop, Workshop.id == AgendaItem.workshop_id)
                .where(in_scope, only(AgendaItem.workshop_id), AgendaItem.deleted_at.is_(None))
            ):
                items[canon(it.id)] = ItemInfo(it.id, it.workshop_id, it.position, it.kind, it.title)
            for g in s.execute(
                select(AgendaGroup.agenda_item_id, AgendaGroup.position, AgendaGroup.members)
                .join(AgendaItem, AgendaItem.id == AgendaGroup.agenda_item_id)
                .join(Workshop, Workshop.id == AgendaItem.workshop_id)
                .where(in_scope, only(AgendaItem.workshop_id), AgendaGroup.deleted_at.is_(None),
                       AgendaItem.deleted_at.is_(None))
                .order_by(AgendaGroup.agenda_item_id, AgendaGroup.position)
            ):
                members = [x for x in (canon.lenient(m) for m in (g.members or [])) if x]
                groups.setdefault(canon(g.agenda_item_id), []).append(members)
            roster = s.execute(
                select(_raw_id(s, WorkshopParticipant.workshop_id), _raw_id(s, WorkshopParticipant.participant_id))
                .join(Workshop, Workshop.id == WorkshopParticipant.workshop_id)
                .where(in_scope, only(WorkshopParticipant.workshop_id), WorkshopParticipant.deleted_at.is_(None))
            ).all()
            if roster:
                r_ws, r_p = zip(*roster, strict=True)
                present = list(zip(canon.column(r_ws), canon.column(r_p), strict=True))
            for wid, pid, n in s.execute(
                select(_raw_id(s, Clip.workshop_id), _raw_id(s, Clip.participant_id), func.count())
                .join(Workshop, Workshop.id == Clip.workshop_id)
                .where(in_scope, only(Clip.workshop_id), Clip.deleted_at.is_(None))
                .group_by(Clip.workshop_id, Clip.participant_id)
            ):
                clips[(canon(wid), canon(pid))] = int(n)
            # Reactions received: on the person's contributions or clips, from someone else.
            r = Reaction
            for owner, key in ((Contribution, r.contribution_id), (Clip, r.clip_id)):
                for wid, pid, n in s.execute(
                    select(_raw_id(s, owner.workshop_id), _raw_id(s, owner.participant_id), func.count())
                    .select_from(r)
                    .join(owner, owner.id == key)
                    .join(Workshop, Workshop.id == owner.workshop_id)
                    .where(
                        in_scope,
                        only(r.workshop_id),
                        only(owner.workshop_id),
                        r.deleted_at.is_(None),
                        owner.deleted_at.is_(None),
                        or_(r.participant_id.is_(None), r.participant_id != owner.participant_id),
                    )
                    .group_by(owner.workshop_id, owner.participant_id)
                ):
                    k = (canon(wid), canon(pid))
                    reactions[k] = reactions.get(k, 0) + int(n)
            c = Contribution.__table__.c
            w_t = Workshop.__table__.c
            stmt = (
                select(
                    _raw_id(s, c.id), _raw_id(s, c.workshop_id), _raw_id(s, c.agenda_item_id),
                    _raw_id(s, c.participant_id), _instant(s, c.at), c.initiative == "spontaneous", c.kind,
                    _raw_id(s, c.builds_on_id),
                )
                .join(Workshop.__table__, w_t.id == c.workshop_id)
                .where(c.deleted_at.is_(None), only(c.workshop_id), *_workshop_filter_core(scope, any_status=any_status))
            )
            # Plain DBAPI rows: no result processing is needed (ids stay text, times are parsed
            # below as one array).
            rows = s.connection().execute(stmt).cursor.fetchall()
        cols: Sequence[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [[] for _ in range(8)]
        ids, ws_raw, item_raw, person_raw, at, spontaneous, kind, builds = cols
        t_ms = _to_ms(s, at)
    batch = inf.make_batch(
        workshops=[(k, w.started_at.timestamp()) for k, w in workshops.items()],
        ids=ids,
        ws=ws_raw,
        item=item_raw,
        person=person_raw,
        t_ms=t_ms,
        spontaneous=spontaneous,
        kind_failure=[x == "failure" for x in kind],
        builds_on=builds,
        groups=groups,
        present=present,
        clips=clips,
        reactions=reactions,
        canon=canon,
    )
    return Loaded(batch, workshops, items, list(kind))


def _workshop_filter_core(scope: Scope, *, any_status: bool = False) -> list[ColumnElement[bool]]:
    """The same filter on the plain table (for the contribution query, which skips the ORM)."""
    w = Workshop.__table__.c
    conds: list[ColumnElement[bool]] = [w.deleted_at.is_(None)]
    if not any_status:
        conds.append(w.status.in_(("live", "finished")))
    if scope.workshop_ids is not None:
        conds.append(w.id.in_(scope.workshop_ids))
    if scope.since is not None:
        conds.append(w.started_at >= scope.since)
    if scope.until is not None:
        conds.append(w.started_at < scope.until)
    return conds


def load_people(store: Store, ids: Iterable[str] | None = None) -> dict[str, Person]:
    """Everyone (or the given ids), including tombstoned people, labelled for display."""
    canon = _Canon()
    wanted = set(ids) if ids is not None else None
    out: dict[str, Person] = {}
    t = Participant.__table__.c
    with store.read() as s:
        # Plain rows (tombstoned people included, ids as the driver's text): a year's export
        # names a couple of thousand people.
        stmt = select(_raw_id(s, t.id), t.name, t.email, t.team, t.consent_analytics, t.erased_at, t.deleted_at)
        if wanted is not None and len(wanted) <= 500:  # one room: ask for its people only
            stmt = stmt.where(t.id.in_([uuid.UUID(p) for p in wanted]))
        for raw, name, email, team, consent_raw, erased_at, deleted_at in s.connection().execute(stmt).all():
            pid = canon(raw)
            if wanted is not None and pid not in wanted:
                continue
            erased = erased_at is not None or deleted_at is not None
            consent = bool(consent_raw)
            named = consent and not erased
            out[pid] = Person(
                id=uuid.UUID(pid),
                label=name if named else (ERASED if erased else ANONYMOUS),
                name=name if named else "",
                email=email if named else None,
                team=team or "",
                consent=consent,
                erased=erased,
                roster=ERASED if erased else name,
                deleted=deleted_at is not None,
            )
    for pid in wanted or ():
        if pid not in out:  # a contribution whose person row never arrived (sync in flight)
            out[pid] = _anonymous(pid)
    return out


def _anonymous(pid: str) -> Person:
    return Person(uuid.UUID(pid), ANONYMOUS, "", None, "", False, False, ANONYMOUS, known=False)


def teams(store: Store) -> list[str]:
    """Participants' teams known to the store (for the export filter)."""
    with store.read() as s:
        return sorted(
            {t for t in s.scalars(select(Participant.team).where(Participant.team != "").distinct()) if t}
        )


def resolve_team(store: Store, text: str) -> str:
    """The team as spelled in the store (case-insensitive), or a one-sentence refusal."""
    known = teams(store)
    wanted = text.strip().casefold()
    for t in known:
        if t.casefold() == wanted:
            return t
    hint = f" Known teams: {', '.join(known)}." if known else " No participant has a team yet."
    raise RippleError(f"There is no team “{text.strip()}” in this store.{hint}")


# ---------------------------------------------------------------- one workshop, for the dashboards


@dataclass(frozen=True)
class TimelinePoint:
    id: uuid.UUID
    person: uuid.UUID
    at: datetime
    offset_s: float  # since the workshop started
    item: uuid.UUID | None
    kind: str
    spontaneous: bool
    first_move: bool
    note: str = ""


@dataclass(frozen=True)
class RippleEdge:
    source: uuid.UUID
    target: uuid.UUID
    source_person: uuid.UUID
    target_person: uuid.UUID
    explicit: bool
    credit: float


@dataclass(frozen=True)
class ItemSpan:
    id: uuid.UUID
    title: str
    kind: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class NetworkNode:
    person: uuid.UUID
    label: str
    x: float
    y: float
    size: float  # people set off (first order)
    centrality: float


@dataclass(frozen=True)
class NetworkEdge:
    source: uuid.UUID
    target: uuid.UUID
    explicit: int
    inferred: float  # summed credit


@dataclass(frozen=True)
class SharedEvidence:
    """One of the person's contributions that set others off, and whom."""

    id: uuid.UUID
    workshop: str
    at: datetime  # in the workshop's own time zone
    item: str
    kind: str
    spontaneous: bool
    explicit: tuple[Person, ...]  # who explicitly built on it
    inferred: tuple[Person, ...]  # who is inferred to have been set off by it
    second_order: int
    reactions: int
    note: str = ""


@dataclass(frozen=True)
class ClipEvidence:
    id: uuid.UUID
    workshop: str
    at: datetime
    seconds: float
    scope: str
    title: str
    reactions: int


@dataclass(frozen=True)
class Evidence:
    """The numbers and the records behind one person's rank."""

    person: Person
    profile: inf.Profile
    shares: tuple[SharedEvidence, ...]
    failures: tuple[SharedEvidence, ...]
    clips: tuple[ClipEvidence, ...]
    set_off: tuple[tuple[Person, int], ...]  # (who, times set off), most first
    summary: str


@dataclass(frozen=True)
class RankedPerson:
    rank: int
    person: Person
    profile: inf.Profile
    why: str


@dataclass(frozen=True)
class WorkshopInsights:
    workshop: WorkshopInfo
    lanes: tuple[Person, ...]  # timeline order (roster order, then others)
    items: tuple[ItemSpan, ...]
    points: tuple[TimelinePoint, ...]
    edges: tuple[RippleEdge, ...]
    nodes: tuple[NetworkNode, ...]
    network: tuple[NetworkEdge, ...]
    equity: Equity
    ranking: tuple[RankedPerson, ...]  # named people only, best first
    unranked: int  # present people without analytics consent (or erased)
    evidence: dict[uuid.UUID, Evidence]
    profiles: dict[uuid.UUID, inf.Profile]  # everyone present (anonymous ones too)
    duration_s: float
    computed_ms: float

    def lane_label(self, pid: uuid.UUID) -> str:
        for p in self.lanes:
            if p.id == pid:
                return p.roster
        return ANONYMOUS


def why(p: inf.Profile) -> str:
    """One line: why this person ranks where they do."""
    parts: list[str] = []
    if p.rippling_shares:
        people = len(p.reach_first)
        parts.append(
            f"{p.rippling_shares} share{'s' if p.rippling_shares != 1 else ''} set off "
            f"{people} {'person' if people == 1 else 'people'}"
            + (f" ({p.explicit_ripples}× built on explicitly)" if p.explicit_ripples else "")
        )
    if p.reach_second:
        parts.append(f"+{len(p.reach_second)} further through their ripples")
    if p.first_moves:
        parts.append(f"opened {p.first_moves} item{'s' if p.first_moves != 1 else ''}")
    if p.contributions:
        parts.append(f"{p.spontaneous} spontaneous, {p.prompted} prompted")
    else:
        parts.append("no contributions")
    if p.failures:
        parts.append(f"{p.failures} failure stor{'ies' if p.failures != 1 else 'y'}")
    if p.clips:
        parts.append(f"{p.clips} clip{'s' if p.clips != 1 else ''}")
    if p.reactions:
        parts.append(f"{p.reactions} reaction{'s' if p.reactions != 1 else ''}")
    return "; ".join(parts)


def _layout(people: Sequence[str], edges: dict[tuple[str, str], tuple[int, float]]) -> dict[str, tuple[float, float]]:
    """Positions for the ripple network: linked people spring together, the rest on a ring."""
    import math

    import networkx as nx

    linked = sorted({a for a, _b in edges} | {b for _a, b in edges})
    pos: dict[str, tuple[float, float]] = {}
    if linked:
        g = nx.Graph()
        g.add_nodes_from(linked)
        for (a, b), (explicit, inferred) in sorted(edges.items()):
            w = explicit + inferred + (g[a][b]["weight"] if g.has_edge(a, b) else 0.0)
            g.add_edge(a, b, weight=w)
        raw = nx.spring_layout(g, seed=7, weight="weight", k=1.6 / math.sqrt(len(linked)), iterations=80)
        for n, (x, y) in raw.items():
            pos[n] = (float(x), float(y))
    rest = sorted(set(people) - set(linked))
    for i, n in enumerate(rest):
        angle = 2 * math.pi * i / max(1, len(rest))
        pos[n] = (1.45 * math.cos(angle), 1.45 * math.sin(angle))
    return pos


def _run(
    loaded: Loaded, *, window_s: float, weights: inf.Weights, rules: inf.Rules
) -> inf.Result:
    return inf.run(loaded.batch, window_s=window_s, weights=weights, rules=rules)


def workshop_insights(
    store: Store,
    workshop_id: uuid.UUID,
    *,
    window_s: float = inf.RIPPLE_WINDOW_S,
    weights: inf.Weights = inf.WEIGHTS,
    rules: inf.Rules = inf.RULES,
) -> WorkshopInsights:
    """Everything the workshop dashboard and the live panel show, computed in one go."""
    started = time.perf_counter()
    loaded = load(store, Scope(workshop_ids=(workshop_id,)), any_status=True)
    wid = str(workshop_id)
    if wid not in loaded.workshops:
        raise NotFound(f"There is no workshop with id {workshop_id}.")
    info = loaded.workshops[wid]
    result = _run(loaded, window_s=window_s, weights=weights, rules=rules)
    kinds = [loaded.kinds[i] for i in result.order.tolist()]
    analysis = inf.workshop_of(result, 0, kinds)
    people = load_people(store, analysis.profiles)
    with store.read() as s:
        roster = [
            str(pid)
            for pid in s.scalars(
                select(WorkshopParticipant.participant_id)
                .where(WorkshopParticipant.workshop_id == workshop_id, WorkshopParticipant.deleted_at.is_(None))
                .order_by(WorkshopParticipant.position)
            )
        ]
        notes = {
            str(cid): note
            for cid, note in s.execute(
                select(Contribution.id, Contribution.note).where(
                    Contribution.workshop_id == workshop_id, Contribution.deleted_at.is_(None), Contribution.note != ""
                )
            )
        }
        reactions_by_contribution = _reactions_per_contribution(s, Scope(workshop_ids=(workshop_id,)), any_status=True)
        clips = _clips_of(s, [workshop_id])
    order = [p for p in roster if p in analysis.profiles]
    order += sorted(set(analysis.profiles) - set(order), key=lambda p: (people[p].roster, p))
    lanes = tuple(people[p] for p in order)
    start = info.started_at.timestamp()
    first_ids = set(analysis.first_movers.values())
    points = tuple(
        TimelinePoint(
            id=uuid.UUID(sh.id),
            person=uuid.UUID(sh.person),
            at=datetime.fromtimestamp(sh.t, UTC),
            offset_s=sh.t - start,
            item=uuid.UUID(sh.item) if sh.item else None,
            kind=sh.kind,
            spontaneous=sh.spontaneous,
            first_move=sh.id in first_ids,
            note=notes.get(str(uuid.UUID(sh.id)), "") if people[sh.person].named else "",
        )
        for sh in analysis.shares
    )
    as_uuid: dict[str, uuid.UUID] = {k: pt.id for pt in points for k in (pt.id.hex, str(pt.id))}
    as_uuid.update({str(pid): pid for pid in (x.id for x in lanes)})

    def uid(text: str) -> uuid.UUID:
        value = as_uuid.get(text)
        if value is None:
            value = as_uuid[text] = uuid.UUID(text)
        return value

    edges = tuple(
        RippleEdge(uid(x.source), uid(x.target), uid(x.source_person), uid(x.target_person), x.explicit, x.credit)
        for x in analysis.links
    )
    pair: dict[tuple[str, str], tuple[int, float]] = {}
    for x in analysis.links:
        e, i = pair.get((x.source_person, x.target_person), (0, 0.0))
        pair[(x.source_person, x.target_person)] = (e + 1, i) if x.explicit else (e, round(i + x.credit, 6))
    pos = _layout(order, pair)
    nodes = tuple(
        NetworkNode(
            uuid.UUID(p), people[p].label, pos[p][0], pos[p][1],
            float(len(analysis.profiles[p].reach_first)), analysis.profiles[p].centrality,
        )
        for p in order
    )
    network = tuple(NetworkEdge(uuid.UUID(a), uuid.UUID(b), e, i) for (a, b), (e, i) in sorted(pair.items()))
    eq = equity_of(
        {p: (analysis.profiles[p].spontaneous, analysis.profiles[p].prompted) for p in order},
        name=lambda p: people[p].roster,
    )
    named = [p for p in order if people[p].named]
    named.sort(key=lambda p: (-analysis.profiles[p].score, -analysis.profiles[p].spontaneous, people[p].label, p))
    ranking = tuple(
        RankedPerson(i + 1, people[p], analysis.profiles[p], why(analysis.profiles[p])) for i, p in enumerate(named)
    )
    evidence = _evidence_many(
        result, [(people[p], analysis.profiles[p]) for p in named], loaded, kinds, people,
        reactions_by_contribution, clips, notes,
    )
    items = _item_spans(loaded, info, analysis)
    last = max((sh.t for sh in analysis.shares), default=start)
    end = max(last - start, max((sp.end_s for sp in items), default=0.0), 60.0)
    return WorkshopInsights(
        workshop=info,
        lanes=lanes,
        items=items,
        points=points,
        edges=edges,
        nodes=nodes,
        network=network,
        equity=eq,
        ranking=ranking,
        unranked=len(order) - len(named),
        evidence=evidence,
        profiles={uuid.UUID(p): prof for p, prof in analysis.profiles.items()},
        duration_s=end,
        computed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _item_spans(loaded: Loaded, info: WorkshopInfo, analysis: inf.WorkshopAnalysis) -> tuple[ItemSpan, ...]:
    """Each agenda item's span on the timeline: from its first to its last contribution."""
    start = info.started_at.timestamp()
    times: dict[str, list[float]] = defaultdict(list)
    for sh in analysis.shares:
        if sh.item:
            times[sh.item].append(sh.t - start)
    spans = []
    for iid, it in sorted(loaded.items.items(), key=lambda kv: kv[1].position):
        ts = times.get(iid)
        if ts and str(it.workshop) == str(info.id):
            spans.append(ItemSpan(it.id, it.title, it.kind, min(ts), max(ts)))
    return tuple(spans)


def _reactions_per_contribution(s: Session, scope: Scope, *, any_status: bool = False) -> dict[Any, list[str]]:
    """Who reacted to each contribution of the scope's workshops, keyed by the driver's raw
    contribution id (the engine's row ids). One scan of the reactions table; whether a reaction
    came from the owner is decided by the caller, who knows the owners."""
    canon = _Canon()
    r = Reaction.__table__.c
    w = Workshop.__table__.c
    stmt = (
        select(_raw_id(s, r.contribution_id), _raw_id(s, r.participant_id))
        .select_from(Reaction.__table__)
        .join(Workshop.__table__, w.id == r.workshop_id)
        .where(r.deleted_at.is_(None), r.contribution_id.is_not(None),
               *_workshop_filter_core(scope, any_status=any_status))
    )
    out: dict[Any, list[str]] = defaultdict(list)
    for cid, pid in s.connection().execute(stmt).cursor.fetchall():
        out[cid].append(canon(pid) if pid is not None else "")
    return out


def _clips_of(
    s: Session, workshop_ids: Sequence[uuid.UUID], people: Sequence[uuid.UUID] | None = None
) -> list[tuple[Any, ...]]:
    """(clip id, person, workshop, at, seconds, scope, title, reactions from others)."""
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


def _evidence_many(
    result: inf.Result,
    who: Sequence[tuple[Person, inf.Profile]],
    loaded: Loaded,
    kinds: Sequence[str],  # per canonical row
    people: dict[str, Person],
    reactions: dict[Any, list[str]],  # raw contribution id -> who reacted
    clips: Sequence[tuple[Any, ...]],
    notes: dict[str, str] | None = None,
    *,
    limit: int | None = None,
) -> dict[uuid.UUID, Evidence]:
    """For each person: their shares that set others off (most ripples first: explicit count
    three times), their failure stories and clips, and whom they set off — read straight from
    the engine's links, for many people in one pass."""
    r = result
    b = r.batch
    notes = notes or {}
    code_of = {p: i for i, p in enumerate(b.people)}
    codes = [code_of.get(str(person.id), -1) for person, _p in who]
    n_people = max(len(b.people), 1)
    code_arr = np.asarray(codes, dtype=np.int64)
    owner_all = r.person[r.src]
    chosen = np.nonzero(np.isin(owner_all, code_arr))[0]
    labels = [people[p] if p in people else _anonymous(p) for p in b.people]
    item_titles = {i: loaded.items[k].title if k in loaded.items else "" for i, k in enumerate(b.items)}
    # plain lists: indexing them is much cheaper than indexing numpy arrays one by one
    person_of, t_of, ws_of = r.person.tolist(), r.t_ms.tolist(), r.ws.tolist()
    item_of, spont_of = r.item.tolist(), r.spont.tolist()
    src_l, dst_l, expl_l = r.src.tolist(), r.dst.tolist(), r.explicit.tolist()

    # each chosen person's sources ranked by impact (explicit ripples count 3, inferred 1),
    # then by time: only the top ``limit`` become evidence objects
    c_src = r.src[chosen]
    u_src, inv = np.unique(c_src, return_inverse=True)
    impact = np.bincount(inv, weights=np.where(r.explicit[chosen], 3.0, 1.0), minlength=len(u_src))
    u_owner = r.person[u_src]
    order = np.lexsort((u_src, r.t_ms[u_src], -impact, u_owner))
    u_src, u_owner = u_src[order], u_owner[order]
    starts = np.flatnonzero(np.r_[True, u_owner[1:] != u_owner[:-1]]) if len(u_owner) else np.zeros(0, np.int64)
    rank_in_owner = np.arange(len(u_src)) - np.repeat(starts, np.diff(np.r_[starts, len(u_src)]))
    keep = rank_in_owner < limit if limit is not None else np.ones(len(u_src), bool)
    top_sources: dict[int, list[int]] = defaultdict(list)
    for o, src_row in zip(u_owner[keep].tolist(), u_src[keep].tolist(), strict=True):
        top_sources[o].append(src_row)
    # the links of the kept sources, and of failure stories that set someone off
    failure_rows: dict[int, list[int]] = defaultdict(list)
    for row in np.nonzero(r.failure & np.isin(r.person, code_arr))[0].tolist():
        if limit is None or len(failure_rows[person_of[row]]) < limit:
            failure_rows[person_of[row]].append(row)
    shown = np.asarray(
        sorted({x for v in top_sources.values() for x in v} | {x for v in failure_rows.values() for x in v}),
        dtype=np.int64,
    )
    links_of: dict[int, list[int]] = defaultdict(list)
    for li in np.nonzero(np.isin(r.src, shown))[0].tolist():
        links_of[src_l[li]].append(li)
    # children of every target of those links, for the second order
    targets = np.asarray(sorted({dst_l[li] for v in links_of.values() for li in v}), dtype=np.int64)
    children: dict[int, list[int]] = defaultdict(list)
    for li in (np.nonzero(np.isin(r.src, targets))[0].tolist() if len(targets) else []):
        children[src_l[li]].append(dst_l[li])
    # whom each chosen person set off, how often
    pair, times = np.unique(owner_all[chosen] * n_people + r.person[r.dst[chosen]], return_counts=True)
    set_off_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k, n in zip(pair.tolist(), times.tolist(), strict=True):
        set_off_of[k // n_people].append((k % n_people, n))
    clips_by: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for c in clips:
        clips_by[c[1]].append(c)
    infos = [loaded.workshops[w] for w in b.workshops]

    def shared(row: int, code: int) -> SharedEvidence:
        info = infos[ws_of[row]]
        raw = r.ids[row]
        cid = uuid.UUID(str(raw))
        links = links_of.get(row, [])
        second = {c for li in links for c in children.get(dst_l[li], ()) if person_of[c] != code}
        item = item_of[row]
        return SharedEvidence(
            id=cid,
            workshop=info.title,
            at=datetime.fromtimestamp(t_of[row] / 1000.0, info.tz),
            item=item_titles.get(item, "") if item >= 0 else "",
            kind=kinds[row],
            spontaneous=bool(spont_of[row]),
            explicit=tuple(labels[person_of[dst_l[li]]] for li in links if expl_l[li]),
            inferred=tuple(labels[person_of[dst_l[li]]] for li in links if not expl_l[li]),
            second_order=len(second),
            reactions=sum(1 for x in reactions.get(raw, ()) if x != b.people[code]),
            note=notes.get(str(cid), "") if notes else "",
        )

    out: dict[uuid.UUID, Evidence] = {}
    for (person, profile), code in zip(who, codes, strict=True):
        shares = [shared(row, code) for row in top_sources.get(code, [])]
        failures = [shared(row, code) for row in failure_rows.get(code, [])]
        counts = set_off_of.get(code, [])
        clip_ev = []
        for c in clips_by.get(str(person.id), []):
            info_c = loaded.workshops.get(c[2])
            clip_ev.append(
                ClipEvidence(
                    uuid.UUID(str(c[0])), info_c.title if info_c else "",
                    c[3].astimezone(info_c.tz) if info_c else c[3], float(c[4] or 0.0), c[5], c[6] or "", int(c[7]),
                )
            )
        ranked_people = tuple(
            sorted(((labels[k], n) for k, n in counts), key=lambda kv: (-kv[1], kv[0].label, str(kv[0].id)))
        )
        out[person.id] = Evidence(
            person, profile, tuple(shares), tuple(failures), tuple(clip_ev), ranked_people, why(profile)
        )
    return out


# ---------------------------------------------------------------- a period: the candidates


@dataclass(frozen=True)
class Candidate:
    rank: int
    person: Person
    period: inf.PeriodProfile
    status: str
    reasons: tuple[str, ...]

    @property
    def profile(self) -> inf.Profile:
        return self.period.total


@dataclass(frozen=True)
class TeamSummary:
    team: str
    people: int  # named (consenting) participants analysed; 0 when suppressed
    suppressed: bool
    candidates: int = 0
    mean_index: float = 0.0
    spontaneity: float = 0.0
    contributions: int = 0
    ripples: int = 0


MIN_TEAM_SIZE = 5
_EVIDENCE_WORKSHOPS = 120  # workshops' rows a report keeps at hand for evidence, at most


@dataclass
class Report:
    """A period's influence picture: every named person ranked, and the candidates among them."""

    scope: Scope
    generated_at: datetime
    workshops: int
    contributions: int
    analysed: int  # people analysed (named or not)
    ranking: list[Candidate]  # every named person in scope (team filter applied), best first
    teams: list[TeamSummary]
    computed_ms: float
    analysed_now: int = 0  # workshops analysed from their rows for this report (the rest were kept)
    window_s: float = inf.RIPPLE_WINDOW_S
    weights: inf.Weights = inf.WEIGHTS
    rules: inf.Rules = inf.RULES
    _workshops: dict[str, WorkshopInfo] = field(default_factory=dict, repr=False)
    _summary: inf.Summary | None = field(default=None, repr=False)
    _people: dict[str, Person] = field(default_factory=dict, repr=False)
    # The rows of some of the period's workshops and their analysis, when at hand (evidence
    # needs the rows; a report from cached analyses has none until evidence is asked for).
    _rows: tuple[Loaded, inf.Result] | None = field(default=None, repr=False)

    @property
    def candidates(self) -> list[Candidate]:
        return [c for c in self.ranking if c.period.candidate]

    def candidate(self, pid: uuid.UUID) -> Candidate | None:
        return next((c for c in self.ranking if c.person.id == pid), None)

    def workshop_title(self, workshop: str) -> str:
        info = self._workshops.get(workshop)
        return info.title if info else ""

    def workshop_start(self, workshop: str) -> datetime | None:
        info = self._workshops.get(workshop)
        return info.local_start if info else None

    def evidence(self, store: Store, pid: uuid.UUID, *, limit: int | None = 25) -> Evidence | None:
        """The records behind one person's numbers (fetched on demand: only for who is shown)."""
        return self.evidence_for(store, [pid], limit=limit).get(pid)

    def evidence_for(
        self, store: Store, pids: Sequence[uuid.UUID], *, limit: int | None = 25
    ) -> dict[uuid.UUID, Evidence]:
        """Evidence for many people at once, from the rows of the workshops they attended (read
        now unless already at hand)."""
        who = [(c.person, c.profile) for c in (self.candidate(p) for p in pids) if c is not None]
        summary = self._summary
        if summary is None or not who:
            return {}
        code_of = {p: i for i, p in enumerate(summary.people)}
        codes = np.asarray([code_of.get(str(person.id), -1) for person, _p in who], dtype=np.int64)
        needed = {summary.workshops[w] for w in np.unique(summary.pres_ws[np.isin(summary.pres_person, codes)]).tolist()}
        rows = self._rows
        if rows is None or not needed <= rows[0].workshops.keys():
            # Keep what was read for the previous people too while it stays small: clicking
            # through a team's people mostly needs the same workshops again.
            have = set(rows[0].workshops) if rows is not None else set()
            take = needed | have if len(needed | have) <= _EVIDENCE_WORKSHOPS else needed
            scope = Scope(workshop_ids=tuple(self._workshops[w].id for w in sorted(take) if w in self._workshops))
            loaded = load(store, scope)
            rows = (loaded, _run(loaded, window_s=self.window_s, weights=self.weights, rules=self.rules))
            self._rows = rows
        loaded, r = rows
        kinds = [loaded.kinds[i] for i in r.order.tolist()]
        with store.read() as s:
            reactions = _reactions_per_contribution(s, Scope(workshop_ids=tuple(w.id for w in loaded.workshops.values())))
            clips = _clips_of(s, [w.id for w in loaded.workshops.values()], [p.id for p, _x in who])
        return _evidence_many(r, who, loaded, kinds, self._people, reactions, clips, limit=limit)


@dataclass
class _Attendance:
    before: dict[str, int]  # workshops attended before the period
    first: dict[str, float]  # each person's first workshop (start, epoch seconds)
    team_first: dict[str, float]  # each participants' team's first workshop


def _attendance(store: Store, scope: Scope) -> _Attendance:
    """Roster history up to the period's end, aggregated in SQL (for "new")."""
    canon = _Canon()
    wp, w, p = WorkshopParticipant, Workshop, Participant
    base: list[ColumnElement[bool]] = [
        wp.deleted_at.is_(None),
        w.deleted_at.is_(None),
        w.status.in_(("live", "finished")),
    ]
    if scope.until is not None:
        base.append(w.started_at < scope.until)
    out = _Attendance({}, {}, {})
    with store.read() as s:
        first_expr = func.min(_epoch(s, w.started_at))
        # one pass over the roster: each person's first workshop, their team, and how many
        # workshops they attended before the period
        before = (
            func.count(func.distinct(case((w.started_at < scope.since, wp.workshop_id))))
            if scope.since is not None
            else literal(0)
        )
        for pid, team, first, n_before in s.execute(
            select(_raw_id(s, wp.participant_id), p.team, first_expr, before)
            .select_from(wp)
            .join(w, w.id == wp.workshop_id)
            .outerjoin(p, p.id == wp.participant_id)
            .where(*base)
            .group_by(wp.participant_id, p.team)
        ):
            key, at = canon(pid), float(first)
            out.first[key] = min(at, out.first.get(key, at))
            if team is not None:
                t = team or ""
                out.team_first[t] = min(at, out.team_first.get(t, at))
            if n_before:
                out.before[key] = out.before.get(key, 0) + int(n_before)
    return out


def _attendance_of(summary: inf.Summary, people: dict[str, Person]) -> _Attendance:
    """:func:`_attendance` when the period is every workshop up to its end: read off the
    rosters already in the analysis."""
    out = _Attendance({}, {}, {})
    rostered = summary.metrics["rostered"].astype(bool)
    if not rostered.any():
        return out
    starts = np.asarray(summary.starts, dtype=np.float64)[summary.pres_ws[rostered]]
    first = np.full(len(summary.people), np.inf)
    np.minimum.at(first, summary.pres_person[rostered], starts)
    for code in np.flatnonzero(np.isfinite(first)).tolist():
        pid, at = summary.people[code], float(first[code])
        out.first[pid] = at
        person = people.get(pid)
        if person is not None and person.known and not person.deleted:
            out.team_first[person.team] = min(at, out.team_first.get(person.team, at))
    return out


@without_gc
def report(
    store: Store,
    scope: Scope | None = None,
    *,
    window_s: float = inf.RIPPLE_WINDOW_S,
    weights: inf.Weights = inf.WEIGHTS,
    rules: inf.Rules = inf.RULES,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Analyse every workshop in the period and rank the people in it.

    With a team filter the ranking and the verdicts cover that team's people; the analysis
    still uses every workshop they attended (their ripples set off people of other teams too).
    """
    scope = scope or Scope()
    started = time.perf_counter()
    if scope.team is not None:
        scope = Scope(scope.since, scope.until, resolve_team(store, scope.team), scope.workshop_ids)
    if progress:
        progress("Reading the workshops…")
    summary, infos, rows, analysed_now = _period_summary(
        store, scope, window_s=window_s, weights=weights, rules=rules, progress=progress
    )
    people = load_people(store, summary.people)
    wanted = [p for p in summary.people if scope.team is None or people[p].team == scope.team]
    profiles = inf.periods(summary, rules, people=wanted)
    if scope.since is None and scope.workshop_ids is None:
        seen = _attendance_of(summary, people)  # the period is the whole history: no query
    else:
        seen = _attendance(store, scope)
    global_first = min(seen.team_first.values(), default=0.0)
    for pid, pp in profiles.items():
        before = seen.before.get(pid, 0)
        first = min(seen.first.get(pid, float("inf")), min(x.t for x in pp.series))
        team = people[pid].team
        team_first = seen.team_first.get(team, global_first) if team else global_first
        pp.workshops_ever = before + len(pp.series)
        pp.joined_later = before == 0 and first > team_first
    periods = sorted(profiles.values(), key=inf.rank_key)
    inf.judge(periods, rules)
    ranking: list[Candidate] = []
    for pp in periods:
        person = people[pp.person]
        if person.named:
            ranking.append(Candidate(len(ranking) + 1, person, pp, pp.status, tuple(pp.reasons(rules))))
    return Report(
        scope=scope,
        generated_at=datetime.now(UTC),
        workshops=len(summary.workshops),
        contributions=int(summary.contributions.sum()),
        analysed=len(periods),
        ranking=ranking,
        teams=_team_summaries(ranking),
        computed_ms=round((time.perf_counter() - started) * 1000, 1),
        analysed_now=analysed_now,
        window_s=window_s,
        weights=weights,
        rules=rules,
        _workshops=infos,
        _summary=summary,
        _people=people,
        _rows=rows,
    )


def _period_summary(
    store: Store,
    scope: Scope,
    *,
    window_s: float,
    weights: inf.Weights,
    rules: inf.Rules,
    progress: Callable[[str], None] | None = None,
) -> tuple[inf.Summary, dict[str, WorkshopInfo], tuple[Loaded, inf.Result] | None, int]:
    """Every workshop of the period analysed: kept analyses where their rows have not changed
    since (:mod:`app.insights.cache`), the others read and analysed now (and kept once the
    workshop has finished). Also returns the rows read, when they cover the whole period, and
    how many workshops had to be analysed from their rows."""
    conds = _workshop_filter(scope)
    params = analysis_cache.params_key(window_s, weights, rules)
    with store.read() as s:
        infos = _workshop_infos(s, conds)
        known = analysis_cache.look_up(s, list(infos), params) if infos else ({}, {})
    wanted, pieces = known if known is not None else ({}, {})
    missing = [w for w in infos if w not in pieces]
    rows: tuple[Loaded, inf.Result] | None = None
    if missing:
        if progress:
            progress(f"Analysing {len(missing)} workshops…")
        # Everything missing (a first report): read the period as it is, without naming 500
        # workshops in every query.
        some = Scope(workshop_ids=tuple(infos[w].id for w in missing))
        loaded = load(store, scope if len(missing) == len(infos) else some)
        result = _run(loaded, window_s=window_s, weights=weights, rules=rules)
        fresh = dict(zip(result.batch.workshops, result.summary().pieces(), strict=True))
        pieces.update(fresh)
        if known is not None:  # (a store whose cache cannot even be read is not written)
            analysis_cache.save(
                store,
                [(w, wanted[w], fresh[w]) for w in missing if w in fresh and infos[w].status == "finished"],
                params,
            )
        if len(missing) == len(infos):
            rows = (loaded, result)
    # A workshop deleted between the reads drops out.
    order = [w for w in infos if w in pieces]
    infos = {w: infos[w] for w in order}
    summary = inf.combine([(w, infos[w].started_at.timestamp()) for w in order], [pieces[w] for w in order])
    return summary, infos, rows, len(missing)


def _team_summaries(ranking: Sequence[Candidate]) -> list[TeamSummary]:
    """Aggregates per participants' team, over named people only; fewer than five people in a
    team and the team's numbers are suppressed (they would point at individuals)."""
    by_team: dict[str, list[Candidate]] = defaultdict(list)
    for c in ranking:
        by_team[c.person.team or "(no team)"].append(c)
    out = []
    for team, members in sorted(by_team.items()):
        if len(members) < MIN_TEAM_SIZE:
            out.append(TeamSummary(team, 0, True))
            continue
        n = len(members)
        out.append(
            TeamSummary(
                team=team,
                people=n,
                suppressed=False,
                candidates=sum(1 for c in members if c.period.candidate),
                mean_index=round(sum(c.period.index for c in members) / n, 3),
                spontaneity=round(sum(c.profile.spontaneity_rate for c in members) / n, 3),
                contributions=sum(c.profile.contributions for c in members),
                ripples=sum(c.profile.ripples for c in members),
            )
        )
    return out


# ---------------------------------------------------------------- workshops to choose from


@dataclass(frozen=True)
class WorkshopChoice:
    id: uuid.UUID
    title: str
    started_at: datetime
    status: str
    contributions: int


def analysable_workshops(store: Store, limit: int | None = None) -> list[WorkshopChoice]:
    """Workshops that ran (live or finished), newest first, with their contribution counts."""
    with store.read() as s:
        counts = dict(
            s.execute(
                select(Contribution.workshop_id, func.count())
                .where(Contribution.deleted_at.is_(None))
                .group_by(Contribution.workshop_id)
            ).all()
        )
        stmt = (
            select(Workshop.id, Workshop.title, Workshop.started_at, Workshop.status)
            .where(Workshop.deleted_at.is_(None), Workshop.status.in_(("live", "finished")))
            .order_by(Workshop.started_at.desc(), Workshop.id)
        )
        if limit:
            stmt = stmt.limit(limit)
        return [WorkshopChoice(w.id, w.title, w.started_at, w.status, int(counts.get(w.id, 0))) for w in s.execute(stmt)]


__all__ = [
    "ANONYMOUS",
    "ERASED",
    "MIN_TEAM_SIZE",
    "Candidate",
    "Evidence",
    "Person",
    "Report",
    "Scope",
    "TeamSummary",
    "WorkshopInsights",
    "analysable_workshops",
    "load",
    "load_people",
    "report",
    "resolve_team",
    "teams",
    "workshop_insights",
]
