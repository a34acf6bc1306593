"""Plain, immutable snapshots that use cases hand to the UI and the CLI.

The UI never holds ORM objects: these can cross threads and outlive sessions safely.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Consent:
    video: bool = False
    community: bool = False
    analytics: bool = False
    at: datetime | None = None
    by: str = ""
    #: the withdrawals this view knew of: a form that grants from it records them as seen, so
    #: a withdrawal that arrived after the form was drawn still wins (db/consent.py)
    withdrawals_seen: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class ConsentRecord:
    """One recorded change of a person's consent, for their page and a subject access export."""

    scope: str
    granted: bool
    at: datetime
    by: str
    effective: bool  # it is what decides that scope today


@dataclass(frozen=True)
class ParticipantView:
    id: uuid.UUID
    name: str
    email: str | None
    team: str
    consent: Consent
    position: int = 0
    hotkey: str | None = None
    erased: bool = False


@dataclass(frozen=True)
class GroupView:
    id: uuid.UUID
    name: str
    members: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class TimerState:
    """Everything a timer display needs, computed at one instant."""

    planned_s: float
    extra_s: float
    elapsed_s: float
    running: bool
    started: bool
    finished: bool

    @property
    def total_s(self) -> float:
        return self.planned_s + self.extra_s

    @property
    def remaining_s(self) -> float:
        return self.total_s - self.elapsed_s

    @property
    def overtime(self) -> bool:
        return self.remaining_s < 0


@dataclass(frozen=True)
class AgendaItemView:
    id: uuid.UUID
    position: int
    kind: str
    title: str
    instructions: str
    minutes: float
    groups: tuple[GroupView, ...] = ()
    timer: TimerState | None = None


@dataclass(frozen=True)
class WorkshopSummary:
    id: uuid.UUID
    title: str
    facilitator: str
    team: str
    started_at: datetime
    status: str
    participants: int = 0
    contributions: int = 0


@dataclass(frozen=True)
class WorkshopPlan:
    id: uuid.UUID
    title: str
    facilitator: str
    team: str
    started_at: datetime
    utc_offset_min: int
    location: str
    notes: str
    status: str
    current_item_id: uuid.UUID | None
    agenda: tuple[AgendaItemView, ...] = ()
    participants: tuple[ParticipantView, ...] = ()

    def item(self, item_id: uuid.UUID) -> AgendaItemView | None:
        return next((a for a in self.agenda if a.id == item_id), None)

    def participant(self, pid: uuid.UUID) -> ParticipantView | None:
        return next((p for p in self.participants if p.id == pid), None)


@dataclass(frozen=True)
class ContributionView:
    id: uuid.UUID
    at: datetime
    participant_id: uuid.UUID
    participant_name: str
    agenda_item_id: uuid.UUID | None
    kind: str
    initiative: str
    builds_on_id: uuid.UUID | None = None
    note: str = ""


@dataclass(frozen=True)
class Tally:
    spontaneous: int = 0
    prompted: int = 0

    @property
    def total(self) -> int:
        return self.spontaneous + self.prompted


@dataclass
class Changes:
    """What a use case changed, for the caller to report (import, sync, roster)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, kind: str = "created", n: int = 1) -> None:
        target = self.created if kind == "created" else self.updated
        target[what] = target.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())
