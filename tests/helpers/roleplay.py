"""A role-play item with a triad, its scenario from a built-in card and its stored rotation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from app.roleplay.rounds import propose_rotation, rounds_of, store_rotation
from app.roleplay.scenarios import create_scenario
from app.roleplay.views import RoundView
from db.store import Store


@dataclass(frozen=True)
class Triad:
    workshop: uuid.UUID
    item: uuid.UUID
    scenario: uuid.UUID
    people: list[uuid.UUID]
    rounds: list[RoundView]


def triad(store: Store, *, video: bool = True, names: tuple[str, ...] = ("Ana García", "Ben Okafor", "Chloé Martin"),
          card: str = "objection-handling") -> Triad:
    wid = create_workshop(store, "Objections lab", facilitator="Marta Ruiz",
                          started_at=datetime(2026, 11, 24, 9, tzinfo=UTC))
    item = add_agenda_item(store, wid, "role_play", "Price objection", minutes=39)
    people = [add_participant(store, wid, n, email=f"{i}@example.org") for i, n in enumerate(names)]
    for p in people:
        set_consent(store, p, video=video, analytics=True, by="Marta Ruiz")
    set_groups(store, item, [people])
    sid = create_scenario(store, item, from_card=card)
    store_rotation(store, sid, propose_rotation(store, item))
    return Triad(wid, item, sid, people, rounds_of(store, sid))
