"""Rounds in the store: the rotation stored, the phase clock with its timestamps, hand swaps
and latecomers without redoing started rounds, markers and ratings, the consent gate."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from app.errors import FieldError, RippleError
from app.planning.participants import add_participant
from app.roleplay.markers import (
    MarkerLog,
    filter_markers,
    loop_window,
    marker_for_key,
    markers_of,
    next_marker,
    remove_marker,
)
from app.roleplay.ratings import rate, ratings_of, round_summary
from app.roleplay.recording import recording_gate
from app.roleplay.rounds import (
    add_time,
    advance_phase,
    load_round,
    phase_clock,
    rounds_of,
    start_round,
    swap,
    update_attendance,
)
from app.roleplay.scenarios import load_scenario
from db.models import OBSERVER_ROLE
from db.store import Store
from tests.helpers.portable import max_seq
from tests.helpers.roleplay import triad


def test_a_triad_plays_three_rounds_each_person_each_role_once(store: Store) -> None:
    t = triad(store)
    assert [r.number for r in t.rounds] == [1, 2, 3]
    for p in t.people:
        assert sorted(r.role_of(p) or "" for r in t.rounds) == ["customer", OBSERVER_ROLE, "seller"]


def test_phases_advance_with_their_start_times_and_the_clock_colours(sqlite_store: Store) -> None:
    t = triad(sqlite_store)
    scenario = load_scenario(sqlite_store, t.scenario)
    rnd = t.rounds[0]
    assert phase_clock(rnd, scenario).state == "waiting"
    started = start_round(sqlite_store, rnd.id)
    t0 = started.started_at
    assert t0 is not None and started.phase == "prepare" and started.phase_starts == {"prepare": t0}
    assert phase_clock(started, scenario, t0 + timedelta(seconds=60)).state == "normal"
    assert phase_clock(started, scenario, t0 + timedelta(seconds=150)).state == "warning"  # 30 s of 180 left
    assert phase_clock(started, scenario, t0 + timedelta(seconds=175)).state == "urgent"
    over = phase_clock(started, scenario, t0 + timedelta(seconds=200))
    assert over.state == "over" and over.due and over.overtime_s == pytest.approx(20)
    plus = add_time(sqlite_store, rnd.id, 60)
    more = phase_clock(plus, scenario, t0 + timedelta(seconds=200))
    assert more.state == "warning" and more.remaining_s == pytest.approx(40)  # 40 s of 240 left
    play = advance_phase(sqlite_store, rnd.id, now=t0 + timedelta(seconds=200))
    assert play.phase == "play" and play.phase_starts["play"] == t0 + timedelta(seconds=200) and play.extra_s == 0
    advance_phase(sqlite_store, rnd.id)
    done = advance_phase(sqlite_store, rnd.id)
    assert done.finished and set(done.phase_starts) == {"prepare", "play", "feedback"}
    assert phase_clock(done, scenario).state == "done"
    with pytest.raises(RippleError, match="already over"):
        advance_phase(sqlite_store, rnd.id)
    with pytest.raises(RippleError, match="already started"):
        start_round(sqlite_store, rnd.id)


def test_swaps_and_latecomers_never_touch_a_started_round(sqlite_store: Store) -> None:
    t = triad(sqlite_store)
    first = start_round(sqlite_store, t.rounds[0].id)
    a, b, _c = t.people
    with pytest.raises(FieldError, match="swap from the next round"):
        swap(sqlite_store, t.scenario, 0, a, b)
    swap(sqlite_store, t.scenario, 0, a, b, from_number=2)
    after = rounds_of(sqlite_store, t.scenario)
    assert after[0].cast == first.cast
    assert after[1].role_of(a) == t.rounds[1].role_of(b)
    late = add_participant(sqlite_store, t.workshop, "Dev Patel")
    update_attendance(sqlite_store, t.scenario, 0, [*t.people, late])
    again = rounds_of(sqlite_store, t.scenario)
    assert again[0].cast == first.cast and again[0].started
    late_roles = {r.role_of(late) for r in again[1:]}
    assert {"seller", "customer"} <= late_roles
    for p in t.people:  # nobody plays a role twice, the finished round counted
        roles = [r.role_of(p) for r in again if r.role_of(p) not in (None, OBSERVER_ROLE)]
        assert len(roles) == len(set(roles))


def test_markers_are_on_disk_in_time_order_and_checked(store: Store) -> None:
    t = triad(store)
    rid = t.rounds[0].id
    log = MarkerLog(store, rid)
    rubric = log.rubric
    assert marker_for_key(rubric, "1") == ("eye_contact", "strength")
    assert marker_for_key(rubric, "2", shift=True) == ("posture", "improve")
    assert marker_for_key(rubric, "m") == (None, "strength")
    late = log.drop_key(42.5, "1", by=t.people[2])
    early = log.drop_key(7.25, "7", shift=True)
    plain = log.drop(20.0, note="Great silence after the price")
    shown = markers_of(store, rid)
    assert [m.id for m in shown] == [early.id, plain.id, late.id]
    assert shown[0].criterion == "open_questions" and shown[0].polarity == "improve" and shown[0].by is None
    assert shown[2].by == t.people[2]
    before = max_seq(store)
    for bad in ({"criterion": "charisma"}, {"polarity": "meh"}):
        with pytest.raises(FieldError):
            log.drop(1.0, **bad)  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="seconds into the recording"):
        log.drop(-1.0)
    assert max_seq(store) == before
    assert filter_markers(shown, criterion=None) == [shown[1]]
    assert filter_markers(shown, polarity="improve") == [shown[0]]
    assert filter_markers(shown, by=t.people[2]) == [shown[2]]
    assert next_marker(shown, 7.25) == shown[1] and next_marker(shown, 20.0, forward=False) == shown[0]
    assert next_marker(shown, 42.5) is None
    assert loop_window(2.0, 3.0, 60.0).start_s == 0.0 and loop_window(58.0, 3.0, 60.0).end_s == 60.0
    remove_marker(store, plain.id)
    assert [m.id for m in markers_of(store, rid)] == [early.id, late.id]


def test_ratings_count_the_newest_and_sum_up_verbal_and_non_verbal(store: Store) -> None:
    t = triad(store)
    rnd = t.rounds[0]
    seller = next(c.participant_id for c in rnd.cast if c.role == "seller")
    observer = next(c.participant_id for c in rnd.cast if c.role == OBSERVER_ROLE)
    rate(store, rnd.id, seller, "eye_contact", 2, rater=observer)
    rate(store, rnd.id, seller, "eye_contact", 4, rater=observer, comment="Looked up at the price")
    rate(store, rnd.id, seller, "posture", 5)
    rate(store, rnd.id, seller, "open_questions", 3, rater=observer)
    assert len(ratings_of(store, rnd.id)) == 3
    summary = {s.player: s for s in round_summary(store, rnd.id)}
    mine = summary[seller]
    scores = {c.criterion: c for c in mine.criteria}
    assert scores["eye_contact"].mean == 4 and scores["eye_contact"].comments == ("Looked up at the price",)
    assert mine.non_verbal == 4.5 and mine.verbal == 3
    assert observer not in summary
    before = max_seq(store)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"score": 6}, "score"), ({"criterion": "charm"}, "criterion"),
        ({"player": observer, "rater": None}, "player"), ({"rater": seller}, "rater")]
    for kwargs, field in cases:
        args: dict[str, Any] = {"player": seller, "criterion": "pace", "score": 3, "rater": observer} | kwargs
        with pytest.raises(FieldError) as err:
            rate(store, rnd.id, args["player"], args["criterion"], args["score"], rater=args["rater"])
        assert err.value.field == field
    assert max_seq(store) == before


def test_the_consent_gate_covers_everyone_who_plays(sqlite_store: Store) -> None:
    t = triad(sqlite_store, video=False)
    gate = recording_gate(sqlite_store, t.rounds[0].id)
    assert not gate.allowed and "not agreed to be recorded" in gate.sentence and len(gate.without_consent) == 2
    with pytest.raises(RippleError):
        load_round(sqlite_store, uuid.uuid4())


def test_five_people_are_split_when_the_trainer_says_so(sqlite_store: Store) -> None:
    from app.planning.agenda import set_groups
    from app.planning.workshops import load_plan
    from app.roleplay.rounds import apply_split, propose_rotation, store_rotation

    t = triad(sqlite_store)
    extra = [add_participant(sqlite_store, t.workshop, n) for n in ("Dev", "Eva")]
    set_groups(sqlite_store, t.item, [[*t.people, *extra]])
    plan = propose_rotation(sqlite_store, t.item)
    assert len(plan) == 1 and len(plan[0].rounds) == 5 and "or split it into groups of 3 and 2" in plan[0].note
    split = apply_split(sqlite_store, t.item)
    groups = next(i for i in load_plan(sqlite_store, t.workshop).agenda if i.id == t.item).groups
    assert [len(g.members) for g in groups] == [3, 2] and [len(p.rounds) for p in split] == [3, 2]
    store_rotation(sqlite_store, t.scenario, split)
    assert [(r.group, r.number) for r in rounds_of(sqlite_store, t.scenario)] == [(0, 1), (0, 2), (0, 3), (1, 1),
                                                                                  (1, 2)]


def test_a_leaver_drops_out_of_the_rounds_still_to_play(sqlite_store: Store) -> None:
    t = triad(sqlite_store)
    start_round(sqlite_store, t.rounds[0].id)
    leaver = t.rounds[0].players[0]
    stay = [p for p in t.people if p != leaver]
    update_attendance(sqlite_store, t.scenario, 0, stay)
    after = rounds_of(sqlite_store, t.scenario)
    assert after[0].cast == t.rounds[0].cast
    assert all(r.role_of(leaver) is None for r in after[1:]) and len(after) >= 2


def test_every_clock_state_has_a_label() -> None:
    from app.roleplay.rounds import CLOCK_STATES
    from app.vocabulary import CLOCK_STATE_LABELS

    assert tuple(CLOCK_STATE_LABELS) == CLOCK_STATES
