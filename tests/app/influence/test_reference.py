"""The staged, vectorised engine computes what the plain reference (``reference.py``) does,
on random workshops: links, first movers, every person's signals and score, and the period."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.influence.batch import make_batch
from app.influence.engine import COMPONENTS, run
from app.influence.period import periods
from app.influence.summary import summarise
from app.influence.workshop import Profile, workshop_of
from tests.app.influence import reference

PEOPLE = ("ana", "ben", "cy", "dee", "eve")
CLOSE = 2e-5  # the engine rounds each component to six places, the reference does not


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n_ws = draw(st.integers(1, 3))
    workshops = [f"w{i}" for i in range(n_ws)]
    starts = {w: draw(st.sampled_from([0.0, 3600.0, 7200.0])) for w in workshops}  # ties: by id
    row = st.tuples(
        st.sampled_from(workshops), st.sampled_from(["a", "b", None]), st.sampled_from(PEOPLE),
        st.integers(0, 400_000), st.booleans(), st.booleans(), st.integers(-1, 30), st.integers(0, 5),
    )
    rows: list[reference.Row] = []
    for i, (w, item, who, t_ms, spont, failure, builds, same) in enumerate(draw(st.lists(row, max_size=24))):
        if rows and same == 0:
            t_ms = rows[-1].t_ms  # now and then at the very same millisecond as the row before
        # builds on an earlier row (or on itself, or on one that is not there), or on none
        target = None if builds < 0 else f"c{builds:02d}" if builds <= i else "gone" if builds > 25 else None
        rows.append(reference.Row(f"c{i:02d}", w, f"{w}-{item}" if item else None, who, t_ms, spont, failure,
                                  target))
    groups: dict[str, list[list[str]]] = {}
    for w in workshops:
        if draw(st.booleans()):
            groups[f"{w}-a"] = draw(st.lists(st.lists(st.sampled_from((*PEOPLE, "zed")), max_size=3), max_size=3))
    present = draw(st.sets(st.tuples(st.sampled_from(workshops), st.sampled_from((*PEOPLE, "fay")))))
    clips = draw(st.dictionaries(st.tuples(st.sampled_from(workshops), st.sampled_from(PEOPLE)), st.integers(1, 3)))
    reactions = draw(st.dictionaries(st.tuples(st.sampled_from(workshops), st.sampled_from((*PEOPLE, "gil"))),
                                     st.integers(1, 3)))
    return {
        "workshops": workshops, "starts": starts, "rows": rows, "groups": groups, "present": present,
        "clips": clips, "reactions": reactions, "window_s": draw(st.sampled_from([60.0, 120.0, 300.0])),
    }


def _engine(sc: dict[str, Any]) -> Any:
    rows: list[reference.Row] = sc["rows"]
    b = make_batch(
        workshops=[(w, sc["starts"][w]) for w in sc["workshops"]],
        ids=[r.id for r in rows],
        ws=[r.workshop for r in rows],
        item=[r.item for r in rows],
        person=[r.person for r in rows],
        t_ms=np.asarray([r.t_ms for r in rows], dtype=np.int64),
        spontaneous=[r.spontaneous for r in rows],
        kind_failure=[r.failure for r in rows],
        builds_on=[r.builds_on for r in rows],
        groups=sc["groups"],
        present=sorted(sc["present"]),
        clips=sc["clips"],
        reactions=sc["reactions"],
    )
    return run(b, window_s=sc["window_s"])


def _rooms(sc: dict[str, Any]) -> dict[str, reference.Room]:
    return {
        w: reference.analyse_room(
            w, sc["rows"], sc["groups"],
            present=[p for x, p in sc["present"] if x == w],
            clips={p: n for (x, p), n in sc["clips"].items() if x == w},
            reactions={p: n for (x, p), n in sc["reactions"].items() if x == w},
            window_s=sc["window_s"],
        )
        for w in sc["workshops"]
    }


def _same_signals(got: Profile, want: reference.Signals) -> None:
    for name in ("contributions", "spontaneous", "prompted", "failures", "spontaneous_failures", "first_moves",
                 "explicit_ripples", "inferred_ripples", "rippling_shares", "clips", "reactions"):
        assert getattr(got, name) == getattr(want, name), name
    assert got.reach_first == want.reach_first
    assert got.reach_explicit == want.reach_explicit
    assert got.reach_second == want.reach_second
    for name in ("inferred_credit", "centrality", "spontaneity_rate", "score", "room", "index"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), abs=CLOSE), name
    for k in COMPONENTS:
        assert got.components[k] == pytest.approx(want.components[k], abs=CLOSE), k


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_workshop_is_what_the_reference_computes(sc: dict[str, Any]) -> None:
    result = _engine(sc)
    rooms = _rooms(sc)
    for w, want in rooms.items():
        got = workshop_of(result, result.batch.workshops.index(w))
        assert {(x.source, x.target, x.explicit) for x in got.links} == {
            (x.source, x.target, x.explicit) for x in want.links}
        credit = {(x.source, x.target): x.credit for x in want.links}
        for x in got.links:
            assert x.credit == pytest.approx(credit[(x.source, x.target)])
        assert got.first_movers == want.first_movers
        assert got.room_median == pytest.approx(want.median, abs=CLOSE)
        assert set(got.profiles) == set(want.people)
        for p, prof in got.profiles.items():
            _same_signals(prof, want.people[p])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_a_period_is_what_the_reference_pools(sc: dict[str, Any]) -> None:
    got = periods(summarise(_engine(sc)))
    want = reference.period(_rooms(sc), sc["starts"])
    assert set(got) == set(want)
    for p, pp in got.items():
        ref = want[p]
        _same_signals(pp.total, ref.total)
        assert [x.workshop for x in pp.series] == [w for w, _x in ref.series]
        assert [x.index for x in pp.series] == pytest.approx([x for _w, x in ref.series], abs=CLOSE)
        assert pp.index == pytest.approx(ref.index, abs=CLOSE)
        assert pp.index_without_best == pytest.approx(ref.index_without_best, abs=CLOSE)
        assert pp.trend == pytest.approx(ref.trend, abs=CLOSE)
