"""Per-store tables that never sync: this store's identity and change counter, the sync
bookkeeping (db/sync/), the shared store's clip files, and the analysis cache."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import (
    Base,
)
from db.types import UTCDateTime, utcnow


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
