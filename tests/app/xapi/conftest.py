"""A workshop with every kind of statement, and the organisation's home page in Settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import settings
from app.followup.checkins import log_check_in
from app.followup.commitments import take_commitment
from db.models import Clip, Contribution, Reaction
from db.store import Store
from tests.app.followup.conftest import Room, build_room
from tests.helpers.lrs import lrs  # noqa: F401  (the fixture)

HOME = "https://learning.example.org"


def add_activity(room: Room) -> None:
    """A clip and a reaction of Ada's, Ben's commitment (buddy Ada) with one check-in, and a
    reaction of Nico's (no consent) that must never be sent."""
    c = room.cast
    with room.store.read() as s:
        first = s.query(Contribution).order_by(Contribution.at).first()
    assert first is not None
    clip = room.store.append(Clip, {"workshop_id": room.workshop_id, "participant_id": c.id("A"), "at": first.at,
                                    "seconds": 58.2, "scope": "room", "sha256": "0" * 64, "title": "My first deal"})
    room.store.append(Reaction, {"workshop_id": room.workshop_id, "at": first.at, "participant_id": c.id("A"),
                                 "contribution_id": first.id, "kind": "inspired"})
    room.store.append(Reaction, {"workshop_id": room.workshop_id, "at": first.at, "participant_id": c.id("N"),
                                 "clip_id": clip["id"], "kind": "helpful"})
    com = take_commitment(room.store, room.workshop_id, c.id("B"), "share one failure a week", buddy_id=c.id("A"))
    log_check_in(room.store, com.id, 7, "twice")


@pytest.fixture
def busy_room(store: Store, tmp_path: Path) -> Room:
    settings.save(settings.Settings(org_home_page=HOME))
    room = build_room(store, tmp_path)
    add_activity(room)
    return room
