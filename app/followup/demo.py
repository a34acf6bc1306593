"""The follow-up part of ``ripple demo``: everyone in a finished workshop leaves with a
commitment and the buddy Ripple suggests, and the check-ins that fell due before today are
logged, so the next workshop of the team shows the ones still open. Derived from the seed
(ids from the workshop and the person), so a second demo changes nothing."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.followup.checkins import check_ins_of
from app.followup.commitments import commitments_of_workshop, take_commitment
from app.followup.ripples import suggest_buddy, workshop_ripples
from db.models import CheckIn, Workshop, WorkshopParticipant
from db.store import Store

PLANS = (
    "ask one open question before pitching, in every customer call",
    "share one failure story a week in the team stand-up",
    "try the silent-minute trick in my next difficult conversation",
    "pair with a newer colleague once a week on a real deal",
    "write down one thing a customer taught me each Friday",
    "record a 60-second clip of a tip that worked and post it to the team",
)
_NS = uuid.UUID("5a0c3f7e-2b1d-4e6a-9f8c-7d6e5b4a3c21")


def add_demo_followup(store: Store, seed: int, now: datetime) -> int:
    """Commitments for every finished workshop's roster and the check-ins already due; returns
    how many commitments were taken (0 when the demo had them already)."""
    rng = random.Random(seed * 31 + 5)
    with store.read() as s:
        finished = list(s.execute(select(Workshop.id, Workshop.started_at).where(Workshop.status == "finished")
                                  .order_by(Workshop.started_at, Workshop.id)))
        rosters: dict[uuid.UUID, list[uuid.UUID]] = {}
        for wid, pid in s.execute(select(WorkshopParticipant.workshop_id, WorkshopParticipant.participant_id)
                                  .order_by(WorkshopParticipant.position)):
            rosters.setdefault(wid, []).append(pid)
    taken = 0
    for wid, started in finished:
        if commitments_of_workshop(store, wid):
            continue
        ripples = workshop_ripples(store, wid)
        roster = rosters.get(wid, [])
        for pid in roster:
            buddy = suggest_buddy(ripples, pid, set(roster))
            if buddy is None and len(roster) > 1 and rng.random() < 0.5:
                buddy = rng.choice([p for p in roster if p != pid])
            c = take_commitment(store, wid, pid, rng.choice(PLANS), buddy_id=buddy,
                                at=started + timedelta(hours=3))
            taken += 1
            done = check_ins_of(store, [c.id]).get(c.id, ())
            for n, day in enumerate(c.check_ins_due[len(done):], start=len(done)):
                when = datetime.combine(day, time(17, 30), tzinfo=started.tzinfo)
                if when > now or rng.random() < 0.2:  # not due yet, or forgotten
                    break
                store.append(CheckIn, {"id": uuid.uuid5(_NS, f"{c.id}:{n}"), "commitment_id": c.id, "at": when,
                                       "rating": rng.randint(4, 9), "note": ""})
    return taken
