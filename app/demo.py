"""``ripple demo``: a living store for a newcomer to look at.

Several weekly workshops of two teams, with people whose behaviour has a story the analytics
should find: a quieter participant whose spontaneous shares set others off and who grows
week by week; a newcomer who is strong from the first day; a loud participant who mostly
speaks when called on; one person with a single lucky share; people who have not consented
to analytics or video. Everything is derived from the seed, so the same seed gives the same
demo, and running it twice does not double anything.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.planning.ids import membership_id, person_id_for_email
from app.planning.participants import record_consent_in
from app.planning.templates import TEMPLATES, Template
from app.roleplay.demo import add_demo_role_plays
from db.models import (
    AgendaGroup,
    AgendaItem,
    Contribution,
    Participant,
    Reaction,
    Workshop,
    WorkshopParticipant,
)
from db.store import Store
from db.types import utcnow

DEMO_NS = uuid.UUID("0f6b1d0e-3d1c-4a55-9a3b-6a2f0c7d9e11")


@dataclass(frozen=True)
class Persona:
    name: str
    team: str
    activity: float  # contributions per 10 minutes of open discussion
    spontaneity: float  # share of their contributions that are unprompted
    ripple: float  # chance that a spontaneous share sets others off
    growth: float = 0.0  # change of activity and ripple per workshop
    joins: int = 0  # first workshop (index) they attend
    video: bool = True
    community: bool = True
    analytics: bool = True
    lucky_once: bool = False


NORTH, SOUTH = "Sales North", "Sales South"
PERSONAS: tuple[Persona, ...] = (
    Persona("Constanza García", NORTH, 0.35, 0.9, 0.35, growth=0.1),
    Persona("Olumide Adeyemi", NORTH, 1.6, 0.15, 0.02),
    Persona("Priya Raman", NORTH, 0.9, 0.75, 0.35),
    Persona("Jonas Lindqvist", NORTH, 0.4, 0.45, 0.08, community=False),
    Persona("Amélie Dubois", NORTH, 0.35, 0.5, 0.05, video=False),
    Persona("Mateusz Kowalski", NORTH, 0.3, 0.3, 0.04, analytics=False),
    Persona("Sofia Rossi", NORTH, 0.5, 0.6, 0.12),
    Persona("Ahmed Haddad", NORTH, 0.15, 0.2, 0.0),
    Persona("Lucía Fernández", NORTH, 0.45, 0.55, 0.1, growth=0.02),
    Persona("Kenji Watanabe", NORTH, 0.8, 0.85, 0.5, joins=4),
    Persona("Hannah Schmidt", NORTH, 0.05, 0.0, 0.0, community=False),
    Persona("Diego Alvarez", SOUTH, 0.5, 0.7, 0.3, growth=0.05),
    Persona("Sipho Ndlovu", SOUTH, 1.3, 0.2, 0.03),
    Persona("Mei Lin", SOUTH, 0.5, 0.55, 0.12),
    Persona("Rafael Costa", SOUTH, 0.3, 0.5, 0.05, lucky_once=True),
    Persona("Ingrid Solberg", SOUTH, 0.4, 0.4, 0.08, video=False, community=False),
    Persona("Youssef Benali", SOUTH, 0.35, 0.6, 0.1),
    Persona("Zoë Clarke", SOUTH, 0.25, 0.3, 0.04, analytics=False),
    Persona("Ana Pereira", SOUTH, 0.6, 0.65, 0.2),
    Persona("Liam O'Connor", SOUTH, 0.1, 0.1, 0.0),
    Persona("Chloé Martin", SOUTH, 0.45, 0.5, 0.1),
)

FACILITATORS = {NORTH: "Marta Ruiz", SOUTH: "Tom Becker"}
ZONES = {NORTH: timezone(timedelta(hours=1)), SOUTH: timezone(timedelta(hours=0))}
KINDS = ("story", "tip", "question", "failure", "help", "other")
KIND_WEIGHTS = (0.32, 0.28, 0.14, 0.14, 0.08, 0.04)
SCHEDULE = ("challenge-sprint", "failure-circle", "top-tip-tuesday")


def _email(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    first, *rest = ascii_name.lower().replace("'", "").split()
    return f"{first}.{''.join(rest)}@example.com"


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(DEMO_NS, ":".join(str(p) for p in parts))


@dataclass
class _Event:
    at: datetime
    who: Persona
    initiative: str
    kind: str
    builds_on: uuid.UUID | None
    id: uuid.UUID
    depth: int


def build_demo(
    store: Store,
    *,
    seed: int = 7,
    workshops: int = 8,
    clips: bool = True,
    now: datetime | None = None,
    record_clip: Callable[[uuid.UUID, uuid.UUID, uuid.UUID | None, datetime], None] | None = None,
) -> str:
    """Fill the store; returns a one-line summary. Safe to run twice."""
    rng = random.Random(seed)
    now = now or utcnow()
    with store.read() as s:
        if s.get(Workshop, _id(seed, "workshop", 0, NORTH)) is not None:
            return "The demo is already in this store; open `ripple` to look at it."
    weeks = max(1, workshops // 2)
    with store.write() as s:
        people = _add_people(s, consent_time=now - timedelta(weeks=weeks + 1))
        held, contributions = _add_past_workshops(s, rng, seed, now, weeks, workshops, people)
        held += _add_next_workshop(s, seed, now, people)
    summary = f"Demo ready: {held} workshops, {len(people)} participants, {contributions} contributions"
    summary += add_demo_role_plays(store, seed, [_id(seed, "workshop", w, NORTH) for w in range(weeks)][-2:],
                                   _id(seed, "workshop", "next", NORTH), record_clip if clips else None)
    if clips and record_clip is not None:
        n = _record_clips(store, seed, record_clip)
        _react_to_clips(store, seed)
        summary += f", {n} clips"
    return summary + ". Open `ripple` to look at it."


def _add_people(s: Session, *, consent_time: datetime) -> dict[str, Participant]:
    """Every persona as a person (by e-mail, so a second demo finds the same rows), by name."""
    people: dict[str, Participant] = {}
    for p in PERSONAS:
        email = _email(p.name)
        row = s.get(Participant, person_id_for_email(email))
        if row is None:
            row = Participant(
                id=person_id_for_email(email),
                name=p.name,
                email=email,
                team=p.team,
            )
            s.add(row)
            record_consent_in(s, row, video=p.video, community=p.community and p.video,
                              analytics=p.analytics, at=consent_time, by=FACILITATORS[p.team])
        people[p.name] = row
    s.flush()
    return people


def _add_past_workshops(
    s: Session,
    rng: random.Random,
    seed: int,
    now: datetime,
    weeks: int,
    workshops: int,
    people: dict[str, Participant],
) -> tuple[int, int]:
    """Weekly Tuesday workshops of both teams, run and finished; returns (workshops, contributions)."""
    held = contributions = 0
    for week in range(weeks):
        for team in (NORTH, SOUTH):
            if held >= workshops:
                break
            tz = ZONES[team]
            day = (now - timedelta(weeks=weeks - week)).astimezone(tz)
            day = day - timedelta(days=(day.weekday() - 1) % 7)  # Tuesdays
            start = day.replace(hour=9 if team == NORTH else 14, minute=30, second=0, microsecond=0)
            template = TEMPLATES[SCHEDULE[(week + (team == SOUTH)) % len(SCHEDULE)]]
            contributions += _simulate(s, rng, seed, week, team, start, template, people)
            held += 1
    return held, contributions


def _add_next_workshop(s: Session, seed: int, now: datetime, people: dict[str, Participant]) -> int:
    """One workshop planned for next week, ready to run live; returns how many were added."""
    nxt = (now + timedelta(days=7)).astimezone(ZONES[NORTH]).replace(hour=9, minute=30, second=0, microsecond=0)
    wid = _id(seed, "workshop", "next", NORTH)
    if s.get(Workshop, wid) is not None:
        return 0
    s.add(Workshop(id=wid, title="Challenge sprint: renewals", facilitator=FACILITATORS[NORTH],
                   team=NORTH, started_at=nxt, utc_offset_min=60, status="planned",
                   location="Room 2.14"))
    s.flush()
    for pos, item in enumerate(TEMPLATES["challenge-sprint"].items):
        s.add(AgendaItem(id=_id(wid, "item", pos), workshop_id=wid, position=pos, kind=item.kind,
                         title=item.title, instructions=item.instructions, minutes=item.minutes))
    for pos, p in enumerate(x for x in PERSONAS if x.team == NORTH):
        pid = people[p.name].id
        s.add(WorkshopParticipant(id=membership_id(wid, pid), workshop_id=wid, participant_id=pid,
                                  position=pos))
    return 1


def _simulate(
    s: Session,
    rng: random.Random,
    seed: int,
    week: int,
    team: str,
    start: datetime,
    template: Template,
    people: dict[str, Participant],
) -> int:
    """One finished workshop of ``template``: roster, agenda, groups, contributions, reactions."""
    index = week * 2 + (team == SOUTH)
    wid = _id(seed, "workshop", week, team)
    present = [p for p in PERSONAS if p.team == team and p.joins <= index]
    # Not everyone comes every week.
    present = [p for p in present if rng.random() < 0.92 or p.ripple > 0.3]
    title = f"{template.title} · week {week + 1}"
    s.add(Workshop(id=wid, title=title, facilitator=FACILITATORS[team], team=team, started_at=start,
                   utc_offset_min=int((start.utcoffset() or timedelta(0)).total_seconds() // 60),
                   status="finished", location="Training room" if team == NORTH else "Online + room B"))
    s.flush()
    for pos, p in enumerate(present):
        pid = people[p.name].id
        s.add(WorkshopParticipant(id=membership_id(wid, pid), workshop_id=wid, participant_id=pid, position=pos))
    t = start
    count = 0
    events: list[_Event] = []
    for pos, item in enumerate(template.items):
        iid = _id(wid, "item", pos)
        dur = item.minutes * 60
        s.add(AgendaItem(id=iid, workshop_id=wid, position=pos, kind=item.kind, title=item.title,
                         instructions=item.instructions, minutes=item.minutes, started_at=t,
                         elapsed_s=dur * rng.uniform(0.9, 1.2), finished_at=t + timedelta(seconds=dur)))
        groups: list[list[Persona]] = [present]
        if item.kind in ("challenge", "role_play") and len(present) >= 8:
            shuffled = present[:]
            rng.shuffle(shuffled)
            k = 2 if len(present) < 12 else 3
            groups = [shuffled[i::k] for i in range(k)]
            for gi, g in enumerate(groups):
                s.add(AgendaGroup(id=_id(iid, "group", gi), agenda_item_id=iid, position=gi, name=f"Group {gi + 1}",
                                  members=[str(people[p.name].id) for p in g]))
        if item.kind != "break":
            item_events = _item_events(rng, t, dur, groups, index, iid)
            for ev in item_events:
                s.add(Contribution(id=ev.id, workshop_id=wid, agenda_item_id=iid, participant_id=people[ev.who.name].id,
                                   at=ev.at, kind=ev.kind, initiative=ev.initiative, builds_on_id=ev.builds_on))
            events += item_events
            count += len(item_events)
        t += timedelta(seconds=dur)
    s.flush()
    # Peers react to what helped them: more to shares that started something.
    started = {e.builds_on for e in events if e.builds_on}
    for ev in events:
        weight = 0.5 if ev.id in started else 0.08
        for r in range(3):
            if rng.random() < weight:
                reactor = rng.choice([p for p in present if p is not ev.who] or [ev.who])
                s.add(Reaction(id=_id(ev.id, "reaction", r), workshop_id=wid, at=ev.at + timedelta(seconds=30 + r),
                               participant_id=people[reactor.name].id, contribution_id=ev.id,
                               kind=rng.choice(("helpful", "inspired", "tried_it"))))
    return count


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth; lam is small here.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _item_events(
    rng: random.Random, start: datetime, dur: float, groups: list[list[Persona]], index: int, iid: uuid.UUID
) -> list[_Event]:
    events: list[_Event] = []
    serial = 0

    def new_id() -> uuid.UUID:
        nonlocal serial
        serial += 1
        return _id(iid, "c", serial)

    def kind() -> str:
        return rng.choices(KINDS, KIND_WEIGHTS)[0]

    for group in groups:
        for p in group:
            activity = max(0.0, p.activity + p.growth * index * 3)
            lam = activity * dur / 600.0 * (1.0 if len(groups) == 1 else 1.3)
            for _ in range(_poisson(rng, lam)):
                spont = rng.random() < p.spontaneity
                at = start + timedelta(seconds=rng.uniform(30, dur - 30))
                ev = _Event(at, p, "spontaneous" if spont else "prompted", kind(), None, new_id(), 0)
                events.append(ev)
        # Ripples: a spontaneous share sets others in the same group off.
        queue = [e for e in events if e.initiative == "spontaneous" and e.who in group]
        lucky_done = False
        while queue:
            ev = queue.pop(0)
            power = min(0.95, ev.who.ripple + ev.who.growth * index)
            if ev.who.lucky_once and not lucky_done and index == 1:
                power, lucky_done = 1.0, True
            if ev.depth >= 2 or rng.random() >= power:
                continue
            others = [p for p in group if p is not ev.who]
            rng.shuffle(others)
            for follower in others[: rng.choice((1, 1, 2, 2, 3))]:
                at = ev.at + timedelta(seconds=rng.uniform(15, 110))
                explicit = rng.random() < 0.55
                spont = rng.random() < max(0.6, follower.spontaneity)
                child = _Event(at, follower, "spontaneous" if spont else "prompted",
                               ev.kind if rng.random() < 0.5 else kind(),
                               ev.id if explicit else None, new_id(), ev.depth + 1)
                events.append(child)
                if spont:
                    queue.append(child)
    return sorted(events, key=lambda e: e.at)


def _react_to_clips(store: Store, seed: int) -> None:
    """The room reacted to the demo clips (more to the ripple starters' clips)."""
    from db.models import Clip

    rng = random.Random(seed + 2)
    with store.write() as s:
        members: dict[uuid.UUID, list[uuid.UUID]] = {}
        for m in s.scalars(select(WorkshopParticipant)):
            members.setdefault(m.workshop_id, []).append(m.participant_id)
        strong = {person_id_for_email(_email(p.name)) for p in PERSONAS if p.ripple >= 0.3}
        for c in s.scalars(select(Clip).order_by(Clip.at)):
            peers = sorted(p for p in members.get(c.workshop_id, []) if p != c.participant_id)
            n = rng.randint(3, 6) if c.participant_id in strong else rng.randint(0, 3)
            for i, reactor in enumerate(rng.sample(peers, min(n, len(peers)))):
                rid = _id(c.id, "reaction", i)
                if s.get(Reaction, rid) is None:
                    s.add(Reaction(id=rid, workshop_id=c.workshop_id, at=c.at + timedelta(minutes=1, seconds=i),
                                   participant_id=reactor, clip_id=c.id,
                                   kind=rng.choice(("helpful", "inspired", "tried_it"))))


def _record_clips(
    store: Store, seed: int, record_clip: Callable[[uuid.UUID, uuid.UUID, uuid.UUID | None, datetime], None]
) -> int:
    """A few short clips from the people who consented to video, in the clip rounds."""
    n = 0
    with store.read() as s:
        rows = s.execute(
            select(AgendaItem.id, AgendaItem.workshop_id, AgendaItem.started_at)
            # Clip rounds that ran, newest first, then by id: the same demo on every backend
            # (SQLite and PostgreSQL sort a missing start at opposite ends).
            .where(AgendaItem.kind == "clip_round", AgendaItem.started_at.is_not(None))
            .order_by(AgendaItem.started_at.desc(), AgendaItem.id)
        ).all()
        consenting = {
            p.id for p in s.scalars(select(Participant).where(Participant.consent_video.is_(True)))
        }
        members = {
            (m.workshop_id, m.participant_id)
            for m in s.scalars(select(WorkshopParticipant))
        }
    rng = random.Random(seed + 1)
    for item_id, wid, started in rows[:3]:
        people = [pid for (w, pid) in members if w == wid and pid in consenting]
        people.sort()
        for pid in rng.sample(people, min(2, len(people))):
            record_clip(wid, pid, item_id, (started or utcnow()) + timedelta(minutes=2 + n))
            n += 1
    return n
