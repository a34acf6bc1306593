"""Who plays which role in which round: pure functions, no store.

The rule (PRODUCT.md, "Rotation"): everyone plays every acting role (every role but the
observer) once where the group size allows. With ``n`` people and ``k`` acting roles, round
``r`` gives acting role ``j`` to person ``(r + j) mod n`` and everyone else observes; after
``n`` rounds each person has played each acting role exactly once (person ``p`` plays role
``j`` in round ``p - j``), and every round has every acting role. So a triad plays three
rounds (one observer each), two people swap seller and customer, four get a second
observer. Five or more would need as many rounds, so the plan also offers to split the
group into parts of ``k`` to ``k + 2`` people (:func:`suggest_split`), and says which.

Latecomers and leavers (:func:`continue_rotation`): the finished rounds stay as they are and
the rest is planned greedily over who is there now, never giving anyone a role a second
time and never leaving an acting role empty.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.roleplay.views import CastEntry, Role
from db.models import OBSERVER_ROLE


@dataclass(frozen=True)
class PlannedRound:
    group: int
    number: int
    cast: tuple[CastEntry, ...]

    def role_of(self, pid: uuid.UUID) -> str | None:
        return next((c.role for c in self.cast if c.participant_id == pid), None)


@dataclass(frozen=True)
class GroupRotation:
    """The plan of one group: its rounds, and one sentence saying what was done and why."""

    group: int
    members: tuple[uuid.UUID, ...]
    rounds: tuple[PlannedRound, ...]
    note: str
    #: a split this group could take instead (member lists), or () when none is offered
    split: tuple[tuple[uuid.UUID, ...], ...] = ()


def _label(group: int) -> str:
    return f"Group {group + 1}"


def _names(roles: Sequence[Role]) -> str:
    names = [r.name for r in roles]
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def rotate(people: Sequence[uuid.UUID], acting: Sequence[Role], *, group: int = 0,
           first_number: int = 1) -> tuple[PlannedRound, ...]:
    """The full rotation of a group with at least as many people as acting roles."""
    n, k = len(people), len(acting)
    if n < k or k == 0:
        return ()
    rounds = []
    for r in range(n):
        acting_ids = {(r + j) % n: acting[j].key for j in range(k)}
        cast = [CastEntry(acting[j].key, people[(r + j) % n]) for j in range(k)]
        cast += [CastEntry(OBSERVER_ROLE, people[i]) for i in range(n) if i not in acting_ids]
        rounds.append(PlannedRound(group, first_number + r, tuple(cast)))
    return tuple(rounds)


def split_sizes(n: int, k: int) -> list[int]:
    """Balanced part sizes for a group of ``n`` with ``k`` acting roles: every part has at
    least ``k`` people and at most ``k + 2``; ``[n]`` when no split helps."""
    if k < 1 or n < 5 or n <= k + 2:
        return [n]
    parts = min(math.ceil(n / (k + 2)), n // k)
    if parts < 2:
        return [n]
    base, extra = divmod(n, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def suggest_split(people: Sequence[uuid.UUID], k: int) -> tuple[tuple[uuid.UUID, ...], ...]:
    """The members of each part of the split :func:`split_sizes` proposes, in the given order."""
    sizes = split_sizes(len(people), k)
    if len(sizes) < 2:
        return ()
    out, at = [], 0
    for size in sizes:
        out.append(tuple(people[at:at + size]))
        at += size
    return tuple(out)


def plan_group(people: Sequence[uuid.UUID], acting: Sequence[Role], *, group: int = 0) -> GroupRotation:
    """The rotation of one group, with the sentence the console shows beside it."""
    n, k = len(people), len(acting)
    members = tuple(people)
    label = _label(group)
    if n < k:
        who = "nobody" if n == 0 else ("1 person" if n == 1 else f"{n} people")
        return GroupRotation(group, members, (), f"{label} has {who} for {k} acting roles: add people or "
                             "merge it with another group; no rounds are planned.")
    rounds = rotate(people, acting, group=group)
    watchers = n - k
    split = suggest_split(people, k)
    if watchers == 0:
        note = f"{label}: {n} rounds; the {n} people swap {_names(acting)}, each playing every role once."
    elif watchers == 1:
        note = f"{label}: {n} rounds; everyone plays each role once and observes once."
    elif not split:
        note = (f"{label}: {n} rounds with {watchers} observers each"
                f"{' (a second observer)' if watchers == 2 else ''}; everyone plays each role once.")
    else:
        sizes = " and ".join(str(len(p)) for p in split)
        note = (f"{label} has {n} people: {n} rounds with {watchers} extra observers each; or split it "
                f"into groups of {sizes} to finish in {max(len(p) for p in split)} rounds.")
    return GroupRotation(group, members, rounds, note, split)


def plan_rotation(groups: Sequence[Sequence[uuid.UUID]], acting: Sequence[Role], *,
                  split: bool = False) -> list[GroupRotation]:
    """Every group's rotation. With ``split``, a group that :func:`suggest_split` would split
    is planned as its parts, numbered in order after the groups before it (the caller
    stores the new groups first: :func:`app.roleplay.rounds.apply_split`)."""
    out: list[GroupRotation] = []
    for members in groups:
        plan = plan_group(members, acting, group=len(out))
        if not (split and plan.split):
            out.append(plan)
            continue
        origin = _label(plan.group)
        for part in plan.split:
            sub = plan_group(part, acting, group=len(out))
            out.append(replace(sub, note=f"{sub.note} (split from {origin})"))
    return out


# ---------------------------------------------------------------- changes on the day


def continue_rotation(
    done: Sequence[PlannedRound],
    people: Sequence[uuid.UUID],
    acting: Sequence[Role],
    *,
    group: int = 0,
) -> tuple[PlannedRound, ...]:
    """The rounds still to play after ``done`` (finished or started rounds, kept as they
    are) with the people there now: latecomers get their turns, leavers drop out.

    Each new round gives every acting role to someone who has not played it yet, preferring
    whoever has the most roles left; planning stops when no round can be filled that way."""
    keys = [r.key for r in acting]
    needs = {p: set(keys) for p in people}
    for rnd in done:
        for c in rnd.cast:
            if c.participant_id in needs:
                needs[c.participant_id].discard(c.role)
    number = max((r.number for r in done), default=0)
    out: list[PlannedRound] = []
    while True:
        best = _best_cast(people, keys, needs)
        if best is None:
            return tuple(out)
        number += 1
        cast = [CastEntry(role, pid) for role, pid in zip(keys, best, strict=True)]
        cast += [CastEntry(OBSERVER_ROLE, p) for p in people if p not in best]
        out.append(PlannedRound(group, number, tuple(cast)))
        for role, pid in zip(keys, best, strict=True):
            needs[pid].discard(role)


def _best_cast(people: Sequence[uuid.UUID], keys: Sequence[str],
               needs: dict[uuid.UUID, set[str]]) -> tuple[uuid.UUID, ...] | None:
    """The people for ``keys`` (in order) who all still need their role, most needs first."""
    candidates = [p for p in people if needs[p]]
    best: tuple[uuid.UUID, ...] | None = None
    best_score = -1
    for combo in itertools.permutations(candidates, len(keys)):
        if all(key in needs[p] for p, key in zip(combo, keys, strict=True)):
            score = sum(len(needs[p]) for p in combo)
            if score > best_score:
                best, best_score = combo, score
    return best


def swap_people(rounds: Sequence[PlannedRound], a: uuid.UUID, b: uuid.UUID, *,
                from_number: int = 1) -> tuple[PlannedRound, ...]:
    """A hand swap: ``a`` and ``b`` exchange places in every round from ``from_number`` on
    (so the rotation still gives each of them each role once). Someone outside the group
    (``b`` in no round) simply takes ``a``'s places."""

    def swapped(c: CastEntry) -> CastEntry:
        if c.participant_id == a:
            return CastEntry(c.role, b)
        if c.participant_id == b:
            return CastEntry(c.role, a)
        return c

    return tuple(
        r if r.number < from_number else replace(r, cast=tuple(swapped(c) for c in r.cast))
        for r in rounds
    )
