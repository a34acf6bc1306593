"""Push: this laptop's own changes to the shared store, in change-sequence order.

The push watermark lives on the shared store (``sync_push_marks``, one row per laptop) and
moves in the same remote transaction as the batch it covers, so a push killed anywhere
resumes after the last batch that really landed, and a batch sent twice is a no-op (same
a merge of a row with itself changes nothing). Every pushed row gets a
fresh seq from the shared store's own counter, taken inside the push transaction; that row
lock serialises pushers, so seq order there is commit order and a puller's watermark never
skips a row that committed late.
"""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import Connection, select

from db import limits
from db.models import SYNCED_MODELS, Synced, SyncPushMark
from db.sql import upsert
from db.store import Store, take_seqs
from db.sync.apply import apply_batch
from db.sync.erased_leftovers import whole_if_erasing
from db.sync.positions import note_renumbered, pending, renumber, renumbered_upto, touched
from db.sync.report import Progress
from db.sync.rows import BY_NAME, Batch, begin_apply, count_newer, read_batch
from db.types import utcnow

#: Rows per push transaction (the laptop only reads: big batches for speed). 5000, not 2000:
#: a push of 100,000 edited rows took 3.9 s against 4.6 s (bench/sync_pull.py; fewer
#: commits, each a WAL flush on the shared store, and fewer per-batch queries). A batch holds
#: the shared store's change counter while it lands (about 0.2 s here), which only another
#: laptop's push waits for, never a tap.
PUSH_BATCH_ROWS = 5000


def remote_push_mark(conn: Connection, device_id: str) -> int | None:
    """How far the shared store holds this laptop's changes; None if it never heard of it."""
    value = conn.scalar(select(SyncPushMark.pushed_seq).where(SyncPushMark.device_id == device_id))
    return None if value is None else int(value)


def _apply_push(remote: Store, device_id: str, batch: Batch) -> Counter[str] | None:
    """One remote transaction: the batch, the erasure scrub, and the moved watermark.

    Returns what changed, or None when another process of this laptop had already pushed it.
    """
    if batch.max_hlc:
        remote.clock.observe(batch.max_hlc)  # a merge's new version is later than what it merges
    with remote.writer.connect() as conn:
        tx = conn.begin()
        try:
            begin_apply(conn)
            seqs = take_seqs(conn, len(batch))  # the lock that orders pushers
            already = remote_push_mark(conn, device_id)
            if already is not None and already >= batch.mark:
                tx.rollback()
                return None
            counts = apply_batch(conn, batch, seqs, own_device=remote.device_id,
                                 stamp=remote.clock.tick, take_newer=True).counts
            upsert(
                conn,
                SyncPushMark,
                "device_id",
                {"device_id": device_id, "pushed_seq": batch.mark, "pushed_at": utcnow()},
            )
            tx.commit()
        except BaseException:
            tx.rollback()
            raise
    return counts


def repair_bad_rows(local: Store, batch: Batch) -> list[str]:
    """Make the batch's rows that break :mod:`db.limits` fit (rows written before the limits
    were checked on every way in: a 300-character team, a NUL from an old roster), as an edit
    of this laptop's, so every store ends with the same value; one sentence per field.

    Without this the shared store refuses the whole batch ("value too long") and no sync
    ever gets past it; with it, the rest is sent and the trainer is told what was cut."""
    fixes: list[tuple[type[Synced], uuid.UUID, str, str, str]] = []
    for name, rows in batch.rows.items():
        wanted = limits.LIMITS.get(name)
        if not wanted:
            continue
        spec = BY_NAME[name]
        at = {col: spec.columns.index(col) for col in wanted if col in spec.columns}
        at = {col: i for col, i in at.items() if not limits.surely_fine(name, col, [row[i] for row in rows])}
        for row in rows:
            for col, i in at.items():
                wrong = limits.problem(name, col, row[i])
                if wrong is not None:
                    fixes.append((_MODELS[name], uuid.UUID(str(row[spec.id_at])), col, row[i], wrong))
    if not fixes:
        return []
    notes = []
    with local.write() as s:
        for model, ident, col, value, wrong in fixes:
            obj = s.get(model, ident, execution_options={"include_deleted": True})
            if obj is None:
                continue
            setattr(obj, col, limits.cleaned(model.__tablename__, col, value))  # type: ignore[attr-defined]
            noun = limits.RECORD.get(model.__tablename__, model.__tablename__)  # type: ignore[attr-defined]
            notes.append(f"The {noun} {ident.hex[:8]}: {wrong}, which the shared store refuses; "
                         "it was cut to fit here and sent.")
    return notes


_MODELS: dict[str, type[Synced]] = {m.__tablename__: m for m in SYNCED_MODELS}  # type: ignore[attr-defined]


def push(
    local: Store,
    remote: Store,
    *,
    batch_rows: int = PUSH_BATCH_ROWS,
    progress: Progress | None = None,
    notes: list[str] | None = None,
) -> tuple[Counter[str], int]:
    """Send this laptop's changes the shared store has not got; returns (changed rows per
    table, the push watermark reached). ``notes`` receives a sentence for each row that had
    to be repaired first (see :func:`repair_bad_rows`)."""
    with remote.engine.connect() as conn:
        mark = remote_push_mark(conn, local.device_id) or 0
    with local.engine.connect() as conn:  # what an earlier push of ours landed, then died before renumbering
        upto = renumbered_upto(conn, remote.device_id)
        ordered: dict[str, set[object]] = pending(conn, upto, mark)
    counts: Counter[str] = Counter()
    total = done = 0
    if progress is not None:
        with local.engine.connect() as conn:
            total = count_newer(conn, mark)
        progress("push", 0, total)
    while True:
        with local.snapshot() as conn:
            batch = read_batch(conn, after=mark, limit=batch_rows)
            batch = whole_if_erasing(conn, batch, after=mark)  # an erasure lands whole (erased_leftovers)
        if batch.count == 0:
            break
        fixed = repair_bad_rows(local, batch)
        if fixed:
            if notes is not None:
                notes.extend(fixed)
            continue  # the repaired rows have new sequences: read the batch again
        changed = _apply_push(remote, local.device_id, batch)
        if changed:
            counts.update(changed)
            for table, ids in touched(batch).items():
                ordered.setdefault(table, set()).update(ids)
        mark = batch.mark
        done += batch.count
        if progress is not None:
            progress("push", min(done, total), total)
    if ordered:
        _renumber_remote(remote, ordered)
    if mark != upto:
        with local.writer.begin() as conn:
            note_renumbered(conn, remote.device_id, mark)
    return counts, mark


def _renumber_remote(remote: Store, ordered: dict[str, set[object]]) -> None:
    """One remote transaction once the push has landed: the agendas it touched get unique
    places (db/sync/positions.py), numbered from the shared store's own counter. So do those
    an earlier push of this laptop touched and died before renumbering
    (:func:`db.sync.positions.pending`), which the laptop's next sync repairs."""
    with remote.writer.connect() as conn:
        tx = conn.begin()
        try:
            begin_apply(conn)
            renumber(conn, ordered, own_device=remote.device_id, stamp=remote.clock.tick,
                     fresh_seqs=lambda n: take_seqs(conn, n).start)
            tx.commit()
        except BaseException:
            tx.rollback()
            raise
