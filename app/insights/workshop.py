"""One workshop, for its dashboard and the live panel: the timeline, the ripple network,
participation equity, the ranking and each named person's evidence, computed in one go.

Also the workshops there are to choose from (those that ran).
"""

from __future__ import annotations

import math
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.errors import NotFound
from app.influence.params import RIPPLE_WINDOW_S, RULES, WEIGHTS, Rules, Weights
from app.influence.wording import why
from app.influence.workshop import Profile, WorkshopAnalysis, workshop_of
from app.insights.equity import Equity, equity_of
from app.insights.evidence import Evidence, evidence_many, reactions_per_contribution
from app.insights.loading import Loaded, Scope, WorkshopInfo, analyse, load
from app.insights.people import Person, load_people
from app.text import plural
from db.queries import analysis
from db.store import Store


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
class RankedPerson:
    rank: int
    person: Person
    profile: Profile
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
    ranking: tuple[RankedPerson, ...]  # named people who shared, best first
    unranked: int  # present people without analytics consent (or erased)
    evidence: dict[uuid.UUID, Evidence]
    profiles: dict[uuid.UUID, Profile]  # everyone present (anonymous ones too)
    duration_s: float
    computed_ms: float
    silent: int = 0  # named people present who have not shared: no rank until they do


def workshop_insights(
    store: Store,
    workshop_id: uuid.UUID,
    *,
    window_s: float = RIPPLE_WINDOW_S,
    weights: Weights = WEIGHTS,
    rules: Rules = RULES,
) -> WorkshopInsights:
    """Everything the workshop dashboard and the live panel show, computed in one go."""
    started = time.perf_counter()
    scope = Scope(workshop_ids=(workshop_id,))
    loaded = load(store, scope, any_status=True)
    wid = str(workshop_id)
    if wid not in loaded.workshops:
        raise NotFound(f"There is no workshop with id {workshop_id}.")
    info = loaded.workshops[wid]
    analysed = analyse(loaded, window_s=window_s, weights=weights, rules=rules)
    workshop = workshop_of(analysed.result, 0, analysed.kinds)
    people = load_people(store, workshop.profiles)
    with store.read() as s:
        roster = analysis.roster_order(s, workshop_id)
        notes = analysis.notes(s, workshop_id)
        reactions = reactions_per_contribution(s, scope.workshops(any_status=True))
        clips = analysis.clips(s, [workshop_id])
    order = [p for p in roster if p in workshop.profiles]
    order += sorted(set(workshop.profiles) - set(order), key=lambda p: (people[p].roster, p))
    points = _timeline(workshop, info, people, notes)
    edges, nodes, network = _network(workshop, order, people, points)
    named = [p for p in order if people[p].named]
    silent = [p for p in named if workshop.profiles[p].contributions == 0]  # no rank without a share
    named = [p for p in named if workshop.profiles[p].contributions > 0]
    named.sort(key=lambda p: (-workshop.profiles[p].score, -workshop.profiles[p].spontaneous, people[p].label, p))
    items = _item_spans(loaded, info, workshop)
    start = info.started_at.timestamp()
    last = max((sh.t for sh in workshop.shares), default=start)
    return WorkshopInsights(
        workshop=info,
        lanes=tuple(people[p] for p in order),
        items=items,
        points=points,
        edges=edges,
        nodes=nodes,
        network=network,
        equity=equity_of(
            {p: (workshop.profiles[p].spontaneous, workshop.profiles[p].prompted) for p in order},
            name=lambda p: people[p].roster,
        ),
        ranking=tuple(
            RankedPerson(i + 1, people[p], workshop.profiles[p], why(workshop.profiles[p])) for i, p in enumerate(named)
        ),
        unranked=len(order) - len(named) - len(silent),
        silent=len(silent),
        evidence=evidence_many(
            analysed, [(people[p], workshop.profiles[p]) for p in named], people, reactions, clips, notes,
        ),
        profiles={uuid.UUID(p): prof for p, prof in workshop.profiles.items()},
        duration_s=max(last - start, max((sp.end_s for sp in items), default=0.0), 60.0),
        computed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _timeline(
    workshop: WorkshopAnalysis, info: WorkshopInfo, people: dict[str, Person], notes: dict[str, str]
) -> tuple[TimelinePoint, ...]:
    """Every share as a point on the timeline; the trainer's notes only on named people's."""
    start = info.started_at.timestamp()
    first_ids = set(workshop.first_movers.values())
    return tuple(
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
        for sh in workshop.shares
    )


def _network(
    workshop: WorkshopAnalysis, order: Sequence[str], people: dict[str, Person], points: Sequence[TimelinePoint]
) -> tuple[tuple[RippleEdge, ...], tuple[NetworkNode, ...], tuple[NetworkEdge, ...]]:
    """The ripple links between shares, and between people: who set off whom, how often
    explicitly and with how much inferred credit, laid out for the network chart."""
    as_uuid: dict[str, uuid.UUID] = {k: pt.id for pt in points for k in (pt.id.hex, str(pt.id))}
    as_uuid.update({p: people[p].id for p in order})

    def uid(text: str) -> uuid.UUID:
        value = as_uuid.get(text)
        if value is None:
            value = as_uuid[text] = uuid.UUID(text)
        return value

    edges = tuple(
        RippleEdge(uid(x.source), uid(x.target), uid(x.source_person), uid(x.target_person), x.explicit, x.credit)
        for x in workshop.links
    )
    pair: dict[tuple[str, str], tuple[int, float]] = {}
    for x in workshop.links:
        e, i = pair.get((x.source_person, x.target_person), (0, 0.0))
        pair[(x.source_person, x.target_person)] = (e + 1, i) if x.explicit else (e, round(i + x.credit, 6))
    pos = _layout(order, pair)
    nodes = tuple(
        NetworkNode(
            uuid.UUID(p), people[p].label, pos[p][0], pos[p][1],
            float(len(workshop.profiles[p].reach_first)), workshop.profiles[p].centrality,
        )
        for p in order
    )
    network = tuple(NetworkEdge(uuid.UUID(a), uuid.UUID(b), e, i) for (a, b), (e, i) in sorted(pair.items()))
    return edges, nodes, network


def _layout(people: Sequence[str], edges: dict[tuple[str, str], tuple[int, float]]) -> dict[str, tuple[float, float]]:
    """Positions for the ripple network: linked people spring together, the rest on a ring."""
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


def _item_spans(loaded: Loaded, info: WorkshopInfo, workshop: WorkshopAnalysis) -> tuple[ItemSpan, ...]:
    """Each agenda item's span on the timeline: from its first to its last contribution."""
    start = info.started_at.timestamp()
    times: dict[str, list[float]] = defaultdict(list)
    for sh in workshop.shares:
        if sh.item:
            times[sh.item].append(sh.t - start)
    spans = []
    for iid, it in sorted(loaded.items.items(), key=lambda kv: kv[1].position):
        ts = times.get(iid)
        if ts and str(it.workshop) == str(info.id):
            spans.append(ItemSpan(it.id, it.title, it.kind, min(ts), max(ts)))
    return tuple(spans)


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
        return [WorkshopChoice(*w) for w in analysis.workshops_that_ran(s, limit)]


def unranked_note(unranked: int, silent: int) -> str:
    """Who is missing from a workshop's ranking and why, in one line (empty when nobody is)."""
    parts = []
    if unranked:
        parts.append(f"{plural(unranked, 'person', 'people')} without analytics consent")
    if silent:
        parts.append(f"{plural(silent, 'person', 'people')} who did not share")
    if not parts:
        return ""
    return f"Not ranked: {' and '.join(parts)}."
