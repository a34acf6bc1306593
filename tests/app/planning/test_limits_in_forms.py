"""The planner's use cases (what the UI's forms and the CLI call) hold every text to the one
table of limits and say which field is wrong; nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.errors import FieldError
from app.planning.agenda import add_agenda_item, update_agenda_item
from app.planning.participants import add_participant, update_participant
from app.planning.workshops import create_workshop, list_workshops, load_plan, update_workshop
from db.store import Store


@pytest.mark.parametrize(
    "field, value, message",
    [("facilitator", "F" * 201, "A workshop's facilitator is longer than 200 characters (201)."),
     ("team", "Sales\x00", "A workshop's team holds a control character (U+0000)."),
     ("location", "Room\n2", "A workshop's location holds a control character (U+000A)."),
     ("notes", "n" * 20_001, "A workshop's notes is longer than 20,000 characters (20,001).")],
)
def test_workshop_fields(sqlite_store: Store, field: str, value: str, message: str) -> None:
    with pytest.raises(FieldError) as err:
        create_workshop(sqlite_store, "Title", **{field: value})
    assert (err.value.field, str(err.value)) == (field, message)
    assert list_workshops(sqlite_store) == []
    wid = create_workshop(sqlite_store, "Title")
    with pytest.raises(FieldError, match="A workshop's"):
        update_workshop(sqlite_store, wid, **{field: value})
    assert getattr(load_plan(sqlite_store, wid), field) == ""


def test_notes_may_span_lines(sqlite_store: Store) -> None:
    wid = create_workshop(sqlite_store, "Title", notes="line one\n\tline two")
    assert load_plan(sqlite_store, wid).notes == "line one\n\tline two"


@pytest.mark.parametrize("start", [datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC)])
def test_a_start_at_the_edge_of_the_calendar_is_refused(sqlite_store: Store, start: datetime) -> None:
    with pytest.raises(FieldError, match="outside the years 1970–2199") as err:
        create_workshop(sqlite_store, "Title", started_at=start)
    assert err.value.field == "started_at"


def test_participant_and_agenda_fields(sqlite_store: Store) -> None:
    wid = create_workshop(sqlite_store, "Title")
    with pytest.raises(FieldError, match="A participant's name holds a control character") as err:
        add_participant(sqlite_store, wid, "Ana\x1b[2J")
    assert err.value.field == "name"
    with pytest.raises(FieldError, match="A participant's team is longer than 200 characters"):
        add_participant(sqlite_store, wid, "Ana", team="T" * 300)
    pid = add_participant(sqlite_store, wid, "Ana")
    with pytest.raises(FieldError, match="A participant's e-mail is longer than 320 characters") as err:
        update_participant(sqlite_store, pid, email="a" * 320 + "@example.com")
    assert err.value.field == "email"
    with pytest.raises(FieldError, match="An agenda item's title is longer than 200"):
        add_agenda_item(sqlite_store, wid, "challenge", "C" * 201)
    item = add_agenda_item(sqlite_store, wid, "challenge", "One")
    with pytest.raises(FieldError, match="instructions holds a control character"):
        update_agenda_item(sqlite_store, item, instructions="Do\x07this")
    plan = load_plan(sqlite_store, wid)
    assert [p.name for p in plan.participants] == ["Ana"] and [a.title for a in plan.agenda] == ["One"]
