"""A workshop with ripples between known people, for the follow-up tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from db.store import Store
from tests.helpers.insights import Cast, Line, load_into, workshop


@dataclass
class Room:
    store: Store
    cast: Cast
    workshop_id: uuid.UUID


def build_room(store: Store, tmp: Path) -> Room:
    """Ada sets off Ben twice (explicitly), Ben builds on Chen once; Nico did not consent to
    analytics and builds on Ada."""
    cast = Cast()
    for key, name in (("A", "Ada Lovelace"), ("B", "Ben Okafor"), ("C", "Chen Wei"), ("E", "Eve Adams")):
        cast.add(key, name)
    cast.add("N", "Nico Private", analytics=False)
    script: list[Line] = [
        (10, "A", "spontaneous", "story", None, "a1"),
        (500, "B", "spontaneous", "tip", "a1"),
        (900, "A", "spontaneous", "failure", None, "a2"),
        (1300, "B", "spontaneous", "story", "a2"),
        (1700, "C", "spontaneous", "tip", None, "c1"),
        (2100, "B", "prompted", "question", "c1"),
        (2500, "N", "spontaneous", "story", "a1"),
    ]
    (wid,) = load_into(store, tmp, workshop(cast, script, minutes=60))
    return Room(store, cast, wid)


@pytest.fixture
def room(sqlite_store: Store, tmp_path: Path) -> Room:
    return build_room(sqlite_store, tmp_path)
