"""A workshop that holds everything the room must never see: the trainer's notes, notes on
shares, e-mails, a role play's private briefs, ratings and markers' notes (as a round source),
and — once analysed — influence figures. Used by the allow-list tests of app/ and ui/."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant
from app.planning.views import Consent, TimerState
from app.planning.workshops import create_workshop
from db.store import Store

SECRETS = ("SECRET-WORKSHOP-NOTE", "SECRET-SHARE-NOTE", "secret.person@example.com", "SECRET-BRIEF",
           "SECRET-RATING-COMMENT", "SECRET-MARKER-NOTE", "SECRET-LOCATION")


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    public: str
    brief: str


@dataclass(frozen=True)
class CastEntry:
    role: Role
    person: str
    participant: uuid.UUID


@dataclass(frozen=True)
class Marker:
    at_s: float
    note: str
    polarity: str = "strength"


@dataclass(frozen=True)
class Rating:
    player: uuid.UUID
    criterion: str
    score: int
    comment: str


@dataclass(frozen=True)
class Round:
    """Shaped like what app/roleplay will offer, with its private parts filled in."""

    scenario: str
    situation: str
    group: str
    number: int
    cast: tuple[CastEntry, ...]
    phase: str
    phase_timer: TimerState | None
    markers: tuple[Marker, ...] = ()
    ratings: tuple[Rating, ...] = ()
    briefs: dict[str, str] = field(default_factory=dict)


@dataclass
class Sample:
    workshop: uuid.UUID
    challenge: uuid.UUID
    roleplay_item: uuid.UUID
    people: dict[str, uuid.UUID]
    live: LiveWorkshop
    round: Round


class Clock:
    def __init__(self, start: datetime) -> None:
        self.t = start

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


NAMES = {"ana": ("Ana Pereira", True), "ben": ("Ben Okafor", True), "chloe": ("Chloé Martin", False),
         "dan": ("Dan Wu", True)}


def sample(store: Store, clock: Clock) -> Sample:
    """Ana's failure story sets Ben and Chloé off; Chloé's tip (no analytics consent) sets Dan
    off; Dan sets nobody off."""
    wid = create_workshop(store, "Customer Calls Sprint", notes="SECRET-WORKSHOP-NOTE",
                          location="SECRET-LOCATION", facilitator="Marta Ruiz")
    challenge = add_agenda_item(store, wid, "challenge", "Handling objections", minutes=10,
                                instructions="In pairs: list the three objections you hear most.")
    rp_item = add_agenda_item(store, wid, "role_play", "The angry customer", minutes=13)
    add_agenda_item(store, wid, "debrief", "What we learned", minutes=5)
    people = {}
    for key, (name, analytics) in NAMES.items():
        email = "secret.person@example.com" if key == "ana" else f"{key}@example.com"
        people[key] = add_participant(store, wid, name, email=email,
                                      consent=Consent(video=True, analytics=analytics, by="Marta Ruiz"))
    set_groups(store, challenge, [[people["ana"], people["ben"]], [people["chloe"], people["dan"]]],
               names=["Group A", "Group B"])
    live = LiveWorkshop(store, wid, now=clock)
    live.start()
    a = live.log(people["ana"], kind="failure", note="SECRET-SHARE-NOTE")
    clock.advance(20)
    live.log(people["ben"], builds_on=a.id)
    clock.advance(20)
    c = live.log(people["chloe"], kind="tip", builds_on=a.id)
    clock.advance(20)
    live.log(people["dan"], builds_on=c.id, note="SECRET-SHARE-NOTE")
    seller = Role("seller", "Seller", "Sells the renewal.", "SECRET-BRIEF")
    customer = Role("customer", "Customer", "Wants a refund.", "SECRET-BRIEF")
    rnd = Round(
        "The angry customer", "A customer calls about a late delivery.", "Group A", 2,
        (CastEntry(seller, "Ana Pereira", people["ana"]), CastEntry(customer, "Ben Okafor", people["ben"])),
        "play", TimerState(360, 0, 300, True, True, False),
        markers=(Marker(12.5, "SECRET-MARKER-NOTE"),),
        ratings=(Rating(people["ana"], "eye_contact", 4, "SECRET-RATING-COMMENT"),),
        briefs={"seller": "SECRET-BRIEF"},
    )
    return Sample(wid, challenge, rp_item, people, live, rnd)
