"""The role-play tables, synced like the workshop's (PRODUCT.md, "Role plays"): a scenario card
per role-play item, its rounds (cast, phase clock, clip), the markers on a round's recording
and the ratings of its players."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import (
    Base,
    Synced,
    deferred_fk,
)
from db.types import UTCDateTime


class Scenario(Synced, Base):
    """A role-play card of one ``role_play`` agenda item.

    ``roles`` is ``[{key, name, public, brief}]`` (``brief`` private to whoever plays the
    role), ``phases`` ``[{name, minutes}]``, ``rubric`` ``[{id, label, channel, scale}]``.
    Each is one JSON field: an edit of the card replaces the list as a whole (last writer
    wins per field), which is what a card editor saving its form means."""

    __tablename__ = "scenarios"

    agenda_item_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("agenda_items.id"), index=True)
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

    scenario_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("scenarios.id"), index=True)
    group_index: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[int] = mapped_column(Integer, default=1)
    casting: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    phase: Mapped[str] = mapped_column(String(32), default="")
    phase_starts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extra_s: Mapped[float] = mapped_column(Float, default=0.0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    clip_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, deferred_fk("clips.id"), default=None, index=True)


class Marker(Synced, Base):
    """A moment in a round's recording, ``at_s`` seconds from the clip's start. Append-only
    (a correction is a tombstone and a new marker), so two laptops never conflict."""

    __tablename__ = "markers"

    round_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("rounds.id"), index=True)
    at_s: Mapped[float] = mapped_column(Float)
    criterion: Mapped[str | None] = mapped_column(String(64), default=None)
    polarity: Mapped[str] = mapped_column(String(16), default="strength")
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, deferred_fk("participants.id"), default=None, index=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Rating(Synced, Base):
    """A 1–5 score on one criterion, by a rater (None: the facilitator) for a player in a
    round. Append-only: rating again adds a row, and the newest row of each (round, rater,
    player, criterion) is the one that counts (app/roleplay/ratings.py)."""

    __tablename__ = "ratings"

    round_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("rounds.id"), index=True)
    rater_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, deferred_fk("participants.id"), default=None, index=True)
    player_id: Mapped[uuid.UUID] = mapped_column(Uuid, deferred_fk("participants.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
