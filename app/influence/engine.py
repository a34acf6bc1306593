"""The influence engine: ripple attribution, cascades and each present person's score.

Vocabulary (PRODUCT.md): contribution B is a *ripple* of A when B explicitly builds on A, or —
inferred — B comes from another participant in the same agenda item and group within the
ripple window after a spontaneous A. A ripple of a ripple is second-order reach.

:func:`run` is a short pipeline of named stages, each a function of plain arrays:

1. ``ripples.order_rows`` — rows in canonical order (workshop, time, id), so input order never matters;
2. ``ripples.find_links`` — explicit links, then inferred ones with shared credit;
3. ``ripples.presence`` — who was in each room (roster, contributions, clips, reactions);
4. :func:`count_signals` — per presence: shares, first moves, ripples, clips, reactions;
5. ``network.reach`` — distinct people set off, first and second order (per-room bitmasks);
6. ``network.network_position`` — PageRank on each room's who-sets-off-whom graph;
7. :func:`points` — the raw score's components (:data:`COMPONENTS`), weighted;
8. :func:`against_the_room` — the score, the room's typical score and the index.

It is pure computation over plain columns (numpy only: no store, no Qt), so the live panel,
the workshop dashboard and the L&D export share one implementation and give the same numbers
on SQLite and PostgreSQL. ``tests/app/influence/reference.py`` is the same method written
as plain loops; a property test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from app.influence.batch import Batch
from app.influence.network import Reach, network_position, reach
from app.influence.params import RIPPLE_WINDOW_S, RULES, WEIGHTS, Rules, Weights
from app.influence.ripples import Links, Presence, Rows, find_links, order_rows, presence

_I64 = np.int64

#: A presence's numbers, in the order a :class:`app.influence.summary.Piece` stores them: the
#: metrics (the first ``len(INT_METRICS)`` are whole numbers), then the score's components.
INT_METRICS = (
    "contributions", "spontaneous", "prompted", "failures", "spontaneous_failures", "first_moves",
    "explicit_ripples", "inferred_ripples", "rippling_shares", "clips", "reactions", "rostered",
)
FLOAT_METRICS = ("inferred_credit", "centrality", "spontaneity_rate", "score", "room", "index")

COMPONENTS = (
    "explicit ripples", "inferred ripples", "people set off", "second-order reach", "first moves",
    "spontaneous shares", "prompted shares", "spontaneity", "failure stories", "clips", "reactions",
    "network position",
)
"""The raw score's parts, in the order they are shown; their sum is the raw score."""


@dataclass
class Signals:
    """One entry per (workshop, present person): its metrics, score components and whom it
    set off. What a run and a period's :class:`app.influence.summary.Summary` share."""

    pres_ws: np.ndarray  # presence entries, sorted by (workshop, person)
    pres_person: np.ndarray
    metrics: dict[str, np.ndarray]
    components: dict[str, np.ndarray]
    pairs1: np.ndarray  # presence * P + person set off (first order)
    pairs_x: np.ndarray  # the same, explicit links only
    pairs2: np.ndarray  # presence * P + person set off in the second order (not first)


@dataclass
class Result(Signals):
    """Everything :func:`run` computed: rows in canonical order (workshop, time, id), the ripple
    links between them, and (as :class:`Signals`) one entry per (workshop, present person)."""

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
    rows = order_rows(b)
    links = find_links(rows, len(b.items), window_s)
    room = presence(rows, b)
    counts = count_signals(rows, links, room, b)
    people = reach(links, room)
    centrality = network_position(rows, links, room, weights, rules)
    components, rate = points(counts, people, centrality, weights, rules)
    scored = against_the_room(components, room, rules)
    metrics = {
        "contributions": counts.contributions.astype(_I64),
        "spontaneous": counts.spontaneous.astype(_I64),
        "prompted": counts.prompted.astype(_I64),
        "failures": counts.failures.astype(_I64),
        "spontaneous_failures": counts.spontaneous_failures.astype(_I64),
        "first_moves": counts.first_moves.astype(_I64),
        "explicit_ripples": counts.explicit_ripples.astype(_I64),
        "inferred_ripples": counts.inferred_ripples.astype(_I64),
        "inferred_credit": np.round(counts.inferred_credit, 6),
        "rippling_shares": counts.rippling_shares.astype(_I64),
        "clips": counts.clips.astype(_I64),
        "reactions": counts.reactions.astype(_I64),
        "rostered": room.rostered,
        "centrality": centrality,
        "spontaneity_rate": rate,
        "score": scored.score,
        "room": scored.room,
        "index": scored.index,
        "median": scored.median,  # per workshop, not per presence
    }
    return Result(
        batch=b, order=rows.order, ws=rows.ws, item=rows.item, person=rows.person, t_ms=rows.t_ms,
        spont=rows.spont, failure=rows.failure, ids=rows.ids, src=links.src, dst=links.dst,
        explicit=links.explicit, credit=links.credit, first_rows=counts.first_rows,
        pres_ws=room.ws, pres_person=room.person, metrics=metrics, components=components,
        pairs1=people.pairs1, pairs_x=people.pairs_x, pairs2=people.pairs2,
    )


@overload
def smoothed_rate(spontaneous: int, total: int, rules: Rules = ...) -> float: ...
@overload
def smoothed_rate(spontaneous: np.ndarray, total: np.ndarray, rules: Rules = ...) -> np.ndarray: ...
def smoothed_rate(spontaneous: Any, total: Any, rules: Rules = RULES) -> Any:
    """Spontaneity rate pulled towards ``prior_rate`` for small samples (a Beta prior); for one
    person or, element by element, for arrays of them."""
    return (spontaneous + rules.prior_rate * rules.prior_strength) / (total + rules.prior_strength)

# ---------------------------------------------------------------- 4. counts per presence


@dataclass
class Counts:
    """Per presence entry (floats, as ``np.bincount`` gives them), and the first movers' rows."""

    contributions: np.ndarray
    spontaneous: np.ndarray
    prompted: np.ndarray
    failures: np.ndarray
    spontaneous_failures: np.ndarray
    first_moves: np.ndarray
    first_rows: np.ndarray  # the canonical row that opened each agenda item
    explicit_ripples: np.ndarray
    inferred_ripples: np.ndarray
    inferred_credit: np.ndarray
    rippling_shares: np.ndarray
    clips: np.ndarray
    reactions: np.ndarray


def count_signals(rows: Rows, links: Links, room: Presence, b: Batch) -> Counts:
    """Shares by initiative and kind, first moves, ripples received, clips and reactions."""
    m = len(room)
    ridx = room.of_row

    def count(idx: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(idx, weights=w, minlength=m)[:m]

    contributions = count(ridx)
    spontaneous = count(ridx[rows.spont])
    # the first spontaneous share of each agenda item (ties: the earlier canonical row)
    pos = np.arange(len(rows), dtype=_I64)
    fm = np.nonzero(rows.spont & (rows.item >= 0))[0]
    fm = fm[np.lexsort((pos[fm], rows.item[fm]))]
    _fi, first_at = np.unique(rows.item[fm], return_index=True)
    first_rows = fm[first_at]
    sidx = ridx[links.src]
    inferred = ~links.explicit
    clips = np.zeros(m)
    reacts = np.zeros(m)
    for (w, p), v in b.clips.items():
        clips[room.entry(w, p)] += v
    for (w, p), v in b.reactions.items():
        reacts[room.entry(w, p)] += v
    return Counts(
        contributions=contributions,
        spontaneous=spontaneous,
        prompted=contributions - spontaneous,
        failures=count(ridx[rows.failure]),
        spontaneous_failures=count(ridx[rows.failure & rows.spont]),
        first_moves=count(ridx[first_rows]),
        first_rows=first_rows,
        explicit_ripples=count(sidx[links.explicit]),
        inferred_ripples=count(sidx[inferred]),
        inferred_credit=count(sidx[inferred], links.credit[inferred]),
        rippling_shares=count(ridx[np.unique(links.src)]),
        clips=clips,
        reactions=reacts,
    )

# ---------------------------------------------------------------- 7. points


def points(
    counts: Counts, people: Reach, centrality: np.ndarray, weights: Weights, rules: Rules
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The raw score's components per presence (rounded to 6 places), and the smoothed
    spontaneity rate they use."""
    rate = smoothed_rate(counts.spontaneous, counts.contributions, rules)
    parts = {
        "explicit ripples": weights.explicit_ripple * counts.explicit_ripples,
        "inferred ripples": weights.inferred_ripple * counts.inferred_credit,
        "people set off": weights.reach_explicit * people.explicit + weights.reach_inferred * (people.first - people.explicit),
        "second-order reach": weights.second_order_reach * people.second,
        "first moves": weights.first_mover * counts.first_moves,
        "spontaneous shares": weights.spontaneous * counts.spontaneous,
        "prompted shares": weights.prompted * counts.prompted,
        "spontaneity": np.where(counts.contributions > 0, weights.spontaneity * rate, 0.0),
        "failure stories": weights.failure * counts.spontaneous_failures,
        "clips": weights.clip * counts.clips,
        "reactions": weights.reaction * counts.reactions,
        "network position": weights.centrality * np.maximum(0.0, centrality - 1.0),
    }
    return {k: np.round(v.astype(np.float64), 6) for k, v in parts.items()}, rate


# ---------------------------------------------------------------- 8. against the room


@dataclass
class Scored:
    score: np.ndarray  # per presence: the sum of the components
    median: np.ndarray  # per workshop: the median score of its present people
    room: np.ndarray  # per presence: their room's median, floored
    index: np.ndarray  # per presence: score over room


def against_the_room(components: dict[str, np.ndarray], room: Presence, rules: Rules) -> Scored:
    """The raw score, and the index: the score over the room's typical score (the median of
    the workshop's present people, floored at ``min_room_median``)."""
    m = len(room)
    score = np.zeros(m)
    for name in COMPONENTS:
        score = score + components[name]
    score = np.round(score, 6)
    by_score = np.lexsort((score, room.ws))
    sorted_score = score[by_score]
    n_w = np.bincount(room.ws, minlength=room.n_ws)
    w_start = np.cumsum(n_w) - n_w
    safe = np.maximum(n_w, 1)
    lo_i = np.minimum(w_start + (safe - 1) // 2, max(m - 1, 0))
    hi_i = np.minimum(w_start + safe // 2, max(m - 1, 0))
    median = np.where(n_w > 0, (sorted_score[lo_i] + sorted_score[hi_i]) / 2 if m else 0.0, 0.0)
    room_score = np.round(np.maximum(median, rules.min_room_median)[room.ws], 6)
    index = np.round(score / room_score, 6) if m else np.zeros(0)
    return Scored(score=score, median=np.round(median, 6), room=room_score, index=index)
