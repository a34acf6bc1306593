"""Scenarios with a known ground truth, imported as portable workshop files, on SQLite and on
PostgreSQL: who ranks where, who is a candidate, who is emerging, and what never shows."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import RippleError
from app.insights.evidence import evidence
from app.insights.loading import Scope
from app.insights.people import ANONYMOUS, ERASED
from app.insights.period import report
from app.insights.workshop import analysable_workshops, workshop_insights
from app.live import LiveWorkshop
from app.planning.workshops import create_workshop, delete_workshop
from db.models import Participant
from db.store import Store
from db.types import utcnow
from tests.helpers.insights import START, Cast, Line, load_into, quiet_and_loud, workshop


def test_quiet_ripple_starter_outranks_loud_prompted_talker(store: Store, tmp_path: Path) -> None:
    cast, d = quiet_and_loud()
    (wid,) = load_into(store, tmp_path, d)
    wi = workshop_insights(store, wid)
    order = [r.person.label for r in wi.ranking]
    assert order.index("Quinn Quiet") < order.index("Lou Loud")
    quinn = wi.profiles[cast.id("Q")]
    lou = wi.profiles[cast.id("L")]
    assert lou.contributions > 3 * quinn.contributions  # Lou really is the loud one
    assert quinn.explicit_ripples == 8 and quinn.reach_explicit == {str(cast.id("A")), str(cast.id("B"))}
    assert lou.rippling_shares == 0 and lou.explicit_ripples == 0
    rep = report(store)
    cands = [c.person.label for c in rep.candidates]
    assert "Quinn Quiet" in cands and "Lou Loud" not in cands
    ranked = [c.person.label for c in rep.ranking]
    assert ranked.index("Quinn Quiet") < ranked.index("Lou Loud")


def test_one_lucky_share_is_not_a_candidate(store: Store, tmp_path: Path) -> None:
    cast = Cast().add("R", "Rafa Lucky")
    script: list[Line] = [(3000, "R", "spontaneous", "story", None, "r")]
    script += [(3000 + 20 * i, k, "spontaneous", "tip", "r") for i, k in enumerate("ABCD", start=1)]
    script += [(3400, "R", "prompted", "tip", None)]
    cast, d = quiet_and_loud(cast, script)
    load_into(store, tmp_path, d)
    rep = report(store)
    rafa = next(c for c in rep.ranking if c.person.label == "Rafa Lucky")
    assert rafa.profile.explicit_ripples == 4 and rafa.profile.rippling_shares == 1
    assert rafa.period.strong  # the one share was big …
    assert not rafa.period.candidate and rafa.status == "not enough evidence"  # … but it is one share
    assert any("ripples from 1 share" in r for r in rafa.reasons)
    assert "Rafa Lucky" not in [c.person.label for c in rep.candidates]
    assert "Quinn Quiet" in [c.person.label for c in rep.candidates]


def _rising_cast() -> Cast:
    cast = Cast()
    for key, name in (("E", "Emma Rising"), ("P", "Pia Steady"), ("Q", "Quentin Steady"), ("R", "Rosa Steady"),
                      ("S", "Sam Steady"), ("T", "Tom Steady")):
        cast.add(key, name)
    return cast


def _rising_week(cast: Cast, week: int) -> dict[str, object]:
    """Week ``week`` (1..4): Emma shares ``week`` times and each share is built on ``week - 1``
    times; the others take part the same way every week."""
    script: list[Line] = []
    others = "PQRST"
    for n in range(week):
        t = 200 + n * 400
        script.append((t, "E", "spontaneous", "story", None, f"e{n}"))
        for j in range(week - 1):
            script.append((t + 20 + 10 * j, others[(n + j) % 5], "spontaneous", "tip", f"e{n}"))
    for i, k in enumerate(others):
        script.append((2000 + i * 200, k, "prompted", "story", None))
        script.append((3000 + i * 200, k, "spontaneous", "tip", None))
    return workshop(cast, script, day=7 * (week - 1), title=f"Week {week}", minutes=70)


def test_a_person_rising_over_four_workshops_is_emerging(store: Store, tmp_path: Path) -> None:
    cast = _rising_cast()
    load_into(store, tmp_path, *[_rising_week(cast, w) for w in (1, 2, 3, 4)])
    rep = report(store)
    emma = next(c for c in rep.ranking if c.person.label == "Emma Rising")
    values = [x.index for x in emma.period.series]
    assert len(values) == 4 and values == sorted(values)
    assert emma.period.rising and emma.period.candidate
    assert emma.status.startswith("emerging") and "rising" in emma.status
    assert rep.ranking[0].person.label == "Emma Rising"
    steady = [c for c in rep.ranking if c.person.label.endswith("Steady")]
    assert steady and not any(c.period.emerging for c in steady)
    # Looking only at the first two weeks she is not (yet) strong.
    early = report(store, Scope(until=START + timedelta(days=8)))
    emma_early = next(c for c in early.ranking if c.person.label == "Emma Rising")
    assert not emma_early.period.rising


def test_non_consenting_people_never_appear(store: Store, tmp_path: Path) -> None:
    cast, d = quiet_and_loud()
    cast.add("N", "Nora Private", analytics=False)
    script: list[Line] = []
    for n, t in enumerate((3000, 3400, 3800)):
        script.append((t, "N", "spontaneous", "story", None, f"n{n}"))
        script.append((t + 20, "A", "spontaneous", "tip", f"n{n}"))
        script.append((t + 40, "B", "spontaneous", "tip", f"n{n}"))
    script.append((3900, "Q", "spontaneous", "story", None, "q"))
    script.append((3920, "N", "spontaneous", "story", "q"))
    load_into(store, tmp_path, d, workshop(cast, script, day=1))
    rep = report(store)
    assert "Nora Private" not in [c.person.label for c in rep.ranking]
    assert rep.analysed == len(rep.ranking) + rep.silent + 1  # she still counts, anonymously
    quinn = next(c for c in rep.ranking if c.person.label == "Quinn Quiet")
    ev = evidence(store, rep, quinn.person.id)
    assert ev is not None
    labels = {p.label for p, _n in ev.set_off} | {p.label for e in ev.shares for p in (*e.explicit, *e.inferred)}
    assert "Nora Private" not in labels and ANONYMOUS in labels
    wid = uuid.UUID(list(rep.workshop_infos)[-1]) if rep.workshop_infos else None
    assert wid is not None
    wi = workshop_insights(store, wid)
    assert "Nora Private" not in [r.person.label for r in wi.ranking]
    assert cast.id("N") not in wi.evidence
    assert wi.unranked == 1


def test_erased_people_keep_counts_but_no_name(store: Store, tmp_path: Path) -> None:
    cast, d = quiet_and_loud()
    (wid,) = load_into(store, tmp_path, d)
    with store.write() as s:
        quinn = s.get(Participant, cast.id("Q"))
        assert quinn is not None
        quinn.erased_at = utcnow()
    wi = workshop_insights(store, wid)
    assert "Quinn Quiet" not in [p.label for p in wi.lanes]
    assert ERASED in [p.label for p in wi.lanes]
    assert wi.profiles[cast.id("Q")].explicit_ripples == 8  # the anonymous counts stay
    assert cast.id("Q") not in {r.person.id for r in wi.ranking}
    assert "Quinn Quiet" not in [c.person.label for c in report(store).ranking]


def test_tombstoned_rows_never_count(store: Store, tmp_path: Path) -> None:
    cast, d = quiet_and_loud()
    (wid,) = load_into(store, tmp_path, d)
    live = LiveWorkshop(store, wid)
    live.resume()  # the file's workshop is finished, so read-only until resumed
    first_q = next(c for c in live.contributions() if c.participant_id == cast.id("Q"))
    live.delete(first_q.id)
    wi = workshop_insights(store, wid)
    assert wi.profiles[cast.id("Q")].spontaneous == 3
    assert first_q.id not in {p.id for p in wi.points}
    delete_workshop(store, wid)
    assert report(store).workshops == 0


def test_same_numbers_on_sqlite_and_postgresql(store: Store, tmp_path: Path) -> None:
    cast = _rising_cast()
    docs = [_rising_week(cast, w) for w in (1, 2, 3, 4)]
    _qcast, qd = quiet_and_loud()
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        load_into(store, tmp_path, *docs, qd)
        load_into(other, tmp_path, *docs, qd)

        def numbers(s: Store) -> list[tuple[object, ...]]:
            rep = report(s)
            return [
                (c.person.label, c.status, c.period.index, c.period.trend, c.period.percentile,
                 c.profile.spontaneous, c.profile.prompted, c.profile.explicit_ripples, c.profile.inferred_credit,
                 c.profile.reach_first, c.profile.reach_second, c.profile.centrality,
                 tuple(x.index for x in c.period.series))
                for c in rep.ranking
            ]

        assert numbers(store) == numbers(other)
        wid = uuid.UUID(qd["workshop"]["id"])
        a, b = workshop_insights(store, wid), workshop_insights(other, wid)
        assert a.profiles == b.profiles
        assert a.edges == b.edges and a.equity == b.equity
    finally:
        other.close()


def test_team_filter_and_small_teams_are_suppressed(store: Store, tmp_path: Path) -> None:
    cast = Cast()
    for i in range(5):
        cast.add(f"B{i}", f"Big {i}", team="Big team")
    for i in range(3):
        cast.add(f"S{i}", f"Small {i}", team="Small team")
    script: list[Line] = []
    keys = list(cast.people)
    for n in range(20):
        who = keys[n % len(keys)]
        script.append((60 * n, who, "spontaneous" if n % 3 else "prompted", "story", None))
    load_into(store, tmp_path, workshop(cast, script))
    rep = report(store)
    teams = {t.team: t for t in rep.teams}
    assert teams["Small team"].suppressed and teams["Small team"].people == 0
    assert not teams["Big team"].suppressed and teams["Big team"].people == 5
    only_small = report(store, Scope(team="small TEAM"))
    assert {c.person.team for c in only_small.ranking} == {"Small team"}
    with pytest.raises(RippleError, match="no team"):
        report(store, Scope(team="Nowhere"))


def test_new_participant_strong_from_the_start_is_emerging(store: Store, tmp_path: Path) -> None:
    cast = _rising_cast()
    weeks = [_rising_week(cast, 1), _rising_week(cast, 2)]
    cast.add("K", "Kira New")  # joins for the third week
    script: list[Line] = []
    for n in range(4):
        t = 300 + n * 500
        script.append((t, "K", "spontaneous", "story", None, f"k{n}"))
        script.append((t + 15, "P", "spontaneous", "tip", f"k{n}"))
        script.append((t + 30, "Q", "spontaneous", "tip", f"k{n}"))
    script += [(3000 + i * 200, k, "prompted", "story", None) for i, k in enumerate("PQRST")]
    third = workshop(cast, script, day=14, title="Week 3")
    load_into(store, tmp_path, *weeks, third)
    rep = report(store)
    kira = next(c for c in rep.ranking if c.person.label == "Kira New")
    assert kira.period.new and kira.period.workshops_ever == 1
    assert kira.status == "emerging: new and strong"
    # someone who was there from the first workshop is not "new"
    pia = next(c for c in rep.ranking if c.person.label == "Pia Steady")
    assert not pia.period.new


def test_analysable_workshops_lists_only_those_that_ran(store: Store, tmp_path: Path) -> None:
    cast, d = quiet_and_loud()
    (wid,) = load_into(store, tmp_path, d)
    planned = create_workshop(store, "Next week", started_at=datetime.now().astimezone() + timedelta(days=7))
    ids = [w.id for w in analysable_workshops(store)]
    assert wid in ids and planned not in ids
    with store.read() as s:
        assert s.scalar(select(Participant.id).where(Participant.id == cast.id("Q"))) is not None


def test_a_shares_further_reach_counts_people_within_the_profiles_second_order(
    store: Store, tmp_path: Path
) -> None:
    """A share's "+N further" counts people (not their shares) and never someone the owner set
    off directly: the evidence and the files agree with the profile's second-order reach."""
    cast = Cast()
    for key, name in (("Q", "Quinn Quiet"), ("A", "Ada Lovelace"), ("B", "Ben Okafor"), ("C", "Chen Wei")):
        cast.add(key, name)
    script: list[Line] = [
        (100, "Q", "spontaneous", "story", None, "q1"),
        (130, "A", "spontaneous", "tip", "q1", "a1"),
        (160, "B", "spontaneous", "story", "a1"),  # B twice through A's ripple …
        (190, "B", "spontaneous", "tip", "a1"),
        (220, "C", "spontaneous", "question", "a1"),
        (900, "Q", "spontaneous", "story", None, "q2"),
        (930, "B", "spontaneous", "story", "q2"),  # … but Q also sets B off directly
    ]
    load_into(store, tmp_path, workshop(cast, script, minutes=30))
    rep = report(store)
    ev = evidence(store, rep, cast.id("Q"))
    assert ev is not None
    assert ev.profile.reach_second == {str(cast.id("C"))}
    q1 = next(s for s in ev.shares if s.at.minute == 1 and s.at.second == 40)
    assert q1.second_order == 1  # Chen; not Ben (set off directly), not two of Ben's shares
    assert all(s.second_order <= len(ev.profile.reach_second) for s in ev.shares)


def test_people_who_never_shared_are_not_ranked_but_count_for_their_team(store: Store, tmp_path: Path) -> None:
    """A rank says "shared more than …": someone who said nothing has none, on the screen or in
    the files; they still count among their team's people."""
    cast, d = quiet_and_loud()
    cast.add("S", "Sam Silent")
    d["participants"].append(cast.people["S"])
    (wid,) = load_into(store, tmp_path, d)
    rep = report(store)
    assert {"Sam Silent", "Dara Byrne"}.isdisjoint(c.person.label for c in rep.ranking) and rep.silent == 2
    assert [c.rank for c in rep.ranking] == list(range(1, len(rep.ranking) + 1))
    wi = workshop_insights(store, wid)
    assert "Sam Silent" not in [r.person.label for r in wi.ranking] and wi.silent == 2
    assert rep.teams[0].people == len(rep.ranking) + 2
