"""What the role-play screens list and open: scenarios of other workshops to copy from, the
recorded rounds a review can open, and everything one review shows in one read.

Plain reads for ``ui/`` (the planner's card editor, the review screen); no writes here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.clips.library import ClipLibrary
from app.planning.ids import existing_row
from app.roleplay.markers import markers_of
from app.roleplay.ratings import PlayerSummary, ratings_in, summarise
from app.roleplay.rounds import view_of as round_view
from app.roleplay.scenarios import view_of as scenario_view
from app.roleplay.views import MarkerView, RatingView, RoundView, ScenarioView
from db.models import AgendaItem, Clip, Participant, Round, Scenario, Workshop, WorkshopParticipant
from db.store import Store


@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario of some role-play item, as the "copy from another workshop" list shows it."""

    id: uuid.UUID
    title: str
    workshop_id: uuid.UUID
    workshop_title: str
    item_title: str
    started_at: datetime

    @property
    def label(self) -> str:
        return f"{self.title} — {self.workshop_title} · {self.item_title}"


def scenarios_to_copy(store: Store, *, except_item: uuid.UUID | None = None) -> list[ScenarioChoice]:
    """Every scenario in the store but the one of ``except_item``, newest workshop first."""
    with store.read() as s:
        rows = s.execute(
            select(Scenario, AgendaItem.title, Workshop.id, Workshop.title, Workshop.started_at)
            .join(AgendaItem, AgendaItem.id == Scenario.agenda_item_id)
            .join(Workshop, Workshop.id == AgendaItem.workshop_id)
            .order_by(Workshop.started_at.desc(), AgendaItem.position, Scenario.id)
        ).all()
    return [ScenarioChoice(sc.id, sc.title, wid, wtitle, ititle, started)
            for sc, ititle, wid, wtitle, started in rows if sc.agenda_item_id != except_item]


@dataclass(frozen=True)
class RecordedRound:
    """A round with a recording, for the review's round list."""

    id: uuid.UUID
    workshop_id: uuid.UUID
    workshop_title: str
    item_title: str
    scenario_title: str
    group: int
    number: int
    at: datetime

    @property
    def label(self) -> str:
        return (f"{self.scenario_title} · group {self.group + 1}, round {self.number} — "
                f"{self.workshop_title}")


def recorded_rounds(store: Store, workshop_id: uuid.UUID | None = None) -> list[RecordedRound]:
    """The rounds that have a clip (of one workshop, or all), newest first."""
    with store.read() as s:
        q = (select(Round, Scenario.title, AgendaItem.title, Workshop.id, Workshop.title, Clip.at)
             .join(Scenario, Scenario.id == Round.scenario_id)
             .join(AgendaItem, AgendaItem.id == Scenario.agenda_item_id)
             .join(Workshop, Workshop.id == AgendaItem.workshop_id)
             .join(Clip, Clip.id == Round.clip_id)
             .order_by(Clip.at.desc(), Round.group_index, Round.number))
        if workshop_id is not None:
            q = q.where(Workshop.id == workshop_id)
        rows = s.execute(q).all()
    return [RecordedRound(r.id, wid, wtitle, ititle, stitle, r.group_index, r.number, at)
            for r, stitle, ititle, wid, wtitle, at in rows]


@dataclass(frozen=True)
class RoundReview:
    """All a review of one round shows: the round, its card, who is who, the video, the
    markers in time order, the ratings that count and the rubric summary per player."""

    round: RoundView
    scenario: ScenarioView
    workshop_title: str
    names: dict[uuid.UUID, str]
    clip_path: Path | None
    clip_seconds: float
    markers: tuple[MarkerView, ...]
    ratings: tuple[RatingView, ...]
    summaries: tuple[PlayerSummary, ...]

    def name(self, pid: uuid.UUID | None) -> str:
        return "Trainer" if pid is None else self.names.get(pid, "someone")

    @property
    def why_no_video(self) -> str:
        if self.round.clip_id is None:
            return "This round was not recorded."
        if self.clip_path is None:
            return "The recording of this round is not on this laptop; sync to fetch it."
        return ""


def round_review(store: Store, library: ClipLibrary, round_id: uuid.UUID) -> RoundReview:
    """One read of everything the review screen shows for ``round_id``."""
    with store.read() as s:
        row: Round = existing_row(s, Round, round_id, "round")
        rnd = round_view(row)
        scenario = scenario_view(existing_row(s, Scenario, row.scenario_id, "scenario"))
        item = existing_row(s, AgendaItem, scenario.agenda_item_id, "agenda item")
        workshop = existing_row(s, Workshop, item.workshop_id, "workshop")
        people = s.execute(select(Participant.id, Participant.name)
                           .join(WorkshopParticipant, WorkshopParticipant.participant_id == Participant.id)
                           .where(WorkshopParticipant.workshop_id == item.workshop_id)).all()
        clip = s.get(Clip, rnd.clip_id) if rnd.clip_id else None
        sha, seconds = (clip.sha256, clip.seconds or 0.0) if clip else ("", 0.0)
        ratings = ratings_in(s, [round_id])
        title = workshop.title
    names = {pid: name for pid, name in people}
    summaries = tuple(summarise(scenario.rubric, ratings, p) for p in rnd.players)
    path = library.path_if_present(sha) if sha else None
    return RoundReview(rnd, scenario, title, names, path, float(seconds), tuple(markers_of(store, round_id)),
                       tuple(ratings), summaries)


__all__ = ["RecordedRound", "RoundReview", "ScenarioChoice", "recorded_rounds", "round_review", "scenarios_to_copy"]
