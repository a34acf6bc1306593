"""The Ripple store: every table a laptop writes and the shared store merges.

Every synced row carries what multi-laptop sync needs (see :class:`Synced`): a UUID id made
anywhere without coordination, an HLC version for last-writer-wins, the device it was last
written on, a local change sequence that push watermarks follow, and a tombstone instead of
a hard delete. Foreign keys are deferred so a sync batch may land children before parents
inside one transaction.

Vocabulary follows PRODUCT.md: workshop, participant, agenda item, group, contribution,
clip, reaction; after the workshop, commitment and check-in.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Uuid,
    text,
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


def _fk(target: str) -> ForeignKey:
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


class ConsentEvent(Synced, Base):
    """One change of one scope of a person's consent: a grant or a withdrawal, never edited.

    The participant's ``consent_*`` columns are derived from these (db/consent.py: a scope is
    granted when some grant has seen every withdrawal of it), so a grant recorded without
    having seen a withdrawal never undoes it. The events are also the consent history."""

    __tablename__ = "consent_events"

    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("participants.id"), index=True)
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

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("workshops.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("participants.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    hotkey: Mapped[str | None] = mapped_column(String(16), default=None)


class AgendaItem(Synced, Base):
    __tablename__ = "agenda_items"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("workshops.id"), index=True)
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

    agenda_item_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("agenda_items.id"), index=True)
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
        Index("ix_contributions_workshop_at", "workshop_id", "at"),
        # Each workshop's row count and latest change in one index-only pass (the analysis
        # cache's fingerprint, db/queries/kept_analyses.py).
        Index("ix_contributions_workshop_seq", "workshop_id", "seq"),
    )

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("workshops.id"))
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, _fk("agenda_items.id"), default=None, index=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("participants.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16), default="story")
    initiative: Mapped[str] = mapped_column(String(16), default="spontaneous")
    builds_on_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, _fk("contributions.id"), default=None, index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")


class Clip(Synced, Base):
    __tablename__ = "clips"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("workshops.id"), index=True)
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, _fk("agenda_items.id"), default=None
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("participants.id"), index=True)
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

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("workshops.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, _fk("participants.id"), default=None, index=True
    )
    clip_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, _fk("clips.id"), default=None, index=True)
    contribution_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, _fk("contributions.id"), default=None, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="helpful")


class Commitment(Synced, Base):
    """What a participant commits to apply after a workshop ("in the next 30 days I will …"),
    with an optional buddy (another participant) and the dates of the check-ins.

    One per participant and workshop: the id is derived from the pair (app/followup), so two
    laptops taking the same person's commitment merge field by field instead of doubling."""

    __tablename__ = "commitments"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("workshops.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("participants.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    buddy_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, _fk("participants.id"), default=None, index=True)
    # ISO dates ("YYYY-MM-DD"), the days a check-in is due.
    check_ins_due: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckIn(Synced, Base):
    """One follow-up on a commitment: a rating 1–10 and a short note; append-only, like
    contributions (a new check-in is a new row, never an edit of an old one)."""

    __tablename__ = "check_ins"

    commitment_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("commitments.id"), index=True)
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
class Scenario(Synced, Base):
    """A role-play card of one ``role_play`` agenda item.

    ``roles`` is ``[{key, name, public, brief}]`` (``brief`` private to whoever plays the
    role), ``phases`` ``[{name, minutes}]``, ``rubric`` ``[{id, label, channel, scale}]``.
    Each is one JSON field: an edit of the card replaces the list as a whole (last writer
    wins per field), which is what a card editor saving its form means."""

    __tablename__ = "scenarios"

    agenda_item_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("agenda_items.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text, default="")
    roles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    phases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Round(Synced, Base):
    """One play of a scenario by one group: its number, cast and phase clock, and the clip.

    ``group_index`` is the place of the group in the agenda item's groups (0 without groups).
    ``casting`` is the cast, ``[{role, participant}]`` (participant ids as text; the column is
    not called ``cast``, an SQL keyword). The phase clock keeps
    anchors only, like an agenda item's timer: ``phase_starts`` maps each phase begun to when
    (ISO-8601 text), ``phase`` is the current one ("" before the round starts), ``extra_s``
    the minutes added to it."""

    __tablename__ = "rounds"

    scenario_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("scenarios.id"), index=True)
    group_index: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[int] = mapped_column(Integer, default=1)
    casting: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    phase: Mapped[str] = mapped_column(String(32), default="")
    phase_starts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extra_s: Mapped[float] = mapped_column(Float, default=0.0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    clip_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, _fk("clips.id"), default=None, index=True)


class Marker(Synced, Base):
    """A moment in a round's recording, ``at_s`` seconds from the clip's start. Append-only
    (a correction is a tombstone and a new marker), so two laptops never conflict."""

    __tablename__ = "markers"

    round_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("rounds.id"), index=True)
    at_s: Mapped[float] = mapped_column(Float)
    criterion: Mapped[str | None] = mapped_column(String(64), default=None)
    polarity: Mapped[str] = mapped_column(String(16), default="strength")
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, _fk("participants.id"), default=None, index=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Rating(Synced, Base):
    """A 1–5 score on one criterion, by a rater (None: the facilitator) for a player in a
    round. Append-only: rating again adds a row, and the newest row of each (round, rater,
    player, criterion) is the one that counts (app/roleplay/ratings.py)."""

    __tablename__ = "ratings"

    round_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("rounds.id"), index=True)
    rater_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, _fk("participants.id"), default=None, index=True)
    player_id: Mapped[uuid.UUID] = mapped_column(Uuid, _fk("participants.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class StoreMeta(Base):
    """Per-store facts that never sync (this store's device id, its creation time)."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ChangeCounter(Base):
    """One row: the last local change sequence handed out.

    Taking the next value updates this row inside the writing transaction, which serialises
    writers, so sequence order is commit order and a push watermark never skips a row.
    """

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


# -- sync bookkeeping (per store, never synced; see db/sync/) --


class SyncPushMark(Base):
    """On the shared store: how far each laptop's own changes have arrived (its local seq).

    Updated in the same transaction as the pushed rows, so a push killed at any point
    resumes after the last batch that really landed.
    """

    __tablename__ = "sync_push_marks"

    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    pushed_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pushed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The last token the laptop claimed this device id with (db/sync/identity.py): a copy
    #: of its store, which never issued it, learns that it is a copy and takes a new id.
    token: Mapped[str | None] = mapped_column(String(32), default=None)
    #: How far the laptop has pulled the shared store's changes (its seq), reported at the end
    #: of each sync: tombstones every laptop has seen may be compacted (db/sync/compact.py).
    pulled_seq: Mapped[int | None] = mapped_column(BigInteger, default=None)
    #: On PostgreSQL, the role that wrote the row (``current_user``); a row-level policy
    #: lets only that role move this laptop's position (docs/shared-store.md).
    owner: Mapped[str | None] = mapped_column(String(128), default=None)


class SyncRemote(Base):
    """On a laptop: one row per shared store it syncs with (keyed by that store's device id).

    ``pulled_seq`` is the pull watermark (the shared store's seq), updated in the same local
    transaction as the rows it covers; ``pushed_seq`` is only a copy of the shared store's
    push mark for this laptop, kept for the "items waiting" count.
    """

    __tablename__ = "sync_remotes"

    remote_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str] = mapped_column(String(500), default="")  # masked, for display
    pulled_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pushed_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ClipBlob(Base):
    """On a PostgreSQL shared store: one clip file, by content hash; ``complete`` once every
    chunk has landed."""

    __tablename__ = "clip_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    chunk_size: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClipChunk(Base):
    """One piece of a clip file; each lands in its own transaction so uploads resume."""

    __tablename__ = "clip_chunks"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AnalysisCache(Base):
    """Per store, never synced: a finished workshop's analysis, so a year-wide report reads
    one row per workshop instead of every contribution again.

    ``fingerprint`` sums up the rows the analysis was computed from (counts, tombstones and
    the highest change sequence per table); a row whose fingerprint or ``params`` (the
    engine's version, window, weights and rules) no longer match is recomputed. What
    ``payload`` holds is the analytics' business (``app/insights/cache.py``).
    """

    __tablename__ = "analysis_cache"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    params: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(400))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnalysisMark(Base):
    """Per laptop store, never synced: a token that changes whenever a sync pull changes a
    workshop's rows.

    Pulled rows keep change sequence 0 on a laptop (they are not its own changes to push), so
    counts and the highest sequence alone would not notice a pulled edit or tombstone; the
    token is part of the analysis cache's fingerprint. Written in the pull's transaction.
    """

    __tablename__ = "analysis_marks"

    workshop_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


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
