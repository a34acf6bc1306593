"""The influence method written the plain way, as a test oracle for the vectorised engine.

Every rule of ``docs/influence.md`` is a loop over rows here: no coding as integers, no
bitmasks, no sorted searches, no matrices. It is slow (quadratic in the rows of a workshop)
and obviously right, so ``test_reference.py`` can hold :func:`app.influence.engine.run` and
:func:`app.influence.period.periods` to it on random workshops.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.influence.params import RULES, WEIGHTS, Rules, Weights


@dataclass(frozen=True)
class Row:
    """One live contribution; times in whole milliseconds."""

    id: str
    workshop: str
    item: str | None
    person: str
    t_ms: int
    spontaneous: bool
    failure: bool
    builds_on: str | None


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    explicit: bool
    credit: float


@dataclass
class Signals:
    """One person in one workshop (or, summed, over a period)."""

    contributions: int = 0
    spontaneous: int = 0
    prompted: int = 0
    failures: int = 0
    spontaneous_failures: int = 0
    first_moves: int = 0
    explicit_ripples: int = 0
    inferred_ripples: int = 0
    inferred_credit: float = 0.0
    rippling_shares: int = 0
    reach_first: set[str] = field(default_factory=set)
    reach_explicit: set[str] = field(default_factory=set)
    reach_second: set[str] = field(default_factory=set)
    clips: int = 0
    reactions: int = 0
    centrality: float = 1.0
    spontaneity_rate: float = 0.5
    components: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    room: float = 0.0
    index: float = 0.0


@dataclass
class Room:
    """One workshop analysed: the links, who opened each item, everyone present."""

    links: list[Link]
    first_movers: dict[str, str]
    median: float
    people: dict[str, Signals]


def group_of(item: str | None, person: str, groups: Mapping[str, Sequence[Iterable[str]]]) -> int:
    """0: the item has no groups (or there is no item); g + 1: in its group g (the first one
    that names them); -1: outside every group of the item."""
    if item is None:
        return 0
    item_groups = [list(g) for g in groups.get(item, ())]
    if not any(item_groups):
        return 0
    for g, members in enumerate(item_groups):
        if person in members:
            return g + 1
    return -1


def ripple_links(rows: Sequence[Row], groups: Mapping[str, Sequence[Iterable[str]]], window_s: float) -> list[Link]:
    """Explicit links where B builds on another person's contribution in its workshop;
    otherwise, when B itself is spontaneous, inferred ones from every spontaneous share by
    someone else in B's workshop, agenda item and group, strictly before B and at most the
    window earlier, credit 1/k. A prompted B was set off by the prompt: nothing is inferred."""
    by_id = {r.id: r for r in rows}
    window_ms = round(window_s * 1000)
    links = []
    for b in rows:
        a = by_id.get(b.builds_on) if b.builds_on is not None else None
        if a is not None and a.person != b.person and a.workshop == b.workshop:
            links.append(Link(a.id, b.id, True, 1.0))
            continue
        if not b.spontaneous:
            continue
        sources = [
            a for a in rows
            if a.spontaneous
            and a.person != b.person
            and a.workshop == b.workshop
            and a.item == b.item
            and group_of(a.item, a.person, groups) == group_of(b.item, b.person, groups)
            and b.t_ms - window_ms <= a.t_ms < b.t_ms
        ]
        links += [Link(a.id, b.id, False, 1.0 / len(sources)) for a in sources]
    return links


def pagerank(nodes: Sequence[str], edges: Mapping[tuple[str, str], float], alpha: float) -> dict[str, float]:
    """PageRank by power iteration (uniform teleport, dangling nodes spread evenly), scaled so
    the average node has 1.0."""
    n = len(nodes)
    out_weight = {u: sum(w for (a, _b), w in edges.items() if a == u) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(10_000):
        dangling = sum(rank[u] for u in nodes if out_weight[u] == 0)
        new = {v: (1 - alpha) / n + alpha * dangling / n for v in nodes}
        for (u, v), w in edges.items():
            new[v] += alpha * rank[u] * w / out_weight[u]
        done = max(abs(new[v] - rank[v]) for v in nodes) < 1e-13
        rank = new
        if done:
            break
    total = sum(rank.values())
    return {v: rank[v] / total * n for v in nodes}


def analyse_room(
    workshop: str,
    rows: Sequence[Row],
    groups: Mapping[str, Sequence[Iterable[str]]],
    *,
    present: Iterable[str] = (),
    clips: Mapping[str, int] | None = None,
    reactions: Mapping[str, int] | None = None,
    window_s: float = 120.0,
    weights: Weights = WEIGHTS,
    rules: Rules = RULES,
) -> Room:
    """One workshop's rows (all of them from ``workshop``) the plain way."""
    clips = clips or {}
    reactions = reactions or {}
    rows = [r for r in rows if r.workshop == workshop]
    by_id = {r.id: r for r in rows}
    links = ripple_links(rows, groups, window_s)
    everyone = {r.person for r in rows} | set(present) | set(clips) | set(reactions)
    people = {p: Signals() for p in sorted(everyone)}

    first_movers = {}
    for item in {r.item for r in rows if r.item is not None}:
        opening = min((r for r in rows if r.item == item and r.spontaneous), key=lambda r: (r.t_ms, r.id), default=None)
        if opening is not None:
            first_movers[item] = opening.id
            people[opening.person].first_moves += 1
    for r in rows:
        me = people[r.person]
        me.contributions += 1
        me.spontaneous += r.spontaneous
        me.prompted += not r.spontaneous
        me.failures += r.failure
        me.spontaneous_failures += r.failure and r.spontaneous
    for p, n in clips.items():
        people[p].clips += n
    for p, n in reactions.items():
        people[p].reactions += n
    for x in links:
        source, target = by_id[x.source], by_id[x.target]
        me = people[source.person]
        me.reach_first.add(target.person)
        if x.explicit:
            me.explicit_ripples += 1
            me.reach_explicit.add(target.person)
        else:
            me.inferred_ripples += 1
            me.inferred_credit += x.credit
        # second order: whoever the ripple itself set off
        for y in links:
            if y.source == target.id:
                me.reach_second.add(by_id[y.target].person)
    for p, me in people.items():
        me.rippling_shares = len({x.source for x in links if by_id[x.source].person == p})
        me.reach_second -= me.reach_first | {p}

    edges: dict[tuple[str, str], float] = defaultdict(float)
    for x in links:
        value = weights.explicit_ripple if x.explicit else weights.inferred_ripple * x.credit
        edges[(by_id[x.target].person, by_id[x.source].person)] += value
    if links:
        for p, c in pagerank(list(people), edges, rules.pagerank_alpha).items():
            people[p].centrality = c

    for me in people.values():
        me.spontaneity_rate = (me.spontaneous + rules.prior_rate * rules.prior_strength) / (
            me.contributions + rules.prior_strength
        )
        me.components = {
            "explicit ripples": weights.explicit_ripple * me.explicit_ripples,
            "inferred ripples": weights.inferred_ripple * me.inferred_credit,
            "people set off": weights.reach_explicit * len(me.reach_explicit)
            + weights.reach_inferred * (len(me.reach_first) - len(me.reach_explicit)),
            "second-order reach": weights.second_order_reach * len(me.reach_second),
            "first moves": weights.first_mover * me.first_moves,
            "spontaneous shares": weights.spontaneous * me.spontaneous,
            "prompted shares": weights.prompted * me.prompted,
            "spontaneity": weights.spontaneity * me.spontaneity_rate if me.contributions else 0.0,
            "failure stories": weights.failure * me.spontaneous_failures,
            "clips": weights.clip * me.clips,
            "reactions": weights.reaction * me.reactions,
            "network position": weights.centrality * max(0.0, me.centrality - 1.0),
        }
        me.score = sum(me.components.values())
    median = statistics.median(me.score for me in people.values()) if people else 0.0
    for me in people.values():
        me.room = max(median, rules.min_room_median)
        me.index = me.score / me.room
    return Room(links, first_movers, median, people)


@dataclass
class Period:
    """One person over a period: their workshops' signals summed and their series."""

    total: Signals
    series: list[tuple[str, float]]  # (workshop, index) in time order
    index: float
    index_without_best: float
    trend: float


def slope(values: Sequence[float]) -> float:
    """Least-squares slope of ``values`` against 0, 1, 2, … (0.0 for fewer than two)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    return sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values)) / sum((i - mean_x) ** 2 for i in range(n))


def period(rooms: Mapping[str, Room], starts: Mapping[str, float], rules: Rules = RULES) -> dict[str, Period]:
    """Each person's workshops (``rooms`` by workshop id) pooled over the period."""
    order = sorted(rooms, key=lambda w: (starts[w], w))
    out = {}
    for p in sorted({p for room in rooms.values() for p in room.people}):
        mine = [(w, rooms[w].people[p]) for w in order if p in rooms[w].people]
        total = Signals()
        for _w, s in mine:
            for name in ("contributions", "spontaneous", "prompted", "failures", "spontaneous_failures",
                         "first_moves", "explicit_ripples", "inferred_ripples", "rippling_shares", "clips",
                         "reactions"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
            total.inferred_credit += s.inferred_credit
            total.reach_first |= s.reach_first
            total.reach_explicit |= s.reach_explicit
            total.reach_second |= s.reach_second
            total.score += s.score
            total.room += s.room
            for k, v in s.components.items():
                total.components[k] = total.components.get(k, 0.0) + v
        total.reach_second -= total.reach_first | {p}
        total.centrality = sum(s.centrality for _w, s in mine) / len(mine)
        total.spontaneity_rate = (total.spontaneous + rules.prior_rate * rules.prior_strength) / (
            total.contributions + rules.prior_strength
        )
        pooled = total.score / total.room
        # the best workshop: the highest index as reported (six places), the earliest on a tie
        best = max(range(len(mine)), key=lambda i: (round(mine[i][1].index, 6), -i))
        rest = [s for i, (_w, s) in enumerate(mine) if i != best]
        without = sum(s.score for s in rest) / sum(s.room for s in rest) if rest else pooled
        indices = [s.index for _w, s in mine]
        total.index = pooled
        out[p] = Period(total, [(w, s.index) for w, s in mine], pooled, without,
                        slope(indices[-rules.trend_window:]))
    return out
