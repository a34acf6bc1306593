"""Withdrawal wins: a grant that had not seen a withdrawal never undoes it, whatever the clocks;
an informed re-grant does; any order of arrival gives the same answer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from db.consent import Event, decide, summarise, withdrawals_seen

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def grant(at_min: int, seen: frozenset[uuid.UUID] = frozenset(), scope: str = "analytics") -> Event:
    return Event(uuid.uuid4(), scope, True, T0 + timedelta(minutes=at_min), "Marta", seen)


def withdraw(at_min: int, scope: str = "analytics") -> Event:
    return Event(uuid.uuid4(), scope, False, T0 + timedelta(minutes=at_min), "Marta")


def test_no_events_is_no_consent() -> None:
    assert decide([], "video").granted is False and summarise([]).at is None


def test_a_stale_grant_with_a_later_clock_never_restores_a_withdrawal() -> None:
    first = grant(0)
    no = withdraw(10)  # Hana withdraws on laptop A
    stale_yes = grant(300, seen=frozenset())  # laptop B, clock hours ahead, had not seen it
    assert decide([first, no, stale_yes], "analytics").granted is False


def test_an_informed_re_grant_restores_it() -> None:
    no = withdraw(10)
    asked_again = grant(20, seen=withdrawals_seen([no], "analytics"))
    decision = decide([no, asked_again], "analytics")
    assert decision.granted is True and decision.event == asked_again


def test_a_withdrawal_after_the_re_grant_wins_again() -> None:
    no = withdraw(10)
    yes = grant(20, seen=frozenset({no.id}))
    no_again = withdraw(5)  # recorded on a laptop whose clock is behind: still a withdrawal
    assert decide([no, yes, no_again], "analytics").granted is False


def test_scopes_are_independent_and_the_summary_shows_the_newest_deciding_event() -> None:
    v = grant(1, scope="video")
    a = withdraw(7, scope="analytics")
    s = summarise([v, a])
    assert (s.video, s.community, s.analytics) == (True, False, False) and s.at == a.at


ops = st.lists(st.tuples(st.sampled_from(["grant", "withdraw", "sync"]), st.integers(0, 2),
                         st.integers(-600, 600)), max_size=25)


@given(ops, st.randoms(use_true_random=False))
def test_laptops_converge_and_no_withdrawal_is_undone_unseen(steps: list, rng: object) -> None:
    laptops: list[set[Event]] = [set(), set(), set()]
    unseen_by_grants: set[uuid.UUID] = set()  # withdrawals no grant has seen yet
    for op, who, clock in steps:
        mine = laptops[who]
        if op == "grant":
            seen = withdrawals_seen(mine, "analytics")
            mine.add(grant(clock, seen))
        elif op == "withdraw":
            mine.add(withdraw(clock))
        else:
            union = set().union(*laptops)
            for lap in laptops:
                lap |= union
    everything = set().union(*laptops)
    grants = [e for e in everything if e.granted]
    withdrawals = {e.id for e in everything if not e.granted}
    unseen_by_grants = {w for w in withdrawals if not any(w in g.seen for g in grants)}
    shuffled = list(everything)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    verdict = decide(shuffled, "analytics").granted
    assert verdict == decide(sorted(everything, key=lambda e: e.at), "analytics").granted
    if unseen_by_grants:
        assert verdict is False  # a withdrawal no grant had seen always wins
