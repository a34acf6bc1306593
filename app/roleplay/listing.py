"""What the role-play screens list: scenarios of other workshops to copy a card from, and
the recorded rounds the review can open (a review's own data: :mod:`app.roleplay.review`).

Plain reads for ``ui/`` (the planner's card editor, the review screen); no writes here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.models import AgendaItem, Clip, Round, Scenario, Workshop, agenda_order
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
            .order_by(Workshop.started_at.desc(), *agenda_order(AgendaItem), Scenario.id)
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


__all__ = ["RecordedRound", "ScenarioChoice", "recorded_rounds", "scenarios_to_copy"]
