"""Plain, immutable snapshots of role plays that use cases hand to the UI and the CLI.

Like :mod:`app.planning.views`: no ORM objects cross into screens or threads.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from db.models import OBSERVER_ROLE


@dataclass(frozen=True)
class Role:
    """A role of a card. ``public`` is what everyone may read; ``brief`` only its player."""

    key: str
    name: str
    public: str = ""
    brief: str = ""

    @property
    def acting(self) -> bool:
        """Every role but the observer acts (and is rotated)."""
        return self.key != OBSERVER_ROLE


@dataclass(frozen=True)
class Phase:
    name: str
    minutes: float


@dataclass(frozen=True)
class Criterion:
    """One line of the rubric: ``channel`` is ``verbal`` or ``non_verbal``; scores 1..scale."""

    id: str
    label: str
    channel: str
    scale: int = 5


@dataclass(frozen=True)
class ScenarioView:
    id: uuid.UUID
    agenda_item_id: uuid.UUID
    title: str
    situation: str
    roles: tuple[Role, ...]
    phases: tuple[Phase, ...]
    rubric: tuple[Criterion, ...]

    @property
    def acting_roles(self) -> tuple[Role, ...]:
        return tuple(r for r in self.roles if r.acting)

    def role(self, key: str) -> Role | None:
        return next((r for r in self.roles if r.key == key), None)

    def criterion(self, cid: str) -> Criterion | None:
        return next((c for c in self.rubric if c.id == cid), None)


@dataclass(frozen=True)
class CastEntry:
    role: str
    participant_id: uuid.UUID


@dataclass(frozen=True)
class RoundView:
    """A stored round. ``phase`` is "" before it starts; ``finished_at`` set after the last phase."""

    id: uuid.UUID
    scenario_id: uuid.UUID
    group: int
    number: int
    cast: tuple[CastEntry, ...]
    started_at: datetime | None
    phase: str
    phase_starts: dict[str, datetime]
    extra_s: float
    finished_at: datetime | None
    clip_id: uuid.UUID | None

    @property
    def started(self) -> bool:
        return self.started_at is not None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def role_of(self, participant_id: uuid.UUID) -> str | None:
        return next((c.role for c in self.cast if c.participant_id == participant_id), None)

    @property
    def players(self) -> tuple[uuid.UUID, ...]:
        """Who acts in this round (everyone in the cast but the observers)."""
        return tuple(c.participant_id for c in self.cast if c.role != OBSERVER_ROLE)


@dataclass(frozen=True)
class MarkerView:
    id: uuid.UUID
    round_id: uuid.UUID
    at_s: float
    criterion: str | None
    polarity: str
    by: uuid.UUID | None
    note: str


@dataclass(frozen=True)
class RatingView:
    id: uuid.UUID
    round_id: uuid.UUID
    rater: uuid.UUID | None
    player: uuid.UUID
    criterion: str
    score: int
    comment: str
    at: datetime
