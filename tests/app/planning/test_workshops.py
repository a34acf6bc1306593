"""Workshops: create, edit, duplicate and delete, read back as one plan."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.errors import NotFound, RippleError
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import (
    create_workshop,
    delete_workshop,
    duplicate_workshop,
    list_workshops,
    load_plan,
    update_workshop,
)
from db.store import Store

MADRID = timezone(timedelta(hours=1))


def test_create_edit_duplicate_delete(store: Store) -> None:
    wid = create_workshop(store, "Objections", facilitator="Marta", team="Sales",
                            started_at=datetime(2026, 11, 24, 9, 30, tzinfo=MADRID))
    add_agenda_item(store, wid, "challenge", "Objection cards", instructions="Groups of 3", minutes=20)
    pid = add_participant(store, wid, "Constanza García", email="c.garcia@example.com")
    update_workshop(store, wid, title="Objections, round 2", location="Room 4")
    plan = load_plan(store, wid)
    assert plan.title == "Objections, round 2" and plan.location == "Room 4"
    assert plan.utc_offset_min == 60
    copy = duplicate_workshop(store, wid)
    copied = load_plan(store, copy)
    assert copied.title.endswith("(copy)")
    assert [a.title for a in copied.agenda] == ["Objection cards"]
    assert [p.id for p in copied.participants] == [pid]
    assert copied.agenda[0].id != plan.agenda[0].id
    delete_workshop(store, wid)
    assert [w.id for w in list_workshops(store)] == [copy]
    with pytest.raises(NotFound):
        load_plan(store, wid)


def test_an_edit_naming_an_unknown_field_is_refused_and_changes_nothing(store: Store) -> None:
    wid = create_workshop(store, "Objections")
    with pytest.raises(RippleError, match=r"^A workshop has no field 'colour'\.$"):
        update_workshop(store, wid, title="Renamed", colour="red")
    assert load_plan(store, wid).title == "Objections"
