"""Everything the review screen of a recorded round needs, read in one go: the round and
its scenario, the clip (file here or not, length), the markers in time order with who
dropped them, and the rubric summary of each player. The navigation itself (next marker,
filters, loop) is in :mod:`app.roleplay.markers`; a comment typed in review is a marker
(:func:`app.roleplay.markers.drop_marker`) or a rating (:func:`app.roleplay.ratings.rate`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.clips.library import ClipLibrary
from app.planning.ids import existing_row
from app.roleplay.markers import markers_of
from app.roleplay.ratings import PlayerSummary, round_summary
from app.roleplay.rounds import view_of
from app.roleplay.scenarios import view_of as scenario_view
from app.roleplay.views import MarkerView, RoundView, ScenarioView
from db.models import Clip, Participant, Round, Scenario
from db.store import Store


@dataclass(frozen=True)
class Review:
    round: RoundView
    scenario: ScenarioView
    #: the clip file on this laptop (None: not recorded, deleted, or not synced here yet)
    video: Path | None
    duration_s: float
    markers: tuple[MarkerView, ...]
    summaries: tuple[PlayerSummary, ...]
    #: names of everyone the screen mentions (cast and markers' authors)
    names: dict[uuid.UUID, str]


def load_review(store: Store, library: ClipLibrary, round_id: uuid.UUID) -> Review:
    with store.read() as s:
        row: Round = existing_row(s, Round, round_id, "round")
        rnd = view_of(row)
        scenario = scenario_view(existing_row(s, Scenario, row.scenario_id, "scenario"))
        clip = s.get(Clip, row.clip_id) if row.clip_id else None
        sha, duration = (clip.sha256, clip.seconds) if clip is not None else ("", 0.0)
    markers = markers_of(store, round_id)
    ids = {c.participant_id for c in rnd.cast} | {m.by for m in markers if m.by}
    with store.read() as s:
        names = {p.id: p.name for p in s.scalars(select(Participant).where(Participant.id.in_(ids)))} if ids else {}
    return Review(rnd, scenario, library.path_if_present(sha) if sha else None, duration, tuple(markers),
                  tuple(round_summary(store, round_id)), names)
