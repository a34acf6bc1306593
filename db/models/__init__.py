"""The Ripple store: every table a laptop writes and the shared store merges.

Every synced row carries what multi-laptop sync needs (see :class:`Synced`): a UUID id made
anywhere without coordination, an HLC version for last-writer-wins, the device it was last
written on, a local change sequence that push watermarks follow, and a tombstone instead of
a hard delete. Foreign keys are deferred so a sync batch may land children before parents
inside one transaction.

Vocabulary follows PRODUCT.md: workshop, participant, agenda item, group, contribution,
clip, reaction; after the workshop, commitment and check-in.

The tables live in modules named after what they hold (base, workshop, roleplay, local);
importing this package registers every one of them on ``Base.metadata`` (Alembic and the
stores rely on that), and its names are the ones the rest of Ripple imports.
"""

from __future__ import annotations

from db.models.base import (
    AGENDA_KINDS,
    CHOICES,
    CLIP_SCOPES,
    CONSENT_SCOPES,
    CONTRIBUTION_KINDS,
    INITIATIVES,
    MARKER_POLARITIES,
    NAMING,
    OBSERVER_ROLE,
    REACTION_KINDS,
    RUBRIC_CHANNELS,
    WORKSHOP_STATUSES,
    Base,
    Synced,
    deferred_fk,
)
from db.models.local import (
    AnalysisCache,
    AnalysisMark,
    ChangeCounter,
    ClipBlob,
    ClipChunk,
    StoreMeta,
    SyncPushMark,
    SyncRemote,
)
from db.models.roleplay import (
    Marker,
    Rating,
    Round,
    Scenario,
)
from db.models.workshop import (
    AgendaGroup,
    AgendaItem,
    CheckIn,
    Clip,
    Commitment,
    ConsentEvent,
    Contribution,
    ExportRecord,
    Participant,
    PseudonymKey,
    Reaction,
    Workshop,
    WorkshopParticipant,
    agenda_order,
)

# Tables in dependency order (parents first); the sync engine and the portable file use it.
SYNCED_MODELS: tuple[type[Synced], ...] = (
    Workshop,
    Participant,
    ConsentEvent,
    WorkshopParticipant,
    AgendaItem,
    AgendaGroup,
    Contribution,
    Clip,
    Reaction,
    ExportRecord,
    Scenario,
    Round,
    Marker,
    Rating,
    Commitment,
    CheckIn,
)

__all__ = [
    "AGENDA_KINDS",
    "CHOICES",
    "CLIP_SCOPES",
    "CONSENT_SCOPES",
    "CONTRIBUTION_KINDS",
    "INITIATIVES",
    "MARKER_POLARITIES",
    "NAMING",
    "OBSERVER_ROLE",
    "REACTION_KINDS",
    "RUBRIC_CHANNELS",
    "SYNCED_MODELS",
    "WORKSHOP_STATUSES",
    "AgendaGroup",
    "AgendaItem",
    "AnalysisCache",
    "AnalysisMark",
    "Base",
    "ChangeCounter",
    "CheckIn",
    "Clip",
    "ClipBlob",
    "ClipChunk",
    "Commitment",
    "ConsentEvent",
    "Contribution",
    "ExportRecord",
    "Marker",
    "Participant",
    "PseudonymKey",
    "Rating",
    "Reaction",
    "Round",
    "Scenario",
    "StoreMeta",
    "SyncPushMark",
    "SyncRemote",
    "Synced",
    "Workshop",
    "WorkshopParticipant",
    "agenda_order",
    "deferred_fk",
]
