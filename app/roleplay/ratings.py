"""Observer ratings: 1–5 per criterion with an optional comment, and their summaries.

Ratings are append-only: rating the same player on the same criterion again adds a row, and
the newest row of each (round, rater, player, criterion) is the one that counts. So ratings
from a second laptop merge by sync without conflicts, and a change of mind is never lost
in a merge. A rater never rates themself; the facilitator is the rater ``None``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldError
from app.planning.ids import existing_row
from app.roleplay.rounds import view_of as round_view
from app.roleplay.scenarios import view_of as scenario_view
from app.roleplay.views import Criterion, RatingView
from db.models import Rating, Round, Scenario
from db.store import Store

COMMENT_LIMIT = 1000


def rate(store: Store, round_id: uuid.UUID, player: uuid.UUID, criterion: str, score: int, *,
         rater: uuid.UUID | None = None, comment: str = "") -> RatingView:
    """Record one score; checked against the round's rubric and cast first."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise FieldError("score", "A score is a whole number from 1 to 5.")
    if rater is not None and rater == player:
        raise FieldError("rater", "Nobody rates themself; the observers and the trainer rate the players.")
    with store.write() as s:
        row: Round = existing_row(s, Round, round_id, "round")
        scenario = scenario_view(existing_row(s, Scenario, row.scenario_id, "scenario"))
        if scenario.criterion(criterion) is None:
            raise FieldError("criterion", f"“{criterion}” is not a criterion of this round's rubric.")
        rnd = round_view(row)
        if player not in rnd.players:
            raise FieldError("player", "Only the people who play in this round can be rated for it.")
        rating = Rating(round_id=round_id, rater_id=rater, player_id=player, criterion=criterion,
                        score=score, comment=(comment or "").strip()[:COMMENT_LIMIT])
        s.add(rating)
        s.flush()
        return _view(rating)


def _view(r: Rating) -> RatingView:
    return RatingView(r.id, r.round_id, r.rater_id, r.player_id, r.criterion, r.score, r.comment, r.created_at)


def current(rows: Iterable[RatingView]) -> list[RatingView]:
    """The rating that counts for each (round, rater, player, criterion): the last one in
    ``rows``, which come oldest first (:func:`ratings_in` orders them by version)."""
    latest: dict[tuple[object, ...], RatingView] = {}
    for r in rows:
        latest[(r.round_id, r.rater, r.player, r.criterion)] = r
    return list(latest.values())


def ratings_in(s: Session, round_ids: Sequence[uuid.UUID]) -> list[RatingView]:
    """The ratings that count in these rounds. Newest is by version (HLC), not by a laptop's
    wall clock, so a second laptop whose clock is behind still has its later rating count."""
    if not round_ids:
        return []
    rows = s.scalars(select(Rating).where(Rating.round_id.in_(list(round_ids))).order_by(Rating.hlc, Rating.id))
    return current(_view(r) for r in rows)


def ratings_of(store: Store, round_id: uuid.UUID) -> list[RatingView]:
    """The ratings that count in a round."""
    with store.read() as s:
        return ratings_in(s, [round_id])


@dataclass(frozen=True)
class CriterionScore:
    criterion: str
    label: str
    channel: str
    mean: float | None
    count: int
    comments: tuple[str, ...]


@dataclass(frozen=True)
class PlayerSummary:
    """One player's rubric in one round (or over rounds): per criterion, and per channel."""

    player: uuid.UUID
    criteria: tuple[CriterionScore, ...]
    verbal: float | None
    non_verbal: float | None


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summarise(rubric: Sequence[Criterion], ratings: Iterable[RatingView], player: uuid.UUID) -> PlayerSummary:
    """Means per criterion and per channel (the channel mean is over the criteria's means,
    so a criterion rated by many does not outweigh the others)."""
    mine = [r for r in ratings if r.player == player]
    scores: list[CriterionScore] = []
    for c in rubric:
        of = [r for r in mine if r.criterion == c.id]
        scores.append(CriterionScore(c.id, c.label, c.channel, _mean([r.score for r in of]), len(of),
                                     tuple(r.comment for r in of if r.comment)))
    by_channel = {ch: [s.mean for s in scores if s.channel == ch and s.mean is not None]
                  for ch in ("verbal", "non_verbal")}
    return PlayerSummary(player, tuple(scores), _mean(by_channel["verbal"]), _mean(by_channel["non_verbal"]))


def round_summary(store: Store, round_id: uuid.UUID) -> list[PlayerSummary]:
    """The rubric summary beside the review: one per player of the round."""
    with store.read() as s:
        row: Round = existing_row(s, Round, round_id, "round")
        scenario = scenario_view(existing_row(s, Scenario, row.scenario_id, "scenario"))
        rnd = round_view(row)
        ratings = ratings_in(s, [round_id])
    return [summarise(scenario.rubric, ratings, p) for p in rnd.players]
