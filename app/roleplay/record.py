"""A participant's role-play record, shown in Insights beside the influence profile: rounds
played per role, rubric scores per criterion over time (one point per workshop), verbal vs
non-verbal. It never feeds the influence index (docs/influence.md says how the two relate).

Like the rest of Insights it is only there for people who consented to analytics, and not
for erased people (their ratings are gone anyway). Scores are the ratings that count (the
newest of each rater, player, criterion and round); a point is the mean of a workshop's.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.roleplay.ratings import ratings_in
from app.roleplay.rounds import view_of as round_view
from app.roleplay.scenarios import view_of as scenario_view
from app.roleplay.views import RatingView, RoundView, ScenarioView
from db.models import AgendaItem, Participant, Round, Scenario, Workshop
from db.store import Store


@dataclass(frozen=True)
class ScorePoint:
    workshop_id: uuid.UUID
    workshop: str
    at: datetime
    mean: float
    ratings: int


@dataclass(frozen=True)
class CriterionTrend:
    criterion: str
    label: str
    channel: str
    points: tuple[ScorePoint, ...]

    @property
    def mean(self) -> float | None:
        n = sum(p.ratings for p in self.points)
        return round(sum(p.mean * p.ratings for p in self.points) / n, 2) if n else None


@dataclass(frozen=True)
class RolePlayRecord:
    participant_id: uuid.UUID
    #: rounds played per role key (observer included), and the role names to show
    rounds_by_role: dict[str, int]
    role_names: dict[str, str]
    criteria: tuple[CriterionTrend, ...]
    #: the means of every rating received on each channel
    verbal: float | None
    non_verbal: float | None

    @property
    def rounds(self) -> int:
        return sum(self.rounds_by_role.values())


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def roleplay_record(store: Store, participant_id: uuid.UUID) -> RolePlayRecord | None:
    """The record, or None for someone who has not consented to analytics (or was erased)."""
    with store.read() as s:
        person = s.get(Participant, participant_id)
        if person is None or person.erased_at is not None or not person.consent_analytics:
            return None
        text = str(participant_id)
        rows = s.execute(
            select(Round, Scenario, Workshop)
            .join(Scenario, Scenario.id == Round.scenario_id)
            .join(AgendaItem, AgendaItem.id == Scenario.agenda_item_id)
            .join(Workshop, Workshop.id == AgendaItem.workshop_id)
            .where(Round.started_at.isnot(None))
        ).all()
        played: list[tuple[RoundView, ScenarioView, Workshop]] = []
        for r, sc, w in rows:
            if any(str(c.get("participant")) == text for c in r.casting or []):
                played.append((round_view(r), scenario_view(sc), w))
        ratings = [g for g in ratings_in(s, [r.id for r, _sc, _w in played]) if g.player == participant_id]
    return _record(participant_id, played, ratings)


def _record(pid: uuid.UUID, played: list[tuple[RoundView, ScenarioView, Workshop]],
            ratings: list[RatingView]) -> RolePlayRecord:
    by_role: Counter[str] = Counter()
    names: dict[str, str] = {}
    where: dict[uuid.UUID, Workshop] = {}
    labels: dict[str, tuple[str, str]] = {}
    for rnd, sc, w in played:
        role = rnd.role_of(pid) or ""
        by_role[role] += 1
        found = sc.role(role)
        names.setdefault(role, found.name if found else role.replace("_", " ").capitalize())
        where[rnd.id] = w
        for c in sc.rubric:
            labels.setdefault(c.id, (c.label, c.channel))
    scores: dict[str, dict[uuid.UUID, list[int]]] = defaultdict(lambda: defaultdict(list))
    channel_scores: dict[str, list[int]] = {"verbal": [], "non_verbal": []}
    for g in ratings:
        w = where[g.round_id]
        scores[g.criterion][w.id].append(g.score)
        known = labels.get(g.criterion)
        if known is not None:
            channel_scores.setdefault(known[1], []).append(g.score)
    workshops = {w.id: w for w in where.values()}
    trends = []
    for cid, (label, channel) in labels.items():
        if cid not in scores:
            continue
        points = sorted(
            (ScorePoint(wid, workshops[wid].title, workshops[wid].started_at, round(sum(v) / len(v), 2), len(v))
             for wid, v in scores[cid].items()),
            key=lambda p: p.at,
        )
        trends.append(CriterionTrend(cid, label, channel, tuple(points)))
    return RolePlayRecord(pid, dict(by_role), names, tuple(trends), _mean(channel_scores["verbal"]),
                          _mean(channel_scores["non_verbal"]))
