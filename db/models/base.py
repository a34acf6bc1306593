"""What every Ripple table shares: the constraint names, the values enum columns may hold,
the declarative base and :class:`Synced`, the columns multi-laptop sync relies on.

Every synced row carries what multi-laptop sync needs: a UUID id made anywhere without
coordination, an HLC version for last-writer-wins, the device it was last written on, a local
change sequence that push watermarks follow, and a tombstone instead of a hard delete."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    MetaData,
    String,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AGENDA_KINDS = ("challenge", "role_play", "debrief", "clip_round", "break")
CONTRIBUTION_KINDS = ("story", "tip", "question", "failure", "help", "other")
INITIATIVES = ("spontaneous", "prompted")
CLIP_SCOPES = ("room", "community")
CONSENT_SCOPES = ("video", "community", "analytics")
REACTION_KINDS = ("helpful", "inspired", "tried_it")
WORKSHOP_STATUSES = ("planned", "live", "finished")
RUBRIC_CHANNELS = ("verbal", "non_verbal")
MARKER_POLARITIES = ("strength", "improve")
#: The role key that watches instead of acting (PRODUCT.md, "Role plays").
OBSERVER_ROLE = "observer"

#: The values an enum column may hold, by (table, column): pulled rows are checked against
#: them (db/sync/validate.py) and PostgreSQL stores enforce them with CHECK constraints
#: (migration 0007). A table added later lists its enum columns here too.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("workshops", "status"): WORKSHOP_STATUSES,
    ("agenda_items", "kind"): AGENDA_KINDS,
    ("contributions", "kind"): CONTRIBUTION_KINDS,
    ("contributions", "initiative"): INITIATIVES,
    ("clips", "scope"): CLIP_SCOPES,
    ("consent_events", "scope"): CONSENT_SCOPES,
    ("reactions", "kind"): REACTION_KINDS,
    ("markers", "polarity"): MARKER_POLARITIES,
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON}


def deferred_fk(target: str) -> ForeignKey:
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


class Synced:
    """Columns every synced row has; the sync engine relies on exactly these."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    hlc: Mapped[str] = mapped_column(String(48), default="", index=True)
    origin: Mapped[str] = mapped_column(String(32), default="")
    seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Fields from portable files this version does not know: kept and written back out.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # The HLC stamp of the last edit of each field ("_": of every field not listed; NULL:
    # every field is at ``hlc``). Sync and import merge field by field (db/merge.py).
    versions: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)
