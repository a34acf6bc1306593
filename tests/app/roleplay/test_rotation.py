"""The rotation: everyone plays each acting role at most once, as many as possible exactly
once, and no round lacks an acting role, for any group of 2–8 and 2–4 acting roles."""

from __future__ import annotations

import uuid
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from app.roleplay.rotation import (
    continue_rotation,
    plan_group,
    plan_rotation,
    split_sizes,
    swap_people,
)
from app.roleplay.views import Role
from db.models import OBSERVER_ROLE

ROLE_POOL = [Role("seller", "Seller"), Role("customer", "Customer"), Role("manager", "Manager"),
             Role("buyer", "Buyer")]


def _people(n: int) -> list[uuid.UUID]:
    return [uuid.UUID(int=i + 1) for i in range(n)]


def _check(rounds: object, people: list[uuid.UUID], acting: list[Role]) -> Counter[tuple[uuid.UUID, str]]:
    played: Counter[tuple[uuid.UUID, str]] = Counter()
    keys = {r.key for r in acting}
    for rnd in rounds:  # type: ignore[attr-defined]
        roles = [c.role for c in rnd.cast]
        assert sorted(r for r in roles if r != OBSERVER_ROLE) == sorted(keys), "a round lacks an acting role"
        who = [c.participant_id for c in rnd.cast]
        assert len(who) == len(set(who)), "someone is cast twice in one round"
        for c in rnd.cast:
            if c.role != OBSERVER_ROLE:
                played[(c.participant_id, c.role)] += 1
    assert all(n == 1 for n in played.values()), "someone plays a role twice"
    return played


@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 8), k=st.integers(2, 4))
def test_everyone_plays_each_acting_role_exactly_once_when_the_group_allows(n: int, k: int) -> None:
    people, acting = _people(n), ROLE_POOL[:k]
    plan = plan_group(people, acting)
    played = _check(plan.rounds, people, acting)
    if n >= k:
        assert len(played) == n * k  # as many as possible: everyone, every role
        assert len(plan.rounds) == n
        assert all(len(r.cast) == n for r in plan.rounds)  # the others observe
    else:
        assert plan.rounds == () and "no rounds" in plan.note


def test_the_group_sizes_of_the_product() -> None:
    acting = ROLE_POOL[:2]
    pair, triad, four, five = (plan_group(_people(n), acting) for n in (2, 3, 4, 5))
    assert len(pair.rounds) == 2 and "swap Seller and Customer" in pair.note
    assert len(triad.rounds) == 3 and "observes once" in triad.note
    assert [sum(c.role == OBSERVER_ROLE for c in r.cast) for r in four.rounds] == [2] * 4
    assert "second observer" in four.note
    assert "split it into groups of 3 and 2" in five.note and five.split
    split = plan_rotation([_people(5)], acting, split=True)
    assert [len(g.members) for g in split] == [3, 2] and all("split from Group 1" in g.note for g in split)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(5, 8), k=st.integers(2, 4))
def test_a_split_gives_parts_that_can_each_play_everything(n: int, k: int) -> None:
    sizes = split_sizes(n, k)
    assert sum(sizes) == n
    assert all(s >= k for s in sizes) and (len(sizes) == 1 or all(s <= k + 2 for s in sizes))


@settings(max_examples=150, deadline=None)
@given(n=st.integers(2, 8), k=st.integers(2, 4), played=st.integers(0, 8), late=st.integers(0, 2),
       leave=st.integers(0, 2))
def test_latecomers_and_leavers_never_redo_a_finished_round_nor_repeat_a_role(
    n: int, k: int, played: int, late: int, leave: int
) -> None:
    people, acting = _people(n), ROLE_POOL[:k]
    full = plan_group(people, acting).rounds
    done = list(full[: min(played, len(full))])
    now = people[leave:] + [uuid.UUID(int=100 + i) for i in range(late)]
    rest = continue_rotation(done, now, acting)
    assert all(r.number > max((d.number for d in done), default=0) for r in rest)
    played_all = _check([*done, *rest], now, acting)
    # Everyone there now ends with every role they could still get: when the plan stops, no
    # round could be filled by people who all still need their role.
    assert all(c.participant_id in now for r in rest for c in r.cast)
    if len(now) >= k and not done:
        assert len([p for p in now if all(played_all[(p, r.key)] == 1 for r in acting)]) >= k


def test_a_latecomer_gets_every_role() -> None:
    people, acting = _people(3), ROLE_POOL[:2]
    done = list(plan_group(people, acting).rounds[:1])
    late = uuid.UUID(int=99)
    rest = continue_rotation(done, [*people, late], acting)
    roles = {c.role for r in rest for c in r.cast if c.participant_id == late}
    assert {"seller", "customer"} <= roles


def test_a_hand_swap_keeps_each_role_once() -> None:
    people, acting = _people(3), ROLE_POOL[:2]
    rounds = plan_group(people, acting).rounds
    swapped = swap_people(rounds, people[0], people[1], from_number=2)
    assert swapped[0] == rounds[0]
    assert swapped[1].role_of(people[0]) == rounds[1].role_of(people[1])
    outsider = uuid.UUID(int=50)
    replaced = swap_people(rounds, people[2], outsider)
    _check(replaced, [people[0], people[1], outsider], acting)
