"""Influence analytics: ripple attribution, cascades, per-participant profiles and the score.

This module is the one documented place for the ripple window and every weight and threshold
(:data:`RIPPLE_WINDOW_S`, :class:`Weights`, :class:`Rules`); ``docs/influence.md`` explains
the method with a worked example. It is pure computation over plain rows — no store, no Qt —
so the live panel, the workshop dashboard and the L&D export all share one implementation and
give the same numbers on SQLite and PostgreSQL.

Vocabulary (PRODUCT.md): contribution B is a *ripple* of A when B explicitly builds on A, or —
inferred — B comes from another participant in the same agenda item and group within the
ripple window after a spontaneous A. A ripple of a ripple is second-order reach.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

# ---------------------------------------------------------------- the one place for the numbers

#: Seconds after a spontaneous share in which another member of the same agenda item and
#: group counts as set off by it (an *inferred* ripple).
RIPPLE_WINDOW_S: float = 120.0


@dataclass(frozen=True)
class Weights:
    """Points per unit of each signal in a workshop's raw influence score.

    Why these values: ripples are the signal PRODUCT.md cares about, so they dominate;
    explicit links (the trainer saw B build on A) are worth three times an inferred one, and
    an inferred ripple's point is shared among all the shares that could have set it off.
    Volume is worth little (0.5 per spontaneous, 0.1 per prompted share), so a loud
    participant who speaks when called on cannot talk their way up the ranking.
    """

    explicit_ripple: float = 3.0  # per contribution that explicitly builds on theirs
    inferred_ripple: float = 1.0  # per unit of inferred credit (1/k for k possible sources)
    reach_explicit: float = 2.0  # per distinct person who built on them explicitly
    reach_inferred: float = 1.0  # per further distinct person set off (inferred links only)
    second_order_reach: float = 1.0  # per further distinct person set off by their ripples
    first_mover: float = 1.0  # per agenda item they opened with a spontaneous share
    spontaneous: float = 0.5  # per spontaneous share
    prompted: float = 0.1  # per prompted share
    spontaneity: float = 2.0  # times the smoothed spontaneity rate (0..1)
    failure: float = 1.0  # per failure story told unprompted (prompted ones are the exercise)
    clip: float = 1.5  # per clip shared
    reaction: float = 0.5  # per peer reaction received on their contributions or clips
    centrality: float = 1.0  # per unit of network centrality above the room's average


@dataclass(frozen=True)
class Rules:
    """Smoothing, normalisation and the thresholds for *candidate* and *emerging*."""

    # Spontaneity rate smoothed towards an even split: (spontaneous + 2) / (shares + 4).
    prior_rate: float = 0.5
    prior_strength: float = 4.0
    # A workshop's index is the raw score over the room's median raw score (1.0 = a typical
    # participant of that workshop), so long and short workshops compare; the median (not the
    # mean, which the influencers themselves pull up) is floored so a near-silent room does
    # not blow small numbers up.
    min_room_median: float = 1.0
    # Enough evidence to be a candidate: several spontaneous shares, and ripples from more
    # than one of them (one lucky share is not enough).
    min_spontaneous: int = 3
    min_rippling_shares: int = 2
    # Not mostly prompted: a candidate's smoothed spontaneity rate is at least this (PRODUCT.md:
    # a loud participant who mostly speaks when called on is not an emerging influencer).
    min_spontaneity: float = 0.4
    # Not resting on one workshop: without their best workshop, someone who is not new must
    # still be above a typical participant (index 1.0) to be a candidate.
    consistency_floor: float = 1.0
    # "High": an influence index of at least 1.5, i.e. half as much again as a typical
    # participant of the same workshops (absolute, so a team filter does not change it).
    strong_index: float = 1.5
    # "Rising": the least-squares slope of the per-workshop index over their last
    # ``trend_window`` workshops is at least this much per workshop (needs 3 workshops).
    rising_slope: float = 0.15
    min_trend_workshops: int = 3
    trend_window: int = 6
    # "New": attended at most this many workshops so far, and joined after their team's
    # first workshop in the store (and within the period, when it has a start).
    new_max_workshops: int = 2
    # Network centrality: PageRank damping on the who-sets-off-whom graph.
    pagerank_alpha: float = 0.85


WEIGHTS = Weights()
RULES = Rules()

# ---------------------------------------------------------------- rows in, links out


class Share(NamedTuple):
    """One live contribution as the engine needs it (ids are opaque strings)."""

    id: str
    workshop: str
    item: str | None
    person: str
    t: float  # seconds since the epoch (milliseconds count, finer is ignored)
    spontaneous: bool
    kind: str
    builds_on: str | None


class Link(NamedTuple):
    """Contribution ``target`` is a ripple of ``source``."""

    source: str
    target: str
    source_person: str
    target_person: str
    explicit: bool
    credit: float  # 1.0 for an explicit link, 1/k when k shares could have set it off


Groups = Mapping[str, Sequence[Iterable[str]]]
"""Agenda item id -> its groups, each a collection of participant ids."""

_I64 = np.int64


def _codes(values: Sequence[str]) -> dict[str, int]:
    return {v: i for i, v in enumerate(values)}


def _expand(lo: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges [lo[i], lo[i] + counts[i]) as one array (vectorised)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=_I64)
    starts = np.cumsum(counts) - counts
    return np.repeat(lo - starts, counts) + np.arange(total, dtype=_I64)


@dataclass
class Batch:
    """Columnar input for one or many workshops: what :func:`run` needs and nothing else.

    Workshops, agenda items and people are coded by position in their lists; rows refer to
    them by code. ``builds`` is the row index of the contribution built on (-1 for none).
    ``group`` is 0 where the agenda item has no groups, the group's position + 1 otherwise,
    and -1 for someone outside every group of the item.
    """

    workshops: list[str]
    starts: list[float]  # each workshop's start, epoch seconds
    people: list[str]
    items: list[str]
    ids: list[Any]
    ws: np.ndarray
    item: np.ndarray
    group: np.ndarray
    person: np.ndarray
    t_ms: np.ndarray
    spont: np.ndarray
    failure: np.ndarray
    builds: np.ndarray
    present: list[tuple[int, int]] = field(default_factory=list)  # (workshop, person) on rosters
    clips: dict[tuple[int, int], int] = field(default_factory=dict)
    reactions: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.ids)


def make_batch(
    *,
    workshops: Sequence[tuple[str, float]],
    ids: Sequence[Any],
    ws: Sequence[Any],
    item: Sequence[Any],
    person: Sequence[Any],
    spontaneous: Sequence[bool],
    kind_failure: Sequence[bool],
    builds_on: Sequence[Any],
    groups: Groups,
    t: Sequence[float] | None = None,
    t_ms: np.ndarray | None = None,
    present: Iterable[tuple[str, str]] = (),
    clips: Mapping[tuple[str, str], int] | None = None,
    reactions: Mapping[tuple[str, str], int] | None = None,
    canon: Callable[[Any], str] = str,
) -> Batch:
    """Code many workshops' rows as integers.

    Times are ``t`` (epoch seconds) or ``t_ms`` (whole milliseconds); either way the engine
    counts whole milliseconds, finer parts are dropped.
    ``ws``, ``item`` and ``person`` may hold the driver's raw ids: ``canon`` turns each
    distinct value into the canonical id string once (``None`` means no agenda item), so a
    column of 200,000 rows costs one dictionary look-up per row. Everything else is given
    with canonical ids already.
    """
    wlist = [w for w, _s in workshops]
    wcode = _codes(wlist)
    present = list(present)
    clips = clips or {}
    reactions = reactions or {}
    raw_people = set(person)
    canon_people = {raw: canon(raw) for raw in raw_people}
    people = sorted(
        set(canon_people.values()) | {p for _w, p in present} | {p for _w, p in clips} | {p for _w, p in reactions}
    )
    pcode = _codes(people)
    raw_items = {raw for raw in set(item) if raw is not None}
    canon_items = {raw: canon(raw) for raw in raw_items}
    items = sorted(set(canon_items.values()))
    icode = _codes(items)
    n_people = max(len(people), 1)
    n = len(ids)

    p_of = {raw: pcode[c] for raw, c in canon_people.items()}
    i_of: dict[Any, int] = {raw: icode[c] for raw, c in canon_items.items()}
    i_of[None] = -1
    w_of = {raw: wcode[canon(raw)] for raw in set(ws)}
    person_col = np.fromiter((p_of[p] for p in person), dtype=_I64, count=n)
    item_col = np.fromiter((i_of[i] for i in item), dtype=_I64, count=n)

    # group per row: 0 = the item has no groups, g + 1 = in its group g, -1 = outside them all
    grouped: set[int] = set()
    member_keys: dict[int, int] = {}
    for it, item_groups in groups.items():
        code = icode.get(it)
        if code is None:
            continue
        for gi, g in enumerate(item_groups):
            for pid in g:
                pc = pcode.get(pid)
                grouped.add(code)
                if pc is not None:
                    member_keys.setdefault(code * n_people + pc, gi + 1)
    group_col = np.zeros(n, dtype=_I64)
    if grouped:
        in_grouped = np.isin(item_col, np.fromiter(grouped, dtype=_I64))
        keys = np.fromiter(sorted(member_keys), dtype=_I64, count=len(member_keys))
        values = np.asarray([member_keys[k] for k in keys.tolist()], dtype=_I64)
        row_keys = item_col * n_people + person_col
        at = np.searchsorted(keys, row_keys)
        hit = (at < len(keys)) & (keys[np.minimum(at, max(len(keys) - 1, 0))] == row_keys) if len(keys) else np.zeros(n, bool)
        group_col = np.where(in_grouped, np.where(hit, values[np.minimum(at, max(len(keys) - 1, 0))] if len(keys) else 0, -1), 0)

    wanted = {x for x in builds_on if x is not None}
    row_of = {rid: i for i, rid in enumerate(ids) if rid in wanted}
    return Batch(
        workshops=wlist,
        starts=[s for _w, s in workshops],
        people=people,
        items=items,
        ids=list(ids),
        ws=np.fromiter((w_of[w] for w in ws), dtype=_I64, count=n),
        item=item_col,
        group=group_col.astype(_I64),
        person=person_col,
        t_ms=(
            np.asarray(t_ms, dtype=_I64).reshape(n)
            if t_ms is not None
            else np.floor(np.asarray(t if t is not None else [], dtype=np.float64).reshape(n) * 1000.0 + 1e-6).astype(_I64)
        ),
        spont=np.asarray(spontaneous, dtype=bool).reshape(n),
        failure=np.asarray(kind_failure, dtype=bool).reshape(n),
        builds=np.fromiter((row_of.get(b, -1) if b is not None else -1 for b in builds_on), dtype=_I64, count=n),
        present=[(wcode[w], pcode[p]) for w, p in present if w in wcode],
        clips={(wcode[w], pcode[p]): int(v) for (w, p), v in clips.items() if w in wcode},
        reactions={(wcode[w], pcode[p]): int(v) for (w, p), v in reactions.items() if w in wcode},
    )


# ---------------------------------------------------------------- the engine


@dataclass
class Result:
    """Everything :func:`run` computed: rows in canonical order (workshop, time, id), the ripple
    links between them, and one entry per (workshop, present person) with its signals."""

    batch: Batch
    order: np.ndarray  # canonical position -> input row
    ws: np.ndarray
    item: np.ndarray
    person: np.ndarray
    t_ms: np.ndarray
    spont: np.ndarray
    failure: np.ndarray
    ids: list[Any]
    src: np.ndarray  # link source (canonical row)
    dst: np.ndarray
    explicit: np.ndarray
    credit: np.ndarray
    first_rows: np.ndarray
    pres_ws: np.ndarray  # presence entries, sorted by (workshop, person)
    pres_person: np.ndarray
    metrics: dict[str, np.ndarray]
    components: dict[str, np.ndarray]
    pairs1: np.ndarray  # presence * P + person set off (first order)
    pairs_x: np.ndarray  # the same, explicit links only
    pairs2: np.ndarray  # presence * P + person set off in the second order (not first)

    def presence(self, w: int, p: int) -> int:
        key = w * len(self.batch.people) + p
        keys = self.pres_ws * len(self.batch.people) + self.pres_person
        i = int(np.searchsorted(keys, key))
        if i >= len(keys) or keys[i] != key:
            raise KeyError((w, p))
        return i

    def summary(self) -> Summary:
        """The per-presence part of the result, which is all a period needs."""
        b = self.batch
        return Summary(
            workshops=b.workshops,
            starts=b.starts,
            people=b.people,
            pres_ws=self.pres_ws,
            pres_person=self.pres_person,
            metrics=self.metrics,
            components=self.components,
            pairs1=self.pairs1,
            pairs_x=self.pairs_x,
            pairs2=self.pairs2,
            contributions=np.bincount(self.ws, minlength=len(b.workshops)).astype(_I64),
        )


#: A presence's numbers, in the order a :class:`Piece` stores them: the metrics (the first
#: ``len(INT_METRICS)`` are whole numbers), then the score's components.
INT_METRICS = (
    "contributions", "spontaneous", "prompted", "failures", "spontaneous_failures", "first_moves",
    "explicit_ripples", "inferred_ripples", "rippling_shares", "clips", "reactions", "rostered",
)
FLOAT_METRICS = ("inferred_credit", "centrality", "spontaneity_rate", "score", "room", "index")


@dataclass
class Summary:
    """What a period needs of a run: every (workshop, present person)'s signals and whom they
    set off, without the rows behind them.

    :func:`run` treats every workshop on its own (ripples never cross workshops, a room's
    median and network are its own), so summaries of separate runs put side by side with
    :func:`combine` are exactly the summary of one run over them all. That is what lets the
    cross-workshop report keep each finished workshop's summary instead of its 400 rows.
    """

    workshops: list[str]
    starts: list[float]
    people: list[str]
    pres_ws: np.ndarray  # presence entries, sorted by (workshop, person)
    pres_person: np.ndarray
    metrics: dict[str, np.ndarray]
    components: dict[str, np.ndarray]
    pairs1: np.ndarray  # presence * P + person set off (first order)
    pairs_x: np.ndarray  # the same, explicit links only
    pairs2: np.ndarray  # presence * P + person set off in the second order (not first)
    contributions: np.ndarray  # live contributions per workshop

    def pieces(self) -> list[Piece]:
        """One :class:`Piece` per workshop, in workshop order."""
        n_ws = len(self.workshops)
        n_people = max(len(self.people), 1)
        columns = np.column_stack(
            [self.metrics[k].astype(np.float64) for k in (*INT_METRICS, *FLOAT_METRICS)]
            + [self.components[k] for k in COMPONENTS]
        ) if len(self.pres_ws) else np.zeros((0, len(PIECE_COLUMNS)))
        bounds = np.searchsorted(self.pres_ws, np.arange(n_ws + 1), "left")
        keys = self.pres_ws * n_people + self.pres_person  # sorted: entries are by (workshop, person)

        def localise(pairs: np.ndarray) -> list[np.ndarray]:
            """Each workshop's pairs as ``local presence * room size + local person``."""
            owner, other = pairs // n_people, pairs % n_people
            w = self.pres_ws[owner]
            other_at = np.searchsorted(keys, w * n_people + other)
            size = np.maximum(bounds[w + 1] - bounds[w], 1)
            local = (owner - bounds[w]) * size + (other_at - bounds[w])
            order = np.argsort(w, kind="stable")
            cuts = np.searchsorted(w[order], np.arange(n_ws + 1), "left")
            local = local[order].astype(_I64)
            return [local[cuts[i]:cuts[i + 1]] for i in range(n_ws)]

        p1, px, p2 = localise(self.pairs1), localise(self.pairs_x), localise(self.pairs2)
        codes = self.pres_person.tolist()
        return [
            Piece(
                people=[self.people[c] for c in codes[bounds[w]:bounds[w + 1]]],
                values=np.ascontiguousarray(columns[bounds[w]:bounds[w + 1]]),
                pairs1=p1[w],
                pairs_x=px[w],
                pairs2=p2[w],
                contributions=int(self.contributions[w]),
            )
            for w in range(n_ws)
        ]


@dataclass
class Piece:
    """One workshop's :class:`Summary` on its own: its present people (sorted, so their
    position is their local code), one row of numbers each, and the set-off pairs as
    ``local presence * len(people) + local person``."""

    people: list[str]
    values: np.ndarray  # (len(people), len(PIECE_COLUMNS)) float64
    pairs1: np.ndarray
    pairs_x: np.ndarray
    pairs2: np.ndarray
    contributions: int


def combine(workshops: Sequence[tuple[str, float]], pieces: Sequence[Piece]) -> Summary:
    """Workshops' pieces (in the given workshop order) as one summary, identical to the one
    a single :func:`run` over all their rows gives."""
    people = sorted({p for piece in pieces for p in piece.people})
    code = _codes(people)
    n_people = max(len(people), 1)
    sizes = [len(piece.people) for piece in pieces]
    pres_ws = np.repeat(np.arange(len(pieces), dtype=_I64), sizes)
    pres_person = np.fromiter((code[p] for piece in pieces for p in piece.people), dtype=_I64, count=sum(sizes))
    values = np.concatenate([piece.values for piece in pieces]) if pieces else np.zeros((0, len(PIECE_COLUMNS)))
    starts = np.cumsum(sizes, dtype=_I64) - np.asarray(sizes, dtype=_I64)

    def globalise(name: str) -> np.ndarray:
        arrays = [getattr(piece, name) for piece in pieces]
        counts = np.asarray([len(a) for a in arrays], dtype=_I64)
        if not counts.sum():
            return np.zeros(0, dtype=_I64)
        pairs = np.concatenate(arrays).astype(_I64)
        size = np.repeat(np.maximum(np.asarray(sizes, dtype=_I64), 1), counts)
        base = np.repeat(starts, counts)
        return (pairs // size + base) * n_people + pres_person[base + pairs % size]

    metrics: dict[str, np.ndarray] = {k: values[:, i].astype(_I64) for i, k in enumerate(INT_METRICS)}
    offset = len(INT_METRICS)
    metrics.update({k: values[:, offset + i].copy() for i, k in enumerate(FLOAT_METRICS)})
    offset += len(FLOAT_METRICS)
    components = {k: values[:, offset + i].copy() for i, k in enumerate(COMPONENTS)}
    return Summary(
        workshops=[w for w, _s in workshops],
        starts=[s for _w, s in workshops],
        people=people,
        pres_ws=pres_ws,
        pres_person=pres_person,
        metrics=metrics,
        components=components,
        pairs1=globalise("pairs1"),
        pairs_x=globalise("pairs_x"),
        pairs2=globalise("pairs2"),
        contributions=np.asarray([piece.contributions for piece in pieces], dtype=_I64),
    )


def _canonical_order(b: Batch) -> np.ndarray:
    """Rows by workshop and time; rows at the same millisecond by id (so input order never
    matters)."""
    order = np.lexsort((b.t_ms, b.ws))
    if len(order) < 2:
        return order
    ws, t = b.ws[order], b.t_ms[order]
    same = (ws[1:] == ws[:-1]) & (t[1:] == t[:-1])
    if same.any():
        i = 0
        n = len(order)
        out = order.copy()
        while i < n - 1:
            if same[i]:
                j = i
                while j < n - 1 and same[j]:
                    j += 1
                run_rows = sorted(order[i:j + 1].tolist(), key=lambda r: str(b.ids[r]))
                out[i:j + 1] = run_rows
                i = j + 1
            else:
                i += 1
        order = out
    return order


def _pagerank(weights: np.ndarray, alpha: float) -> np.ndarray:
    """PageRank of a weighted digraph given as a matrix (row = from, column = to), as networkx
    computes it from ``google_matrix`` (uniform teleport, dangling nodes spread evenly), but
    solved exactly; scaled so the average node has 1.0."""
    n = len(weights)
    rows = weights.sum(axis=1)
    m = np.where(rows[:, None] > 0, weights / np.where(rows > 0, rows, 1.0)[:, None], 1.0 / n)
    r = np.linalg.solve(np.eye(n) - alpha * m.T, np.full(n, (1.0 - alpha) / n))
    return r / r.sum() * n


COMPONENTS = (
    "explicit ripples", "inferred ripples", "people set off", "second-order reach", "first moves",
    "spontaneous shares", "prompted shares", "spontaneity", "failure stories", "clips", "reactions",
    "network position",
)
"""The raw score's parts, in the order they are shown; their sum is the raw score."""

PIECE_COLUMNS = (*INT_METRICS, *FLOAT_METRICS, *COMPONENTS)
"""A :class:`Piece`'s columns: the metrics, then the components."""


def run(
    b: Batch,
    *,
    window_s: float = RIPPLE_WINDOW_S,
    weights: Weights = WEIGHTS,
    rules: Rules = RULES,
) -> Result:
    """Attribute ripples and compute every present person's signals and score, per workshop.

    Explicit: B builds on A (another person's live contribution in the same workshop).
    Inferred, for B without an explicit link: every spontaneous A by another member of B's
    agenda item and group, strictly before B and at most ``window_s`` earlier; the k possible
    sources share B's credit (1/k each). Vectorised, so a year of workshops takes seconds.
    """
    n_people = len(b.people)
    order = _canonical_order(b)
    n = len(order)
    inv = np.empty(n, dtype=_I64)
    inv[order] = np.arange(n, dtype=_I64)
    ws, item, group, person = b.ws[order], b.item[order], b.group[order], b.person[order]
    t_ms, spont, failure = b.t_ms[order], b.spont[order], b.failure[order]
    old = b.builds[order]
    builds = np.where(old >= 0, inv[np.where(old >= 0, old, 0)], -1)
    ids = [b.ids[i] for i in order.tolist()]
    pos = np.arange(n, dtype=_I64)

    # explicit links
    has = builds >= 0
    tgt = np.where(has, builds, 0)
    valid = has & (person[tgt] != person) & (ws[tgt] == ws)
    x_dst = np.nonzero(valid)[0]
    x_src = builds[x_dst]

    # inferred links, bucket by bucket (agenda item or workshop, and group)
    item_key = np.where(item >= 0, item, len(b.items) + ws)
    _u, bucket = np.unique(item_key * 65536 + (group + 1), return_inverse=True)
    tmin = int(t_ms.min()) if n else 0
    key = (bucket.astype(_I64) << 41) + (t_ms - tmin)
    by_key = np.lexsort((pos, key))
    sources = by_key[spont[by_key]]
    source_keys = key[sources]
    targets = np.nonzero(~valid)[0]
    window_ms = round(window_s * 1000)
    lo = np.searchsorted(source_keys, key[targets] - window_ms, "left")
    hi = np.searchsorted(source_keys, key[targets], "left")
    counts = hi - lo
    i_dst = np.repeat(targets, counts)
    i_src = sources[_expand(lo, counts)] if len(i_dst) else np.zeros(0, dtype=_I64)
    keep = person[i_src] != person[i_dst]
    i_src, i_dst = i_src[keep], i_dst[keep]
    k = np.bincount(i_dst, minlength=n)
    i_credit = 1.0 / k[i_dst] if len(i_dst) else np.zeros(0)

    src = np.concatenate([x_src, i_src]).astype(_I64)
    dst = np.concatenate([x_dst, i_dst]).astype(_I64)
    explicit = np.concatenate([np.ones(len(x_src), bool), np.zeros(len(i_src), bool)])
    credit = np.concatenate([np.ones(len(x_src)), i_credit])
    lk = np.lexsort((dst, src))
    src, dst, explicit, credit = src[lk], dst[lk], explicit[lk], credit[lk]

    # presence: everyone on a roster, who contributed, or who owns a clip or a reaction
    n_ws = len(b.workshops)
    row_key = ws * n_people + person
    extra = [w * n_people + p for w, p in (*b.present, *b.clips, *b.reactions)]
    pres = np.unique(np.concatenate([row_key, np.asarray(extra, dtype=_I64)]))
    m = len(pres)
    pres_ws, pres_person = pres // max(n_people, 1), pres % max(n_people, 1)
    ridx = np.searchsorted(pres, row_key)

    def count(idx: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(idx, weights=w, minlength=m)[:m]

    contributions = count(ridx)
    spontaneous = count(ridx[spont])
    failures = count(ridx[failure])
    spont_failures = count(ridx[failure & spont])
    fm = np.nonzero(spont & (item >= 0))[0]
    fm = fm[np.lexsort((pos[fm], item[fm]))]
    _fi, first_at = np.unique(item[fm], return_index=True)
    first_rows = fm[first_at]
    first_moves = count(ridx[first_rows])

    sidx = ridx[src]
    explicit_n = count(sidx[explicit])
    inferred_n = count(sidx[~explicit])
    credit_sum = count(sidx[~explicit], credit[~explicit])
    rippling = count(ridx[np.unique(src)])

    # Reach as sets of people, one bitmask per present person: a room's people are numbered
    # within their workshop, so a few 64-bit words hold any room and sets merge with OR.
    w_first = np.searchsorted(pres_ws, np.arange(n_ws), "left")
    local_of = np.arange(m, dtype=_I64) - w_first[pres_ws] if m else np.zeros(0, dtype=_I64)
    words = max(1, (int(local_of.max()) + 64) // 64) if m else 1
    local_row = local_of[ridx]

    def bits(local: np.ndarray) -> np.ndarray:
        out = np.zeros((len(local), words), dtype="<u8")
        out[np.arange(len(local)), local // 64] = np.left_shift(np.uint64(1), (local % 64).astype(np.uint64))
        return out

    def or_by(owner: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
        """OR of ``values`` rows grouped by ``owner`` (any order) into ``size`` rows."""
        out = np.zeros((size, words), dtype="<u8")
        if len(owner):
            o = np.argsort(owner, kind="stable")
            so = owner[o]
            starts = np.flatnonzero(np.r_[True, so[1:] != so[:-1]])
            out[so[starts]] = np.bitwise_or.reduceat(values[o], starts, axis=0)
        return out

    dst_bits = bits(local_row[dst])
    children = or_by(src, dst_bits, n)  # per row: who its ripples came from
    mask1 = or_by(sidx, dst_bits, m)
    mask_x = or_by(sidx[explicit], dst_bits[explicit], m)
    mask2 = or_by(sidx, children[dst], m) & ~mask1 & ~bits(local_of)

    def popcount(mask: np.ndarray) -> np.ndarray:
        return np.bitwise_count(mask).sum(axis=1).astype(np.float64) if m else np.zeros(0)

    reach1, reach_x, reach2 = popcount(mask1), popcount(mask_x), popcount(mask2)

    def pairs_of(mask: np.ndarray) -> np.ndarray:
        """presence * P + person for every bit set."""
        flags = np.unpackbits(mask.view(np.uint8), axis=1, bitorder="little")
        owner, local = np.nonzero(flags)
        return owner.astype(_I64) * n_people + pres_person[w_first[pres_ws[owner]] + local]

    pairs1, pairs_x, pairs2 = pairs_of(mask1), pairs_of(mask_x), pairs_of(mask2)

    # network position, workshop by workshop: each room's weighted who-sets-off-whom matrix,
    # all rooms filled with one bincount
    cent = np.ones(m)
    if len(src):
        value = np.where(explicit, weights.explicit_ripple, weights.inferred_ripple * credit)
        size_w = np.bincount(pres_ws, minlength=n_ws)
        offset = np.cumsum(size_w * size_w) - size_w * size_w
        flat = offset[ws[dst]] + local_row[dst] * size_w[ws[dst]] + local_row[src]
        cells = np.bincount(flat, weights=value, minlength=int((size_w * size_w).sum()))
        for w in np.unique(ws[src]).tolist():
            size, base = int(size_w[w]), int(w_first[w])
            mat = cells[offset[w]:offset[w] + size * size].reshape(size, size)
            cent[base:base + size] = _pagerank(mat, rules.pagerank_alpha)
    cent = np.round(cent, 6)

    prompted = contributions - spontaneous
    rate = (spontaneous + rules.prior_rate * rules.prior_strength) / (contributions + rules.prior_strength)
    clips = np.zeros(m)
    reacts = np.zeros(m)
    for (w, p), v in b.clips.items():
        clips[np.searchsorted(pres, w * n_people + p)] += v
    for (w, p), v in b.reactions.items():
        reacts[np.searchsorted(pres, w * n_people + p)] += v
    parts = {
        "explicit ripples": weights.explicit_ripple * explicit_n,
        "inferred ripples": weights.inferred_ripple * credit_sum,
        "people set off": weights.reach_explicit * reach_x + weights.reach_inferred * (reach1 - reach_x),
        "second-order reach": weights.second_order_reach * reach2,
        "first moves": weights.first_mover * first_moves,
        "spontaneous shares": weights.spontaneous * spontaneous,
        "prompted shares": weights.prompted * prompted,
        "spontaneity": np.where(contributions > 0, weights.spontaneity * rate, 0.0),
        "failure stories": weights.failure * spont_failures,
        "clips": weights.clip * clips,
        "reactions": weights.reaction * reacts,
        "network position": weights.centrality * np.maximum(0.0, cent - 1.0),
    }
    components = {k: np.round(v.astype(np.float64), 6) for k, v in parts.items()}
    score = np.zeros(m)
    for name in COMPONENTS:
        score = score + components[name]
    score = np.round(score, 6)

    # the room's typical score: the median of the workshop's present people
    by_score = np.lexsort((score, pres_ws))
    sorted_score = score[by_score]
    n_w = np.bincount(pres_ws, minlength=len(b.workshops))
    w_start = np.cumsum(n_w) - n_w
    safe = np.maximum(n_w, 1)
    lo_i = np.minimum(w_start + (safe - 1) // 2, max(m - 1, 0))
    hi_i = np.minimum(w_start + safe // 2, max(m - 1, 0))
    median = np.where(n_w > 0, (sorted_score[lo_i] + sorted_score[hi_i]) / 2 if m else 0.0, 0.0)
    room_w = np.maximum(median, rules.min_room_median)
    room = np.round(room_w[pres_ws], 6)
    index = np.round(score / room, 6) if m else np.zeros(0)

    metrics = {
        "contributions": contributions.astype(_I64),
        "spontaneous": spontaneous.astype(_I64),
        "prompted": prompted.astype(_I64),
        "failures": failures.astype(_I64),
        "spontaneous_failures": spont_failures.astype(_I64),
        "first_moves": first_moves.astype(_I64),
        "explicit_ripples": explicit_n.astype(_I64),
        "inferred_ripples": inferred_n.astype(_I64),
        "inferred_credit": np.round(credit_sum, 6),
        "rippling_shares": rippling.astype(_I64),
        "clips": clips.astype(_I64),
        "reactions": reacts.astype(_I64),
        # 1 = on the workshop's roster (not only seen contributing), for attendance
        "rostered": np.isin(pres, np.asarray([w * n_people + p for w, p in b.present], dtype=_I64)).astype(_I64),
        "centrality": cent,
        "spontaneity_rate": rate,
        "score": score,
        "room": room,
        "index": index,
        "median": np.round(median, 6),  # per workshop, not per presence
    }
    return Result(
        batch=b, order=order, ws=ws, item=item, person=person, t_ms=t_ms, spont=spont, failure=failure,
        ids=ids, src=src, dst=dst, explicit=explicit, credit=credit, first_rows=first_rows,
        pres_ws=pres_ws, pres_person=pres_person, metrics=metrics, components=components,
        pairs1=pairs1, pairs_x=pairs_x, pairs2=pairs2,
    )


# ---------------------------------------------------------------- profiles


@dataclass
class Profile:
    """What one participant did in one workshop (or, summed, over a period)."""

    person: str
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
    reach_first: frozenset[str] = frozenset()
    reach_explicit: frozenset[str] = frozenset()  # the part of reach_first with explicit links
    reach_second: frozenset[str] = frozenset()
    clips: int = 0
    reactions: int = 0
    centrality: float = 1.0
    spontaneity_rate: float = 0.5
    score: float = 0.0
    index: float = 0.0
    room: float = 0.0  # the room's typical raw score (floored median) it is measured against
    components: dict[str, float] = field(default_factory=dict)

    @property
    def ripples(self) -> int:
        return self.explicit_ripples + self.inferred_ripples

    @property
    def reach(self) -> int:
        return len(self.reach_first) + len(self.reach_second)


def smoothed_rate(spontaneous: int, total: int, rules: Rules = RULES) -> float:
    """Spontaneity rate pulled towards ``prior_rate`` for small samples (a Beta prior)."""
    return (spontaneous + rules.prior_rate * rules.prior_strength) / (total + rules.prior_strength)


def _sets(pairs: np.ndarray, people: list[str], lo: int, hi: int) -> dict[int, frozenset[str]]:
    """``owner * P + person`` pairs with ``lo <= owner < hi`` as one set of people per owner."""
    n_people = max(len(people), 1)
    sel = np.sort(pairs[(pairs >= lo * n_people) & (pairs < hi * n_people)])
    if not len(sel):
        return {}
    owner = sel // n_people
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    names = [people[i] for i in (sel % n_people).tolist()]
    bounds = [*starts.tolist(), len(sel)]
    return {
        o: frozenset(names[bounds[i]:bounds[i + 1]]) for i, o in enumerate(owner[starts].tolist())
    }


@dataclass
class WorkshopAnalysis:
    """One workshop: its shares, the links, each present person's profile, who opened items."""

    workshop: str
    shares: list[Share]
    links: list[Link]
    profiles: dict[str, Profile]
    first_movers: dict[str, str]  # agenda item -> contribution id
    room_median: float

    def links_from(self, person: str) -> list[Link]:
        return [x for x in self.links if x.source_person == person]


def workshop_of(r: Result, w: int, kinds: Sequence[str] | None = None) -> WorkshopAnalysis:
    """Materialise one workshop of a result as plain objects (for the dashboards)."""
    b = r.batch
    people = b.people
    rows = np.nonzero(r.ws == w)[0]
    kinds = kinds or ["failure" if f else "" for f in r.failure.tolist()]
    shares = [
        Share(
            str(r.ids[i]), b.workshops[w], b.items[r.item[i]] if r.item[i] >= 0 else None, people[r.person[i]],
            r.t_ms[i] / 1000.0, bool(r.spont[i]), kinds[i], None,
        )
        for i in rows.tolist()
    ]
    in_w = np.nonzero(r.ws[r.src] == w)[0]
    links = [
        Link(str(r.ids[s]), str(r.ids[d]), people[r.person[s]], people[r.person[d]], bool(x), float(c))
        for s, d, x, c in zip(
            r.src[in_w].tolist(), r.dst[in_w].tolist(), r.explicit[in_w].tolist(), r.credit[in_w].tolist(), strict=True
        )
    ]
    lo = int(np.searchsorted(r.pres_ws, w, "left"))
    hi = int(np.searchsorted(r.pres_ws, w, "right"))
    first = _sets(r.pairs1, people, lo, hi)
    expl = _sets(r.pairs_x, people, lo, hi)
    second = _sets(r.pairs2, people, lo, hi)
    profiles = {}
    for i in range(lo, hi):
        profiles[people[r.pres_person[i]]] = _profile(r, i, first.get(i), expl.get(i), second.get(i))
    first_movers = {
        b.items[r.item[i]]: str(r.ids[i]) for i in r.first_rows.tolist() if r.ws[i] == w
    }
    median = float(r.metrics["median"][w]) if hi > lo else 0.0
    return WorkshopAnalysis(b.workshops[w], shares, links, profiles, first_movers, median)


def _profile(
    r: Result, i: int, first: frozenset[str] | None, expl: frozenset[str] | None, second: frozenset[str] | None
) -> Profile:
    m = r.metrics
    return Profile(
        person=r.batch.people[r.pres_person[i]],
        contributions=int(m["contributions"][i]),
        spontaneous=int(m["spontaneous"][i]),
        prompted=int(m["prompted"][i]),
        failures=int(m["failures"][i]),
        spontaneous_failures=int(m["spontaneous_failures"][i]),
        first_moves=int(m["first_moves"][i]),
        explicit_ripples=int(m["explicit_ripples"][i]),
        inferred_ripples=int(m["inferred_ripples"][i]),
        inferred_credit=float(m["inferred_credit"][i]),
        rippling_shares=int(m["rippling_shares"][i]),
        reach_first=first or frozenset(),
        reach_explicit=expl or frozenset(),
        reach_second=second or frozenset(),
        clips=int(m["clips"][i]),
        reactions=int(m["reactions"][i]),
        centrality=float(m["centrality"][i]),
        spontaneity_rate=float(m["spontaneity_rate"][i]),
        score=float(m["score"][i]),
        index=float(m["index"][i]),
        room=float(m["room"][i]),
        components={k: float(r.components[k][i]) for k in COMPONENTS},
    )


def analyse_workshop(
    workshop: str,
    shares: Iterable[Share],
    groups: Groups,
    *,
    present: Iterable[str] = (),
    clips: Mapping[str, int] | None = None,
    reactions: Mapping[str, int] | None = None,
    start: float = 0.0,
    window_s: float = RIPPLE_WINDOW_S,
    weights: Weights = WEIGHTS,
    rules: Rules = RULES,
) -> WorkshopAnalysis:
    """One workshop from plain :class:`Share` rows (row order does not matter)."""
    rows = list(shares)
    kinds = {s.id: s.kind for s in rows}
    b = make_batch(
        workshops=[(workshop, start)],
        ids=[s.id for s in rows],
        ws=[workshop] * len(rows),
        item=[s.item for s in rows],
        person=[s.person for s in rows],
        t=[s.t for s in rows],
        spontaneous=[s.spontaneous for s in rows],
        kind_failure=[s.kind == "failure" for s in rows],
        builds_on=[s.builds_on for s in rows],
        groups=groups,
        present=[(workshop, p) for p in present],
        clips={(workshop, p): n for p, n in (clips or {}).items()},
        reactions={(workshop, p): n for p, n in (reactions or {}).items()},
    )
    r = run(b, window_s=window_s, weights=weights, rules=rules)
    out = workshop_of(r, 0, [kinds[str(i)] for i in r.ids]) if b.workshops else None
    assert out is not None
    by_id = {s.id: s for s in rows}
    out.shares = [by_id[s.id] for s in out.shares]
    return out


def ripple_links(
    shares: Sequence[Share], groups: Groups, *, window_s: float = RIPPLE_WINDOW_S
) -> list[Link]:
    """Every ripple link among one workshop's shares (see :func:`run` for the rules)."""
    workshop = shares[0].workshop if shares else ""
    return analyse_workshop(workshop, shares, groups, window_s=window_s).links


# ---------------------------------------------------------------- across workshops


def trend_slope(values: Sequence[float]) -> float:
    """Least-squares slope per workshop (0.0 for fewer than two points)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return round(num / den, 6)


@dataclass(slots=True)
class Point:
    """One workshop in a person's series (slots and not frozen: a year's report makes ten
    thousand, and frozen dataclasses are slow to build)."""

    workshop: str
    t: float  # the workshop's start, epoch seconds
    index: float  # their raw score over the room's typical score
    score: float
    room: float  # the room's typical (median, floored) raw score


@dataclass
class PeriodProfile:
    """One participant over a period: summed signals, the per-workshop series, the verdict."""

    person: str
    total: Profile
    series: list[Point]  # in time order
    workshops_ever: int = 0
    joined_later: bool = False  # first workshop after their team's first, within the period
    index: float = 0.0  # pooled: all their points over the typical points of their rooms
    index_without_best: float = 0.0  # the same with their single best workshop left out
    trend: float = 0.0
    percentile: float = 0.0
    evidence_ok: bool = False
    strong: bool = False
    spontaneous_enough: bool = False
    consistent: bool = False
    rising: bool = False
    new: bool = False

    @property
    def emerging(self) -> bool:
        return self.candidate and (self.rising or self.new)

    @property
    def candidate(self) -> bool:
        """Enough evidence, high, and — unless new — not resting on one workshop."""
        return self.evidence_ok and self.strong and self.spontaneous_enough and (self.consistent or self.new)

    @property
    def status(self) -> str:
        """One label: the kind of candidate, or the first reason they are not one."""
        if not self.candidate:
            if not self.evidence_ok:
                return "not enough evidence"
            if not self.strong:
                return ""
            if not self.spontaneous_enough:
                return "mostly prompted"
            return "rests on one workshop"
        if self.rising and self.new:
            return "emerging: new and rising"
        if self.rising:
            return "emerging: rising"
        if self.new:
            return "emerging: new and strong"
        return "established"

    def reasons(self, rules: Rules = RULES) -> list[str]:
        """Why the verdict is what it is, in phrases a trainer can check."""
        t = self.total
        out = []
        if t.spontaneous < rules.min_spontaneous:
            out.append(f"only {t.spontaneous} spontaneous share(s); {rules.min_spontaneous} are needed")
        if t.rippling_shares < rules.min_rippling_shares:
            out.append(
                f"ripples from {t.rippling_shares} share(s); ripples from at least "
                f"{rules.min_rippling_shares} different shares are needed"
            )
        relation = "at least" if self.strong else "below"
        out.append(f"influence index {self.index:.2f} is {relation} {rules.strong_index:.2f}")
        if not self.spontaneous_enough:
            out.append(
                f"speaks mostly when prompted: {t.spontaneity_rate:.0%} spontaneous (smoothed); "
                f"{rules.min_spontaneity:.0%} is needed"
            )
        if self.strong and not self.consistent and not self.new:
            out.append(
                f"rests on one workshop: without their best one the index is {self.index_without_best:.2f}"
            )
        if self.rising:
            shown = min(len(self.series), rules.trend_window)
            out.append(f"rising: {self.trend:+.2f} per workshop over their last {shown} workshops")
        if self.new:
            out.append(f"new: {self.workshops_ever} workshop(s) so far, joined after their team started")
        return out


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort, cheaper here than ``np.unique``'s hashing)."""
    v = np.sort(values)
    return v[np.r_[True, v[1:] != v[:-1]]] if len(v) else v


_SUMMED = (
    "contributions", "spontaneous", "prompted", "failures", "spontaneous_failures", "first_moves",
    "explicit_ripples", "inferred_ripples", "rippling_shares", "clips", "reactions",
)


def periods(
    r: Result | Summary, rules: Rules = RULES, *, people: Iterable[str] | None = None
) -> dict[str, PeriodProfile]:
    """Each person's workshops of a result summed into one profile (optionally only ``people``).

    Reach over a period counts distinct people across all the person's workshops. Sums run
    over each person's workshops in time order, the same order on every backend.
    """
    s = r.summary() if isinstance(r, Result) else r
    n_all = len(s.people)
    n_people = max(n_all, 1)
    m = s.metrics
    wanted = None if people is None else set(people)

    def person_level(pairs: np.ndarray) -> np.ndarray:
        return _unique(s.pres_person[pairs // n_people] * n_people + pairs % n_people)

    first = _sets(person_level(s.pairs1), s.people, 0, n_all)
    expl = _sets(person_level(s.pairs_x), s.people, 0, n_all)
    second = _sets(person_level(s.pairs2), s.people, 0, n_all)

    # presence entries by person, each person's in time order (start, then workshop id)
    w_order = sorted(range(len(s.workshops)), key=lambda w: (s.starts[w], s.workshops[w]))
    w_rank = np.empty(len(s.workshops), dtype=_I64)
    w_rank[np.asarray(w_order, dtype=_I64)] = np.arange(len(w_order), dtype=_I64)
    by = np.lexsort((w_rank[s.pres_ws] if len(s.pres_ws) else s.pres_ws, s.pres_person))
    owners = s.pres_person[by]
    bounds = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(by) else np.zeros(0, _I64)
    ends = np.r_[bounds[1:], len(by)].astype(_I64) if len(by) else bounds

    def per_person(values: np.ndarray) -> np.ndarray:
        return np.bincount(s.pres_person, weights=values.astype(np.float64), minlength=n_all)

    ints = {name: np.rint(per_person(m[name])).astype(_I64).tolist() for name in _SUMMED}
    credit = np.round(per_person(m["inferred_credit"]), 6).tolist()
    score_sum = np.round(per_person(m["score"]), 6).tolist()
    room_sum = np.round(per_person(m["room"]), 6).tolist()
    counts = np.bincount(s.pres_person, minlength=n_all)
    centrality = [round(x, 6) for x in (per_person(m["centrality"]) / np.maximum(counts, 1)).tolist()]
    comp = {k: np.round(per_person(s.components[k]), 6).tolist() for k in COMPONENTS}

    ws_sorted = s.pres_ws[by].tolist()
    index_arr, score_arr, room_arr = m["index"][by], m["score"][by], m["room"][by]
    index_sorted, score_sorted, room_sorted = index_arr.tolist(), score_arr.tolist(), room_arr.tolist()
    pooled, without_best, trends = _per_person_series(owners, bounds, ends, index_arr, score_arr, room_arr, rules)
    out: dict[str, PeriodProfile] = {}
    for k, (p, lo, hi) in enumerate(zip(owners[bounds].tolist(), bounds.tolist(), ends.tolist(), strict=True)):
        pid = s.people[p]
        if wanted is not None and pid not in wanted:
            continue
        reach_first = first.get(p, frozenset())
        total = Profile(
            pid,
            **{name: ints[name][p] for name in _SUMMED},
            inferred_credit=credit[p],
            reach_first=reach_first,
            reach_explicit=expl.get(p, frozenset()),
            reach_second=second.get(p, frozenset()) - reach_first - {pid},
            centrality=centrality[p],
            spontaneity_rate=smoothed_rate(ints["spontaneous"][p], ints["contributions"][p], rules),
            score=score_sum[p],
            room=room_sum[p],
            components={k: comp[k][p] for k in COMPONENTS},
        )
        series = [
            Point(s.workshops[w], s.starts[w], x, sc, rm)
            for w, x, sc, rm in zip(
                ws_sorted[lo:hi], index_sorted[lo:hi], score_sorted[lo:hi], room_sorted[lo:hi], strict=True
            )
        ]
        total.index = pooled[k]
        out[pid] = PeriodProfile(
            person=pid, total=total, series=series, index=pooled[k], index_without_best=without_best[k],
            trend=trends[k],
        )
    return out


def _per_person_series(
    owners: np.ndarray,
    bounds: np.ndarray,
    ends: np.ndarray,
    index: np.ndarray,
    score: np.ndarray,
    room: np.ndarray,
    rules: Rules,
) -> tuple[list[float], list[float], list[float]]:
    """For every person's series (consecutive runs of ``owners``, in time order): the pooled
    index, the same without their best workshop (the highest index, the earliest on a tie), and
    the trend (least-squares slope of the index over their last ``trend_window`` workshops)."""
    n = len(owners)
    if not n:
        return [], [], []
    sizes = ends - bounds
    group = np.repeat(np.arange(len(bounds)), sizes)
    pos = np.arange(n) - bounds[group]

    def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)

    score_sum = np.bincount(group, weights=score, minlength=len(bounds))
    room_sum = np.bincount(group, weights=room, minlength=len(bounds))
    pooled = ratio(score_sum, room_sum)
    by_best = np.lexsort((-pos, index, group))  # the last of each group is its best workshop
    best = by_best[ends - 1]
    without = np.where(sizes > 1, ratio(score_sum - score[best], room_sum - room[best]), pooled)
    # trend over the last ``trend_window`` points: x = 0..k-1 within that window
    k = np.minimum(sizes, rules.trend_window)
    x = pos - (sizes - k)[group]
    recent = x >= 0
    g, xr, v = group[recent], x[recent].astype(np.float64), index[recent]
    kk = k.astype(np.float64)
    num = np.bincount(g, weights=(xr - (kk[g] - 1) / 2) * v, minlength=len(bounds))
    den = kk * (kk * kk - 1) / 12
    trend = np.where(k >= 2, num / np.where(den > 0, den, 1.0), 0.0)
    def rounded(values: np.ndarray) -> list[float]:
        return [round(x, 6) for x in values.tolist()]  # Python's rounding, as everywhere else

    return rounded(pooled), rounded(without), rounded(trend)


def judge(profiles: Iterable[PeriodProfile], rules: Rules = RULES) -> None:
    """Set percentile and the verdicts on each profile (in place).

    The percentile is the share of the other analysed people whose index is lower (ties count
    half), so it does not depend on their order.
    """
    items = list(profiles)
    values = sorted(p.index for p in items)
    n = len(values)
    for p in items:
        lower = bisect.bisect_left(values, p.index)
        equal = bisect.bisect_right(values, p.index) - lower
        p.percentile = round((lower + 0.5 * (equal - 1)) / (n - 1), 6) if n > 1 else 1.0
        t = p.total
        p.evidence_ok = t.spontaneous >= rules.min_spontaneous and t.rippling_shares >= rules.min_rippling_shares
        p.strong = p.index >= rules.strong_index
        p.spontaneous_enough = t.spontaneity_rate >= rules.min_spontaneity
        p.consistent = len(p.series) < 2 or p.index_without_best >= rules.consistency_floor
        p.rising = len(p.series) >= rules.min_trend_workshops and p.trend >= rules.rising_slope
        p.new = p.joined_later and 0 < p.workshops_ever <= rules.new_max_workshops


def rank_key(p: PeriodProfile) -> tuple[float, float, str]:
    """By influence index, then by trend; the id breaks ties, so the order is stable."""
    return (-p.index, -p.trend, p.person)


__all__ = [
    "COMPONENTS",
    "PIECE_COLUMNS",
    "RIPPLE_WINDOW_S",
    "RULES",
    "WEIGHTS",
    "Batch",
    "Link",
    "PeriodProfile",
    "Piece",
    "Point",
    "Profile",
    "Result",
    "Rules",
    "Share",
    "Summary",
    "Weights",
    "WorkshopAnalysis",
    "analyse_workshop",
    "combine",
    "judge",
    "make_batch",
    "periods",
    "rank_key",
    "ripple_links",
    "run",
    "smoothed_rate",
    "trend_slope",
    "workshop_of",
]
