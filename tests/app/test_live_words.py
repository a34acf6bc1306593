"""What the console says about a live workshop: refusals and news name who or what they are
about, and an item's groups read as lines of names."""

from __future__ import annotations

import uuid

import pytest

from app.errors import NotFound, RippleError
from app.live import LiveWorkshop
from app.live_words import group_lines, logged_line
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.store import Store


def _setup(store: Store) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    wid = create_workshop(store, "Objection sprint")
    item = add_agenda_item(store, wid, "challenge", "In pairs", minutes=10)
    people = [add_participant(store, wid, name) for name in ("Ana Costa", "Ben Okafor", "Chloé Martin")]
    return wid, item, people


def test_refusals_name_the_share_and_the_workshop(store: Store) -> None:
    wid, _item, (ana, ben, _c) = _setup(store)
    live = LiveWorkshop(store, wid)
    a = live.log(ana, kind="tip")
    with pytest.raises(RippleError, match="Ana Costa's share cannot build on their own tip"):
        live.log(ana, builds_on=a.id)
    with pytest.raises(RippleError, match="Ana Costa's tip cannot build on itself"):
        live.edit(a.id, builds_on=a.id)
    with pytest.raises(NotFound, match="not on the roster of “Objection sprint”"):
        live.log(uuid.uuid4())
    with pytest.raises(NotFound, match="part of “Objection sprint”"):
        live.go_to(uuid.uuid4())
    b = live.log(ben)
    assert live.edit(b.id, builds_on=a.id).builds_on_id == a.id


def test_an_empty_agenda_names_the_workshop(store: Store) -> None:
    wid = create_workshop(store, "No agenda yet")
    with pytest.raises(RippleError, match="“No agenda yet” has no agenda items yet"):
        LiveWorkshop(store, wid).start()


def test_what_a_tap_logged(store: Store) -> None:
    wid, _item, (ana, ben, _c) = _setup(store)
    live = LiveWorkshop(store, wid)
    a = live.log(ana)
    b = live.log(ben, "prompted", kind="question", builds_on=a.id)
    assert logged_line(live.plan, a) == "Logged Ana Costa's spontaneous share as Story"
    assert logged_line(live.plan, b, a) == "Logged Ben Okafor's prompted share as Question, building on Ana Costa's"


def test_an_items_groups_as_lines_of_names(store: Store) -> None:
    wid, item, (ana, ben, chloe) = _setup(store)
    set_groups(store, item, [[ana, chloe], [ben]])
    live = LiveWorkshop(store, wid)
    assert group_lines(live.plan, live.current_item) == ["Group 1: Ana Costa, Chloé Martin", "Group 2: Ben Okafor"]
    assert group_lines(live.plan, None) == []
