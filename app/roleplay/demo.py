"""The role plays of ``ripple demo``: the last two finished workshops of one team end with an
objection-handling role play for a triad (three rounds each, everyone plays each role once,
the observers rate), and the newest one's first round is recorded and marked; the planned
workshop gets a role play with its rotation ready to run. Ids derive from the seed, so the
demo stays the same and never doubles."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.planning.ids import group_id
from app.roleplay.cards import CARDS
from app.roleplay.rotation import plan_group
from app.roleplay.rounds import cast_json, round_id
from app.roleplay.scenarios import phases_json, roles_json, rubric_json, scenario_id
from db.models import (
    OBSERVER_ROLE,
    AgendaGroup,
    AgendaItem,
    Clip,
    Marker,
    Participant,
    Rating,
    Round,
    Scenario,
)
from db.store import Store

RecordClip = Callable[[uuid.UUID, uuid.UUID, uuid.UUID | None, datetime], None]
_NS = uuid.UUID("a3c0f5e2-7d14-4b8e-9c61-5e2f0a9d7b33")
CARD = CARDS["objection-handling"]
#: Markers in the demo clip (4 s long): at, rubric key, Shift (to improve), note.
_MARKS = ((0.6, "1", False, "Looked up when the price came"), (1.4, "7", False, ""),
          (2.1, "9", True, "Answered the price before asking why"), (3.2, "", False, "Good silence"))


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_NS, ":".join(str(p) for p in parts))


def add_role_play_item(s: Session, workshop_id: uuid.UUID, groups: Sequence[Sequence[uuid.UUID]],
                       start: datetime | None, *, played: bool) -> tuple[uuid.UUID, list[list[uuid.UUID]]]:
    """A role-play item at the end of the workshop's agenda with the card, its groups and each
    group's rotation (played: the groups in parallel, with phase times); returns (item id,
    round ids per group)."""
    position = (s.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.workshop_id == workshop_id)) or 0) + 1
    minutes = sum(p.minutes for p in CARD.phases)
    item_id = _id(workshop_id, "role-play")
    s.add(AgendaItem(id=item_id, workshop_id=workshop_id, position=position, kind="role_play",
                     title="Role play: the price objection", minutes=minutes * 3,
                     instructions="Triads: seller, customer, observer; everyone plays each role once.",
                     started_at=start if played else None, elapsed_s=minutes * 180.0 if played else 0.0,
                     finished_at=start + timedelta(minutes=minutes * 3) if played and start else None))
    sid = scenario_id(item_id)
    s.add(Scenario(id=sid, agenda_item_id=item_id, title=CARD.title, situation=CARD.situation,
                   roles=roles_json(CARD.roles), phases=phases_json(CARD.phases), rubric=rubric_json(CARD.rubric)))
    ids: list[list[uuid.UUID]] = []
    for g, people in enumerate(groups):
        s.add(AgendaGroup(id=group_id(item_id, g), agenda_item_id=item_id, position=g, name=f"Group {g + 1}",
                          members=[str(p) for p in people]))
        ids.append(_plan_rounds(s, sid, g, people, start if played else None))
    return item_id, ids


def _plan_rounds(s: Session, sid: uuid.UUID, group: int, people: Sequence[uuid.UUID],
                 start: datetime | None) -> list[uuid.UUID]:
    """One group's rotation as rounds; with ``start``, played one after another from then."""
    minutes = sum(p.minutes for p in CARD.phases)
    played = start is not None
    ids = []
    for planned in plan_group(list(people), [r for r in CARD.roles if r.acting], group=group).rounds:
        rid = round_id(sid, planned.group, planned.number)
        row = Round(id=rid, scenario_id=sid, group_index=group, number=planned.number,
                    casting=cast_json(planned.cast), phase_starts={})
        if played and start is not None:
            t = start + timedelta(minutes=minutes * (planned.number - 1))
            row.started_at, row.phase = t, CARD.phases[-1].name
            at = t
            for p in CARD.phases:
                row.phase_starts[p.name] = at.isoformat()
                at += timedelta(minutes=p.minutes)
            row.finished_at = at
        s.add(row)
        ids.append(rid)
    return ids


def groups_of(triad: Sequence[uuid.UUID], roster: Sequence[uuid.UUID]) -> list[list[uuid.UUID]]:
    """The room in triads: first the three who agreed to video (their round is recorded), then
    the rest by roster order; one or two left over join the last group as extra observers."""
    rest = [p for p in roster if p not in triad]
    groups = [list(triad)] + [rest[i:i + 3] for i in range(0, len(rest), 3)]
    if len(groups) > 1 and len(groups[-1]) < 3:
        groups[-2].extend(groups.pop())
    return groups


def rate_rounds(s: Session, rng: random.Random, round_ids: Sequence[uuid.UUID], week: int) -> int:
    """The observer (and the trainer, now and then) rate both players of every round."""
    n = 0
    for rid in round_ids:
        row = s.get(Round, rid)
        assert row is not None
        cast = {c["role"]: uuid.UUID(c["participant"]) for c in row.casting}
        for role in ("seller", "customer"):
            for c in CARD.rubric:
                for rater in (cast[OBSERVER_ROLE], None):
                    if rater is None and rng.random() < 0.6:
                        continue
                    base = 3 + (0.4 * week if c.channel == "non_verbal" else 0.2 * week)
                    score = max(1, min(5, round(base + rng.uniform(-1.2, 1.2))))
                    s.add(Rating(id=_id(rid, role, c.id, rater), round_id=rid, rater_id=rater, player_id=cast[role],
                                 criterion=c.id, score=score, comment=""))
                    n += 1
    return n


def triad_of(s: Session, members: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Three people of the roster who agreed to video (so the round can be recorded)."""
    ok = set(s.scalars(select(Participant.id).where(Participant.id.in_(list(members)),
                                                    Participant.consent_video.is_(True))))
    return [m for m in members if m in ok][:3]


def mark_and_attach(store: Store, item_id: uuid.UUID, round_ids: Sequence[uuid.UUID], record: RecordClip | None,
                    workshop_id: uuid.UUID, at: datetime) -> bool:
    """Record the first round (a demo clip), make it the round's clip and mark it."""
    rid = round_ids[0]
    with store.read() as s:
        row = s.get(Round, rid)
        assert row is not None
        seller = next(uuid.UUID(c["participant"]) for c in row.casting if c["role"] == "seller")
        observer = next(uuid.UUID(c["participant"]) for c in row.casting if c["role"] == OBSERVER_ROLE)
    if record is not None:
        record(workshop_id, seller, item_id, at)
    with store.write() as s:
        clip = s.scalars(select(Clip).where(Clip.agenda_item_id == item_id).order_by(Clip.at)).first()
        row = s.get(Round, rid)
        assert row is not None
        if clip is not None:
            row.clip_id = clip.id
            clip.title = f"{CARD.title} · round 1"[:200]
        rubric = list(CARD.rubric)
        for i, (at_s, key, shift, note) in enumerate(_MARKS):
            criterion = rubric[int(key) - 1].id if key else None
            s.add(Marker(id=_id(rid, "marker", i), round_id=rid, at_s=at_s, criterion=criterion,
                         polarity="improve" if shift else "strength", by_id=observer if i % 2 == 0 else None,
                         note=note))
    return clip is not None


def add_demo_role_plays(store: Store, seed: int, past: Sequence[uuid.UUID], upcoming: uuid.UUID,
                        record: RecordClip | None) -> str:
    """Role plays in ``past`` workshops (oldest first) and ``upcoming``; returns the summary's words."""
    from db.models import Workshop, WorkshopParticipant

    rng = random.Random(seed + 11)
    played: list[tuple[uuid.UUID, uuid.UUID, list[uuid.UUID], datetime]] = []
    with store.write() as s:

        def roster(wid: uuid.UUID) -> list[uuid.UUID]:
            return list(s.scalars(select(WorkshopParticipant.participant_id)
                                  .where(WorkshopParticipant.workshop_id == wid).order_by(WorkshopParticipant.position)))

        for week, wid in enumerate(past):
            w = s.get(Workshop, wid)
            triad = triad_of(s, roster(wid)) if w is not None else []
            if w is None or len(triad) < 3 or s.get(AgendaItem, _id(wid, "role-play")) is not None:
                continue
            end = s.scalar(select(func.max(AgendaItem.finished_at)).where(AgendaItem.workshop_id == wid)) or w.started_at
            item, by_group = add_role_play_item(s, wid, groups_of(triad, roster(wid)), end, played=True)
            rate_rounds(s, rng, [r for group in by_group for r in group], week)
            played.append((wid, item, by_group[0], end))
        nxt = triad_of(s, roster(upcoming)) if s.get(Workshop, upcoming) is not None else []
        if len(nxt) == 3 and s.get(AgendaItem, _id(upcoming, "role-play")) is None:
            add_role_play_item(s, upcoming, groups_of(nxt, roster(upcoming)), None, played=False)
    if not played:
        return ""
    wid, item, rounds, end = played[-1]
    recorded = mark_and_attach(store, item, rounds, record, wid, end + timedelta(minutes=4))
    return f", {len(played)} role plays (groups in triads, 3 rounds each{', one recorded and marked' if recorded else ''})"
