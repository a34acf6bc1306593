"""Scenario cards: created from a built-in card, edited, duplicated, and every bad input
refused with one sentence that names the field, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from app.errors import FieldError
from app.planning.agenda import add_agenda_item
from app.planning.workshops import create_workshop
from app.roleplay.cards import CARDS, DEFAULT_RUBRIC
from app.roleplay.scenarios import (
    create_scenario,
    duplicate_scenario,
    load_scenario,
    scenario_of_item,
    update_scenario,
)
from db.store import Store
from tests.helpers.portable import max_seq


def test_the_built_in_cards_and_the_default_rubric() -> None:
    assert {"objection-handling", "difficult-customer-call", "feedback-from-failure"} <= set(CARDS)
    channels = {c.id: c.channel for c in DEFAULT_RUBRIC}
    for cid in ("eye_contact", "posture", "gestures", "facial_expression", "tone_of_voice", "pace"):
        assert channels[cid] == "non_verbal"
    for cid in ("open_questions", "paraphrasing", "handling_objections", "next_step"):
        assert channels[cid] == "verbal"
    for c in CARDS.values():
        assert [p.name for p in c.phases] == ["prepare", "play", "feedback"]
        assert [p.minutes for p in c.phases] == [3, 6, 4]
        assert sum(r.acting for r in c.roles) == 2 and c.roles[-1].key == "observer"
        assert all(r.brief for r in c.roles)


def test_create_edit_and_duplicate_across_workshops(store: Store) -> None:
    wid = create_workshop(store, "Lab")
    item = add_agenda_item(store, wid, "role_play", "Role play")
    sid = create_scenario(store, item, from_card="difficult-customer-call")
    view = load_scenario(store, sid)
    assert view.title == CARDS["difficult-customer-call"].title and view.role("agent") is not None
    edited = update_scenario(store, sid, title="Angry caller", phases=[{"name": "play", "minutes": 8}])
    assert edited.title == "Angry caller" and [p.name for p in edited.phases] == ["play"]
    other = create_workshop(store, "Next week")
    target = add_agenda_item(store, other, "role_play", "Again")
    copy = duplicate_scenario(store, sid, target)
    assert copy != sid
    again = scenario_of_item(store, target)
    assert again is not None and again.title == "Angry caller" and again.roles == edited.roles


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("roles", {"roles": [{"key": "seller", "name": "Seller"}]}, "at least two acting roles"),
    ("roles", {"roles": [{"key": "a"}, {"key": "a"}]}, "Two roles have the key"),
    ("roles", {"roles": [{"key": "Seller Bob"}, {"key": "b"}]}, "short lower-case word"),
    ("phases", {"phases": [{"name": "play", "minutes": 0}]}, "minutes between 0 and 120"),
    ("phases", {"phases": []}, "at least one phase"),
    ("rubric", {"rubric": [{"id": "pace", "label": "Pace", "channel": "body"}]}, "verbal or non_verbal"),
    ("rubric", {"rubric": [{"id": "pace", "label": "Pace", "channel": "verbal", "scale": 10}]}, "1–5 scale"),
    ("title", {"title": "  "}, "The title is empty"),
    ("card", {"from_card": "nope"}, "not a built-in card"),
]


@pytest.mark.parametrize(("field", "args", "words"), BAD, ids=[b[2] for b in BAD])
def test_bad_input_names_the_field_and_changes_nothing(sqlite_store: Store, field: str, args: dict[str, Any],
                                                       words: str) -> None:
    wid = create_workshop(sqlite_store, "Lab")
    item = add_agenda_item(sqlite_store, wid, "role_play", "Role play")
    before = max_seq(sqlite_store)
    base: dict[str, Any] = {"title": "T", "roles": [{"key": "seller"}, {"key": "customer"}]}
    with pytest.raises(FieldError) as err:
        create_scenario(sqlite_store, item, **{**base, **args})
    assert err.value.field == field and words in str(err.value) and str(err.value).count(".") >= 1
    assert max_seq(sqlite_store) == before and scenario_of_item(sqlite_store, item) is None


def test_only_a_role_play_item_has_a_scenario(sqlite_store: Store) -> None:
    wid = create_workshop(sqlite_store, "Lab")
    item = add_agenda_item(sqlite_store, wid, "challenge", "Not a role play")
    with pytest.raises(FieldError, match="not a role play"):
        create_scenario(sqlite_store, item, from_card="objection-handling")
    rp = add_agenda_item(sqlite_store, wid, "role_play", "RP")
    create_scenario(sqlite_store, rp, from_card="objection-handling")
    with pytest.raises(FieldError, match="already has a scenario"):
        create_scenario(sqlite_store, rp, from_card="objection-handling")
