"""One workshop of a run as plain objects: its shares, the ripple links, each person's profile.

The dashboards and the worked example in ``docs/influence.md`` read these; a period's report
works on :class:`app.influence.summary.Summary` instead and builds the same :class:`Profile`
summed over the period (:mod:`app.influence.period`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from app.influence.batch import Groups, Share, make_batch
from app.influence.engine import COMPONENTS, Result, run
from app.influence.params import RIPPLE_WINDOW_S, RULES, WEIGHTS, Rules, Weights
from app.influence.summary import people_sets


class Link(NamedTuple):
    """Contribution ``target`` is a ripple of ``source``."""

    source: str
    target: str
    source_person: str
    target_person: str
    explicit: bool
    credit: float  # 1.0 for an explicit link, 1/k when k shares could have set it off


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


@dataclass
class WorkshopAnalysis:
    """One workshop: its shares, the links, each present person's profile, who opened items."""

    workshop: str
    shares: list[Share]
    links: list[Link]
    profiles: dict[str, Profile]
    first_movers: dict[str, str]  # agenda item -> contribution id
    room_median: float


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
    first = people_sets(r.pairs1, people, lo, hi)
    expl = people_sets(r.pairs_x, people, lo, hi)
    second = people_sets(r.pairs2, people, lo, hi)
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
    out = workshop_of(r, 0, [kinds[str(i)] for i in r.ids])
    by_id = {s.id: s for s in rows}
    out.shares = [by_id[s.id] for s in out.shares]
    return out


def ripple_links(
    shares: Sequence[Share], groups: Groups, *, window_s: float = RIPPLE_WINDOW_S
) -> list[Link]:
    """Every ripple link among one workshop's shares (see :func:`app.influence.engine.run`
    for the rules)."""
    workshop = shares[0].workshop if shares else ""
    return analyse_workshop(workshop, shares, groups, window_s=window_s).links
