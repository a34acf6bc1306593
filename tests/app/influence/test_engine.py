"""The influence engine on hand-made rows: ripple rules, reach, scores, and their invariants."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.influence.batch import Share
from app.influence.engine import smoothed_rate
from app.influence.params import RULES, WEIGHTS
from app.influence.workshop import Link, WorkshopAnalysis, analyse_workshop, ripple_links

W = "w"


def s(cid: str, who: str, t: float, *, spont: bool = True, item: str | None = "i1", kind: str = "story",
      builds: str | None = None) -> Share:
    return Share(cid, W, item, who, 1_800_000_000 + t, spont, kind, builds)


def pairs(links: list[Link]) -> set[tuple[str, str, bool]]:
    return {(x.source, x.target, x.explicit) for x in links}


def test_explicit_link_counts_whatever_the_time_and_item() -> None:
    rows = [s("a", "ana", 0), s("b", "ben", 900, item="i2", spont=False, builds="a")]
    assert pairs(ripple_links(rows, {})) == {("a", "b", True)}


def test_building_on_yourself_is_not_a_ripple() -> None:
    rows = [s("a", "ana", 0), s("b", "ana", 10, builds="a")]
    assert ripple_links(rows, {}) == []


def test_inferred_window_is_strict_after_and_inclusive_at_the_end() -> None:
    rows = [s("a", "ana", 0), s("same", "ben", 0), s("in", "cy", 120), s("out", "dee", 120.001)]
    got = pairs(ripple_links(rows, {}))
    assert ("a", "in", False) in got
    assert ("a", "same", False) not in got  # at the same instant nobody can tell who was first
    assert not any(t == "out" and src == "a" for src, t, _x in got)


def test_only_spontaneous_shares_set_others_off_by_inference() -> None:
    rows = [s("a", "ana", 0, spont=False), s("b", "ben", 30)]
    assert ripple_links(rows, {}) == []


def test_a_prompted_share_is_nobodys_inferred_ripple_but_can_be_an_explicit_one() -> None:
    """Called on by the trainer a second after Ana spoke, Ben answered the prompt, not Ana."""
    rows = [s("a", "ana", 0), s("b", "ben", 1, spont=False)]
    assert ripple_links(rows, {}) == []
    rows = [s("a", "ana", 0), s("b", "ben", 1, spont=False, builds="a")]
    assert pairs(ripple_links(rows, {})) == {("a", "b", True)}


def test_other_agenda_item_or_group_is_not_set_off() -> None:
    rows = [s("a", "ana", 0, item="i1"), s("b", "ben", 30, item="i2"), s("c", "cy", 40, item="i1")]
    groups = {"i1": [["ana", "dee"], ["cy"]]}
    assert ripple_links(rows, groups) == []


def test_people_outside_every_group_share_one_group() -> None:
    rows = [s("a", "ana", 0), s("b", "ben", 30), s("c", "cy", 40)]
    groups = {"i1": [["dee", "eve"]]}
    got = pairs(ripple_links(rows, groups))
    assert {("a", "b", False), ("a", "c", False), ("b", "c", False)} == got


def test_explicit_link_replaces_inference_and_credit_is_shared() -> None:
    rows = [s("a", "ana", 0), s("b", "ben", 10), s("c", "cy", 20), s("d", "dee", 30, builds="b")]
    links = ripple_links(rows, {})
    by = {(x.source, x.target): x for x in links}
    assert by[("b", "d")].explicit and by[("b", "d")].credit == 1.0
    assert ("a", "d") not in by and ("c", "d") not in by  # d said what it built on
    assert by[("a", "c")].credit == pytest.approx(0.5) and by[("b", "c")].credit == pytest.approx(0.5)


def test_reach_counts_people_first_and_second_order() -> None:
    rows = [
        s("a", "ana", 0), s("b1", "ben", 500, builds="a"), s("b2", "ben", 900, builds="a"),
        s("c", "cy", 1500, builds="b1"), s("a2", "ana", 2000, builds="c"),
    ]
    w = analyse_workshop(W, rows, {})
    ana = w.profiles["ana"]
    assert ana.reach_first == frozenset({"ben"})
    assert ana.reach_second == frozenset({"cy"})  # through Ben; Ana herself never counts
    assert ana.explicit_ripples == 2 and ana.rippling_shares == 1
    assert w.profiles["ben"].reach_second == frozenset({"ana"})


def test_first_mover_and_counts() -> None:
    rows = [s("p", "ben", 0, spont=False), s("a", "ana", 5), s("b", "ben", 6), s("f", "cy", 2000, kind="failure"),
            s("x", "dee", 3000, item="i2", spont=False), s("y", "dee", 3100, item="i2")]
    w = analyse_workshop(W, rows, {}, present=["eve"])
    assert w.first_movers == {"i1": "a", "i2": "y"}
    assert w.profiles["ana"].first_moves == 1 and w.profiles["dee"].first_moves == 1
    assert w.profiles["ben"].spontaneous == 1 and w.profiles["ben"].prompted == 1
    assert w.profiles["cy"].failures == 1 and w.profiles["cy"].spontaneous_failures == 1
    assert w.profiles["eve"].contributions == 0 and w.profiles["eve"].score == 0


def test_smoothed_spontaneity_rate() -> None:
    assert smoothed_rate(0, 0) == 0.5
    assert smoothed_rate(1, 1) == pytest.approx(3 / 5)
    assert smoothed_rate(20, 20) == pytest.approx(22 / 24)


def test_score_is_the_sum_of_its_components_and_index_is_over_the_median() -> None:
    rows = [s("a", "ana", 0), s("b", "ben", 30, builds="a"), s("c", "cy", 60)]
    w = analyse_workshop(W, rows, {}, clips={"ana": 1}, reactions={"ana": 2})
    for p in w.profiles.values():
        assert p.score == pytest.approx(sum(p.components.values()), abs=1e-5)
    scores = sorted(p.score for p in w.profiles.values())
    assert w.room_median == pytest.approx(scores[1])
    ana = w.profiles["ana"]
    assert ana.components["clips"] == WEIGHTS.clip and ana.components["reactions"] == 2 * WEIGHTS.reaction
    assert ana.index == pytest.approx(ana.score / max(w.room_median, RULES.min_room_median), abs=1e-5)


def test_centrality_is_pagerank_as_networkx_computes_it() -> None:
    rows = [s("a", "ana", 0), s("b", "ben", 30, builds="a"), s("c", "cy", 50), s("d", "dee", 400),
            s("e", "eve", 420, builds="d"), s("f", "ana", 700, builds="e")]
    w = analyse_workshop(W, rows, {})
    g = nx.DiGraph()
    g.add_nodes_from(sorted(w.profiles))
    for x in w.links:
        value = WEIGHTS.explicit_ripple if x.explicit else WEIGHTS.inferred_ripple * x.credit
        old = g.get_edge_data(x.target_person, x.source_person, {"weight": 0.0})["weight"]
        g.add_edge(x.target_person, x.source_person, weight=old + value)
    nodes = sorted(g)
    m = np.asarray(nx.google_matrix(g, alpha=RULES.pagerank_alpha, nodelist=nodes, weight="weight"))
    r = np.full(len(nodes), 1 / len(nodes))
    for _ in range(500):
        r = r @ m
    for n, v in zip(nodes, r / r.sum() * len(nodes), strict=True):
        assert w.profiles[n].centrality == pytest.approx(v, abs=1e-5)


# ---------------------------------------------------------------- properties

PEOPLE = ("ana", "ben", "cy", "dee", "eve")


@st.composite
def workshops(draw: st.DrawFn) -> tuple[list[Share], dict[str, list[list[str]]]]:
    n = draw(st.integers(0, 22))
    rows: list[Share] = []
    for i in range(n):
        builds = None
        if rows and draw(st.booleans()):
            builds = draw(st.sampled_from([r.id for r in rows]))
        rows.append(Share(
            f"c{i:02d}", W, draw(st.sampled_from(["i1", "i2", None])), draw(st.sampled_from(PEOPLE)),
            1_800_000_000 + draw(st.integers(0, 900)), draw(st.booleans()),
            draw(st.sampled_from(["story", "tip", "failure"])), builds,
        ))
    groups = {}
    if draw(st.booleans()):
        groups["i1"] = [["ana", "ben"], ["cy", "dee"]]
    return rows, groups


def _snapshot(w: WorkshopAnalysis) -> dict[str, tuple[object, ...]]:
    return {
        p: (prof.score, prof.index, prof.reach_first, prof.reach_second, prof.explicit_ripples,
            prof.inferred_credit, prof.centrality, prof.first_moves, tuple(sorted(prof.components.items())))
        for p, prof in w.profiles.items()
    }


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workshops(), st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_row_order(data: tuple[list[Share], dict[str, list[list[str]]]],
                                           rnd: random.Random) -> None:
    rows, groups = data
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a = analyse_workshop(W, rows, groups, present=PEOPLE)
    b = analyse_workshop(W, shuffled, groups, present=tuple(reversed(PEOPLE)))
    assert _snapshot(a) == _snapshot(b)
    assert sorted(a.links) == sorted(b.links)
    assert a.first_movers == b.first_movers


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workshops(), st.integers(0, 10_000), st.sampled_from(PEOPLE), st.booleans(), st.integers(1, 119))
def test_adding_a_ripple_never_lowers_reach(data: tuple[list[Share], dict[str, list[list[str]]]], pick: int,
                                            follower: str, explicit: bool, gap: int) -> None:
    rows, groups = data
    sources = [r for r in rows if explicit or r.spontaneous]
    if not sources:
        return
    target = sources[pick % len(sources)]
    if follower == target.person:
        return
    if not explicit:
        # an inferred ripple: same item, same group, inside the window
        where = {p: gi for gi, g in enumerate(groups.get(target.item or "", [])) for p in g}
        if where.get(follower, -1) != where.get(target.person, -1):
            return
    new = Share("zz-new", W, target.item, follower, target.t + gap, True, "story",
                target.id if explicit else None)
    before = analyse_workshop(W, rows, groups, present=PEOPLE).profiles[target.person]
    after = analyse_workshop(W, [*rows, new], groups, present=PEOPLE).profiles[target.person]
    assert before.reach_first <= after.reach_first
    assert before.reach_first | before.reach_second <= after.reach_first | after.reach_second
    assert follower in after.reach_first
