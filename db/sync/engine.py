"""Two-way sync between a laptop's store and the shared store (PostgreSQL or a SQLite file).

How it stays exact whatever happens to the network, the clock or the process:

* **Push** (:mod:`db.sync.push`) sends this laptop's own changes in change-sequence order,
  each batch in one remote transaction together with the push watermark it reaches.
* **Pull** (:mod:`db.sync.pull`) brings in the others' rows after the laptop's pull
  watermark, each batch in one local transaction together with the new watermark; pulled
  rows keep seq 0, so nothing echoes back.
* A batch never leaves a child without its parent: parents that the watermark does not cover
  yet travel with the batch (applying them again later is a no-op under last-writer-wins);
  foreign keys are deferred, so order inside the transaction does not matter
  (:mod:`db.sync.rows`).
* Conflicts resolve last-writer-wins on the row's HLC version; contributions and reactions
  are append-only, so they never conflict. Deletions are tombstones and travel like edits.
  An erasure is a one-way door: an erased participant beats any version that is not, and
  every store scrubs what belongs to an erased person after each batch it applies (see
  :func:`db.sync.rows.scrub_erased`).
* Before anything moves, :mod:`db.sync.adopt` notices a shared store restored from a backup
  or met for the first time; after the rows, :mod:`db.sync.files` moves the clip files.

Opening the shared store is :func:`db.sync.remote.open_remote`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, event, func, select
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.exc import DBAPIError

from db.errors import StoreError, explain, explain_sync_write
from db.models import ChangeCounter, Participant, SyncRemote
from db.sql import upsert
from db.store import Store
from db.sync.adopt import adopt_for_new_remote, restored_from_backup
from db.sync.erased_leftovers import delete_erased_leftovers
from db.sync.files import CHUNK_BYTES, sync_clip_files
from db.sync.identity import claim_identity, report_pulled
from db.sync.pull import PULL_BATCH_ROWS, pull, pull_mark
from db.sync.push import PUSH_BATCH_ROWS, push, remote_push_mark
from db.sync.remote import address_of
from db.sync.report import LocalSyncState, Progress, SyncReport
from db.sync.rows import count_newer, scrub_erased
from db.types import utcnow

log = logging.getLogger("ripple.sync")


def clock_offset_s(conn: Connection, local: Store) -> float | None:
    """How far this laptop's HLC runs ahead (+) or behind (-) the shared store's clock, in
    seconds; None for a shared SQLite file (it has no clock of its own).

    The laptop's own stamps (its HLC) are what lose or win a merge, so that is what is
    compared: a laptop hours behind still gets edits through once it has seen newer stamps,
    but its edits before that lose to older ones made elsewhere, and the trainer is told."""
    if conn.dialect.name != "postgresql":
        return None
    before = local.clock.wall_ms()
    server = float(conn.exec_driver_sql("SELECT extract(epoch FROM clock_timestamp())").scalar() or 0.0)
    after = local.clock.wall_ms()
    return (before + after) / 2000 - server


def sync(
    local: Store,
    remote: Store,
    *,
    clips_root: Path | None = None,
    batch_rows: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Progress | None = None,
) -> SyncReport:
    """Push, then pull, then clip files (when ``clips_root`` is given).

    Any failure leaves both stores consistent: every batch is one transaction with its
    watermark, so the next sync picks up exactly where this one stopped.
    """
    started = time.monotonic()
    report = SyncReport(remote=remote.masked_url)
    tags = [(store, _tagging(store)) for store in (local, remote)]
    for store, hook in tags:
        event.listen(store.engine, "handle_error", hook)
    if local.device_id == remote.device_id:
        raise StoreError(f"{remote.masked_url} is this laptop's own store; choose the shared store.")
    try:
        with remote.engine.connect() as conn:
            remote_mark = remote_push_mark(conn, local.device_id)
            remote_top = conn.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1))
            report.clock_offset_s = clock_offset_s(conn, local)
        if restored_from_backup(local, remote, remote_mark, remote_top):
            report.restored = True
        report.new_identity = claim_identity(local, remote)
        adopt_for_new_remote(local, remote)
        erased_there, erased_here = erased_count(remote), erased_count(local)
        report.pushed, pushed_mark = push(
            local, remote, batch_rows=batch_rows or PUSH_BATCH_ROWS, progress=progress, notes=report.repaired
        )
        report.pulled = pull(local, remote, batch_rows=batch_rows or PULL_BATCH_ROWS, progress=progress,
                             superseded=report.superseded, skipped=report.skipped)
        if delete_erased_leftovers(local):  # complete pull: what the eraser never had goes, now
            more, pushed_mark = push(local, remote, batch_rows=batch_rows or PUSH_BATCH_ROWS, notes=report.repaired)
            report.pushed.update(more)
        with local.engine.connect() as conn:
            report_pulled(local, remote, pull_mark(conn, remote.device_id))
        if clips_root is not None:
            sync_clip_files(local, remote, clips_root, report, chunk_bytes=chunk_bytes, progress=progress)
        with local.writer.begin() as conn:
            # What this laptop wrote itself for someone erased (it is not pulled back) gets the
            # same scrub the shared store gave it.
            scrub_erased(conn)
            upsert(
                conn,
                SyncRemote,
                "remote_id",
                {
                    "remote_id": remote.device_id,
                    "url": address_of(remote.url),
                    "pulled_seq": pull_mark(conn, remote.device_id),
                    "pushed_seq": pushed_mark,
                    "last_sync_at": utcnow(),
                },
            )
    except DBAPIError as exc:
        failed = getattr(exc, "ripple_store", None)
        written = explain_sync_write(failed.url, exc, shared=failed is remote) if failed else None
        raise written or explain(remote.url, exc, during_sync=True) from None
    finally:
        for store, hook in tags:
            event.remove(store.engine, "handle_error", hook)
    # An erasure arrived: the erased data leaves the files too (VACUUM cannot run inside the
    # sync's transactions, so it runs after they committed).
    if erased_count(remote) > erased_there:
        report.not_vacuumed = remote.reclaim_freed_space(ERASURE_TABLES)
        if report.not_vacuumed:
            log.info("the shared store's tables %s are left to autovacuum (this role does not own them)",
                     ", ".join(report.not_vacuumed))
    if erased_count(local) > erased_here:
        local.reclaim_freed_space()
    report.seconds = time.monotonic() - started
    for sentence in report.skipped:
        log.warning("sync with %s: %s", remote.masked_url, sentence)
    log.info("sync with %s: %s", remote.masked_url, report.summary())
    return report


def _tagging(store: Store) -> Callable[[ExceptionContext], None]:
    """A handle_error hook that marks a driver error with the store it came from, so a write
    that fails (a full disk) names the right store: both may be SQLite files."""

    def tag(ctx: ExceptionContext) -> None:
        if ctx.sqlalchemy_exception is not None:
            ctx.sqlalchemy_exception.ripple_store = store  # type: ignore[attr-defined]

    return tag


#: The tables an erasure changes (their dead row versions still hold the erased data).
ERASURE_TABLES = ("participants", "contributions", "clips", "consent_events", "reactions",
                  "workshop_participants", "clip_blobs", "clip_chunks")


def erased_count(store: Store) -> int:
    """How many erased people the store knows of (an erasure arrived when it grows)."""
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Participant)
                               .where(Participant.erased_at.isnot(None))) or 0)


def local_state(local: Store, remote_url: str | URL | None = None) -> LocalSyncState:
    """Last sync and items waiting, from the laptop alone (cheap; the status line uses it).

    With ``remote_url``, about that shared store (a store never synced with waits for
    everything this laptop wrote); without, about the last one synced with.
    """
    query = select(SyncRemote.url, SyncRemote.pushed_seq, SyncRemote.last_sync_at)
    if remote_url is not None:
        query = query.where(SyncRemote.url == address_of(remote_url))
    with local.engine.connect() as conn:
        row = conn.execute(
            query.order_by(SyncRemote.last_sync_at.desc().nulls_last()).limit(1)
        ).first()
        after = int(row.pushed_seq) if row else 0
        return LocalSyncState(
            remote=row.url if row else None,
            last_sync_at=row.last_sync_at if row else None,
            waiting=count_newer(conn, after),
        )
