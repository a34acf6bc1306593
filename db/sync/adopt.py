"""Before a sync: noticing that the shared store is not the one this laptop remembers.

Two cases rewrite a laptop's watermarks instead of its rows: a shared store restored from an
older backup (the laptop pulls everything again), and a first contact with a new shared
store after syncing with another one (rows pulled from the old one get fresh seqs, so they
reach the new one too).
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from db.models import SyncRemote
from db.sql import run_sql
from db.store import Store, take_seqs
from db.sync.rows import SPECS

log = logging.getLogger("ripple.sync")


def restored_from_backup(local: Store, remote: Store, remote_mark: int | None, remote_top: int | None) -> bool:
    """A shared store restored from an older backup hands out seqs again from a lower point,
    so a pull watermark from before the restore would skip what others send from now on.
    Evidence of a restore: the shared store remembers less of this laptop's pushes than the
    laptop saw it confirm (``remote_mark``), or its counter (``remote_top``) is below this
    laptop's pull watermark. Then this laptop pulls everything again (re-applying a row it
    has is a no-op under last-writer-wins); its push resumes from the shared store's older
    mark by itself."""
    with local.engine.connect() as conn:
        row = conn.execute(
            select(SyncRemote.pulled_seq, SyncRemote.pushed_seq).where(SyncRemote.remote_id == remote.device_id)
        ).first()
    if row is None:
        return False
    pulled, confirmed = int(row.pulled_seq or 0), int(row.pushed_seq or 0)
    went_back = confirmed > 0 and (remote_mark or 0) < confirmed
    counter_behind = remote_top is not None and int(remote_top) < pulled
    if not (went_back or counter_behind):
        return False
    log.warning("the shared store %s is behind this laptop (restored from a backup?); pulling everything again",
                remote.masked_url)
    with local.writer.begin() as conn:
        conn.execute(
            update(SyncRemote)
            .where(SyncRemote.remote_id == remote.device_id)
            .values(pulled_seq=0, pushed_seq=min(confirmed, remote_mark or 0))
        )
    return True


def adopt_for_new_remote(local: Store, remote: Store) -> int:
    """Rows pulled from a previous shared store (seq 0) get fresh seqs on first contact with
    a new one, so they reach it too. Safe to repeat until the first batch lands.

    "New" is by the shared store's identity, whether or not it already holds a mark for this
    laptop: a restored copy of the shared store has a new identity (db/store.py) and marks
    from its backup, and it gets back everything the laptops pulled since that backup."""
    with local.writer.connect() as conn:
        tx = conn.begin()
        known = set(conn.scalars(select(SyncRemote.remote_id)))
        if not known or remote.device_id in known:
            tx.rollback()
            return 0
        moved = 0
        for spec in SPECS:
            ids = [r[0] for r in run_sql(conn, f"SELECT id FROM {spec.name} WHERE seq = 0")]
            if not ids:
                continue
            seqs = take_seqs(conn, len(ids))
            run_sql(
                conn,
                f"UPDATE {spec.name} SET seq = %(seq)s WHERE id = %(id)s",
                [{"seq": seq, "id": ident} for seq, ident in zip(seqs, ids, strict=True)],
            )
            moved += len(ids)
        tx.commit()
    if moved:
        log.info("adopted %d rows from an earlier shared store for %s", moved, remote.masked_url)
    return moved
