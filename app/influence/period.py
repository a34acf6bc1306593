"""Across workshops: each person's workshops summed into one profile, their series, the trend
and the verdicts (candidate, emerging) that ``docs/influence.md`` section 4 defines."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from app.influence.engine import COMPONENTS, smoothed_rate
from app.influence.params import RULES, Rules
from app.influence.summary import Summary, people_sets
from app.influence.workshop import Profile

_I64 = np.int64


def trend_slope(values: Sequence[float]) -> float:
    """Least-squares slope per workshop (0.0 for fewer than two points): the plain formula
    :func:`periods` computes for everyone at once."""
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


_SUMMED = (
    "contributions", "spontaneous", "prompted", "failures", "spontaneous_failures", "first_moves",
    "explicit_ripples", "inferred_ripples", "rippling_shares", "clips", "reactions",
)


def periods(s: Summary, rules: Rules = RULES, *, people: Iterable[str] | None = None) -> dict[str, PeriodProfile]:
    """Each person's workshops of a summary summed into one profile (optionally only ``people``).

    Reach over a period counts distinct people across all the person's workshops. Sums run
    over each person's workshops in time order, the same order on every backend.
    """
    wanted = None if people is None else set(people)
    totals = _Totals(s, rules)
    # presence entries by person, each person's in time order (start, then workshop id)
    w_order = sorted(range(len(s.workshops)), key=lambda w: (s.starts[w], s.workshops[w]))
    w_rank = np.empty(len(s.workshops), dtype=_I64)
    w_rank[np.asarray(w_order, dtype=_I64)] = np.arange(len(w_order), dtype=_I64)
    by = np.lexsort((w_rank[s.pres_ws] if len(s.pres_ws) else s.pres_ws, s.pres_person))
    owners = s.pres_person[by]
    bounds = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(by) else np.zeros(0, _I64)
    ends = np.r_[bounds[1:], len(by)].astype(_I64) if len(by) else bounds
    m = s.metrics
    ws_sorted = s.pres_ws[by].tolist()
    index_arr, score_arr, room_arr = m["index"][by], m["score"][by], m["room"][by]
    index_sorted, score_sorted, room_sorted = index_arr.tolist(), score_arr.tolist(), room_arr.tolist()
    pooled, without_best, trends = _per_person_series(owners, bounds, ends, index_arr, score_arr, room_arr, rules)
    out: dict[str, PeriodProfile] = {}
    for k, (p, lo, hi) in enumerate(zip(owners[bounds].tolist(), bounds.tolist(), ends.tolist(), strict=True)):
        pid = s.people[p]
        if wanted is not None and pid not in wanted:
            continue
        series = [
            Point(s.workshops[w], s.starts[w], x, sc, rm)
            for w, x, sc, rm in zip(
                ws_sorted[lo:hi], index_sorted[lo:hi], score_sorted[lo:hi], room_sorted[lo:hi], strict=True
            )
        ]
        total = totals(p)
        total.index = pooled[k]
        out[pid] = PeriodProfile(
            person=pid, total=total, series=series, index=pooled[k], index_without_best=without_best[k],
            trend=trends[k],
        )
    return out


class _Totals:
    """Everyone's signals summed over their presence entries, as one :class:`Profile` each
    (computed for all people at once, built per person on request)."""

    def __init__(self, s: Summary, rules: Rules) -> None:
        n_all = len(s.people)
        n_people = max(n_all, 1)
        m = s.metrics

        def person_level(pairs: np.ndarray) -> np.ndarray:
            return _unique(s.pres_person[pairs // n_people] * n_people + pairs % n_people)

        def per_person(values: np.ndarray) -> np.ndarray:
            return np.bincount(s.pres_person, weights=values.astype(np.float64), minlength=n_all)

        self.s, self.rules = s, rules
        self.first = people_sets(person_level(s.pairs1), s.people, 0, n_all)
        self.expl = people_sets(person_level(s.pairs_x), s.people, 0, n_all)
        self.second = people_sets(person_level(s.pairs2), s.people, 0, n_all)
        self.ints = {name: np.rint(per_person(m[name])).astype(_I64).tolist() for name in _SUMMED}
        self.credit = np.round(per_person(m["inferred_credit"]), 6).tolist()
        self.score = np.round(per_person(m["score"]), 6).tolist()
        self.room = np.round(per_person(m["room"]), 6).tolist()
        counts = np.bincount(s.pres_person, minlength=n_all)
        self.centrality = [round(x, 6) for x in (per_person(m["centrality"]) / np.maximum(counts, 1)).tolist()]
        self.components = {k: np.round(per_person(s.components[k]), 6).tolist() for k in COMPONENTS}

    def __call__(self, p: int) -> Profile:
        pid = self.s.people[p]
        ints = self.ints
        reach_first = self.first.get(p, frozenset())
        return Profile(
            pid,
            **{name: ints[name][p] for name in _SUMMED},
            inferred_credit=self.credit[p],
            reach_first=reach_first,
            reach_explicit=self.expl.get(p, frozenset()),
            reach_second=self.second.get(p, frozenset()) - reach_first - {pid},
            centrality=self.centrality[p],
            spontaneity_rate=smoothed_rate(ints["spontaneous"][p], ints["contributions"][p], self.rules),
            score=self.score[p],
            room=self.room[p],
            components={k: self.components[k][p] for k in COMPONENTS},
        )


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort, cheaper here than ``np.unique``'s hashing)."""
    v = np.sort(values)
    return v[np.r_[True, v[1:] != v[:-1]]] if len(v) else v


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
