"""The tables of a workshop and its people, synced between laptops: workshops, participants
and their consent events, the roster, agenda items and groups, contributions, clips,
reactions, commitments and check-ins, export records; and the pseudonym key (never synced).

Foreign keys are deferred so a sync batch may land children before parents inside one
transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import (
    Base,
    Synced,
    deferred_fk,
)
from db.types import UTCDateTime, utcnow


class Workshop(Synced, Base):
    __tablename__ = "workshops"
    # The analyst's period queries filter on when workshops ran.
    __table_args__ = (Index("ix_workshops_started_at", "started_at"),)

    title: Mapped[str] = mapped_column(String(200))
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    team: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The offset the workshop was planned in, so files and screens show its local times.
    utc_offset_min: Mapped[int] = mapped_column(Integer, default=0)
    location: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    current_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: Which laptop runs the live workshop: ``"<generation>:<device id>"``, "" before anyone
    #: went live. Merged as a claim (db/merge.py CLAIMS): the first to go live leads, a
    #: take-over (the next generation) wins over what it had seen.
    live_owner: Mapped[str] = mapped_column(String(48), default="")


class Participant(Synced, Base):
    """A person, across workshops (their influence trend spans many)."""

    __tablename__ = "participants"
    __table_args__ = (
        # The same e-mail in any case is the same person (app/planning/participants.py), and
        # the analyst's people queries group by team.
        Index("ix_participants_lower_email", text("lower(email)")),
        Index("ix_participants_team", "team"),
    )

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), default=None, index=True)
    team: Mapped[str] = mapped_column(String(200), default="")
    consent_video: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_community: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_analytics: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    consent_by: Mapped[str] = mapped_column(String(200), default="")
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: An erased person's e-mail fingerprint (app.planning.ids.erased_email_hash), set on the
    #: tombstone at erasure: the same human under another id (a walk-in, another laptop's
    #: roster, an old file) is recognised and not revived. One-way in a merge (db/merge.py).
    erased_email_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)


class ConsentEvent(Synced, Base):
    """One change of one scope of a person's consent: a grant or a withdrawal, never edited.

    The participant's ``consent_*`` columns are derived from these (db/consent.py: a scope is
    granted when some grant has seen every withdrawal of it), so a grant recorded without
    having seen a withdrawal never undoes it. The events are also the consent history."""

    __tablename__ = "consent_events"

    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("participants.id"), index=True)
    scope: Mapped[str] = mapped_column(String(16))
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(200), default="")
    # For a grant: ids (hex) of the withdrawals of this scope its writer had seen.
    seen: Mapped[list[str]] = mapped_column(JSON, default=list)


class WorkshopParticipant(Synced, Base):
    """Membership of a participant in a workshop; the id is derived from the pair so two
    laptops adding the same person merge instead of doubling."""

    __tablename__ = "workshop_participants"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("workshops.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("participants.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    hotkey: Mapped[str | None] = mapped_column(String(16), default=None)


class AgendaItem(Synced, Base):
    __tablename__ = "agenda_items"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("workshops.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[float] = mapped_column(Float, default=10.0)
    # Timer state, persisted on every change so a crash resumes where it was.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    running_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    elapsed_s: Mapped[float] = mapped_column(Float, default=0.0)
    extra_s: Mapped[float] = mapped_column(Float, default=0.0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class AgendaGroup(Synced, Base):
    """A group within an agenda item; members are participant ids (one row, last writer wins)."""

    __tablename__ = "agenda_groups"

    agenda_item_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("agenda_items.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100), default="")
    members: Mapped[list[str]] = mapped_column(JSON, default=list)


def agenda_order(model: type[AgendaItem] | type[AgendaGroup]) -> tuple[Any, ...]:
    """The one order of a workshop's agenda items (or an item's groups) on every store: by
    place, then creation, then id. Two laptops can put two items at one place; until the
    next merge renumbers them (db/sync/positions.py) every store still shows them alike."""
    return (model.position, model.created_at, model.id)


class Contribution(Synced, Base):
    __tablename__ = "contributions"
    __table_args__ = (
        # One index for two readers (migration 0011): a workshop's contributions in time
        # order (the live console, the portable file), and each workshop's row count and
        # latest change in one index-only pass (the analysis cache's fingerprint,
        # db/queries/kept_analyses.py). Two indexes for them cost every landed row one more
        # b-tree insert (issue #10); tests/app/test_query_plans.py holds both plans.
        Index("ix_contributions_workshop_at_seq", "workshop_id", "at", "seq"),
    )

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("workshops.id"))
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, deferred_fk("agenda_items.id"), default=None, index=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("participants.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16), default="story")
    initiative: Mapped[str] = mapped_column(String(16), default="spontaneous")
    builds_on_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, deferred_fk("contributions.id"), default=None, index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")


class Clip(Synced, Base):
    __tablename__ = "clips"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("workshops.id"), index=True)
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, deferred_fk("agenda_items.id"), default=None
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("participants.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    scope: Mapped[str] = mapped_column(String(16), default="room")
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    has_audio: Mapped[bool] = mapped_column(Boolean, default=True)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    title: Mapped[str] = mapped_column(String(200), default="")


class Reaction(Synced, Base):
    __tablename__ = "reactions"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("workshops.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, deferred_fk("participants.id"), default=None, index=True
    )
    clip_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, deferred_fk("clips.id"), default=None, index=True)
    contribution_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, deferred_fk("contributions.id"), default=None, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="helpful")


class Commitment(Synced, Base):
    """What a participant commits to apply after a workshop ("in the next 30 days I will …"),
    with an optional buddy (another participant) and the dates of the check-ins.

    One per participant and workshop: the id is derived from the pair (app/followup), so two
    laptops taking the same person's commitment merge field by field instead of doubling."""

    __tablename__ = "commitments"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("workshops.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("participants.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    buddy_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, deferred_fk("participants.id"), default=None, index=True)
    # ISO dates ("YYYY-MM-DD"), the days a check-in is due.
    check_ins_due: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckIn(Synced, Base):
    """One follow-up on a commitment: a rating 1–10 and a short note; append-only, like
    contributions (a new check-in is a new row, never an edit of an old one)."""

    __tablename__ = "check_ins"

    commitment_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("commitments.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class ExportRecord(Synced, Base):
    """One L&D export: who ran it, when, with which filters (the audit trail PRODUCT.md asks for)."""

    __tablename__ = "export_records"

    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(16))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    target: Mapped[str] = mapped_column(String(500), default="")


class PseudonymKey(Base):
    """The key of the export's pseudonyms. Never synced, and on a PostgreSQL shared store
    readable by the L&D role only (docs/shared-store.md grants it): a trainer who could read
    it could reverse every pseudonym. ``RIPPLE_PSEUDONYM_KEY`` on L&D's machine overrides it."""

    __tablename__ = "pseudonym_keys"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
