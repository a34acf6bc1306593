"""The agenda: every kind of item, order and moves, balanced and manual groups."""

from __future__ import annotations

import uuid

import pytest

from app.errors import RippleError
from app.planning.agenda import (
    add_agenda_item,
    balanced_groups,
    delete_agenda_item,
    move_agenda_item,
    set_groups,
    update_agenda_item,
)
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, load_plan
from db.store import Store


def test_every_agenda_kind_with_order_and_moves(store: Store) -> None:
    wid = create_workshop(store, "All kinds")
    ids = [add_agenda_item(store, wid, k, k.title(), minutes=5) for k in
           ("challenge", "role_play", "debrief", "clip_round", "break")]
    move_agenda_item(store, ids[4], 0)
    assert [a.kind for a in load_plan(store, wid).agenda] == [
        "break", "challenge", "role_play", "debrief", "clip_round"]
    update_agenda_item(store, ids[0], minutes=25, instructions="Solve it")
    delete_agenda_item(store, ids[2])
    agenda = load_plan(store, wid).agenda
    assert [a.position for a in agenda] == [0, 1, 2, 3]
    assert agenda[1].minutes == 25 and agenda[1].instructions == "Solve it"
    with pytest.raises(RippleError, match="not an agenda item kind"):
        add_agenda_item(store, wid, "lecture", "Slides")
    with pytest.raises(RippleError, match="minutes"):
        update_agenda_item(store, ids[0], minutes=-3)


def test_balanced_random_groups_and_manual_groups(store: Store) -> None:
    people = [uuid.uuid4() for _ in range(10)]
    groups = balanced_groups(people, count=3, seed=1)
    assert sorted(len(g) for g in groups) == [3, 3, 4]
    assert sorted(m for g in groups for m in g) == sorted(people)
    assert balanced_groups(people, size=5, seed=2) and len(balanced_groups(people, size=5)) == 2
    wid = create_workshop(store, "Groups")
    pids = [add_participant(store, wid, f"P{i}") for i in range(4)]
    item = add_agenda_item(store, wid, "challenge", "C")
    set_groups(store, item, [pids[:2], pids[2:]], names=["Red", "Blue"])
    g = load_plan(store, wid).agenda[0].groups
    assert [x.name for x in g] == ["Red", "Blue"] and list(g[1].members) == pids[2:]
    set_groups(store, item, [pids])
    assert len(load_plan(store, wid).agenda[0].groups) == 1
    with pytest.raises(RippleError, match="only one group"):
        set_groups(store, item, [pids[:2], pids[1:]])


def test_an_agenda_edit_naming_an_unknown_field_is_refused_and_changes_nothing(store: Store) -> None:
    wid = create_workshop(store, "Objections")
    item = add_agenda_item(store, wid, "challenge", "Objection cards")
    with pytest.raises(RippleError, match=r"^An agenda item has no field 'colour'\.$"):
        update_agenda_item(store, item, title="Renamed", colour="red")
    assert load_plan(store, wid).agenda[0].title == "Objection cards"
