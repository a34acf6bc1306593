"""A triad's round played, recorded (a fake clip file), marked and rated: the rows every
role-play file, sync and erasure test needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from app.roleplay.markers import MarkerLog
from app.roleplay.ratings import rate
from app.roleplay.rounds import advance_phase, attach_clip, start_round
from db.models import OBSERVER_ROLE
from db.store import Store
from tests.helpers.roleplay import Triad, triad
from tests.helpers.sync import add_clip


@dataclass(frozen=True)
class Played:
    t: Triad
    round_id: uuid.UUID
    seller: uuid.UUID
    customer: uuid.UUID
    observer: uuid.UUID
    clip_id: uuid.UUID
    sha: str


def played(store: Store, clips: Path) -> Played:
    t = triad(store)
    rnd = t.rounds[0]
    role = {c.role: c.participant_id for c in rnd.cast}
    start_round(store, rnd.id)
    advance_phase(store, rnd.id)
    clip_id, sha = add_clip(store, t.workshop, role["seller"], clips)
    attach_clip(store, rnd.id, clip_id)
    log = MarkerLog(store, rnd.id)
    log.drop_key(3.5, "1", by=role[OBSERVER_ROLE])
    log.drop(9.0, criterion="handling_objections", polarity="improve", note="Answered the price too fast")
    log.drop(12.0, note="bookmark", by=role["customer"])
    rate(store, rnd.id, role["seller"], "eye_contact", 4, rater=role[OBSERVER_ROLE], comment="Steady")
    rate(store, rnd.id, role["seller"], "next_step", 2)
    rate(store, rnd.id, role["customer"], "tone_of_voice", 5, rater=role["seller"])
    rate(store, rnd.id, role["customer"], "pace", 4, rater=role[OBSERVER_ROLE])
    return Played(t, rnd.id, role["seller"], role["customer"], role[OBSERVER_ROLE], clip_id, sha)
