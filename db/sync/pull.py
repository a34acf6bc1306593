"""Pull: what other laptops wrote, from the shared store into this laptop's.

Each batch is read inside one snapshot of the shared store, after this laptop's pull
watermark, and applied in one local transaction together with the new watermark
(``sync_remotes.pulled_seq``). Rows a laptop wrote itself are not pulled back. Pulled rows
are stored with ``seq = 0``: "came from the shared store, nothing to push"; only local
writes and merges that keep something of this laptop's get fresh seqs and are pushed.
"""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import Connection, select

from db.models import AgendaItem, AnalysisMark, SyncRemote
from db.sql import upsert
from db.store import Store, take_seqs
from db.sync.apply import Superseded, apply_batch
from db.sync.remote import address_of
from db.sync.report import Progress
from db.sync.rows import BY_NAME, Batch, begin_apply, read_batch
from db.sync.validate import screen_parents, screen_rows

#: Rows per pull transaction: applying one holds the laptop's write lock about 50 ms on a
#: two-core laptop, the longest a tap in the console can wait behind a background sync.
PULL_BATCH_ROWS = 1000

#: Tables whose rows feed a workshop's analysis, and where each row names its workshop.
_ANALYSED: tuple[tuple[str, str], ...] = (
    ("contributions", "workshop_id"),
    ("reactions", "workshop_id"),
    ("clips", "workshop_id"),
    ("workshop_participants", "workshop_id"),
    ("agenda_items", "workshop_id"),
)


def pull_mark(conn: Connection, remote_id: str) -> int:
    """This laptop's pull watermark for the shared store ``remote_id`` (0: never pulled)."""
    value = conn.scalar(select(SyncRemote.pulled_seq).where(SyncRemote.remote_id == remote_id))
    return int(value or 0)


def _apply_pull(
    local: Store, remote: Store, batch: Batch, superseded: list[Superseded], skipped: list[str]
) -> Counter[str] | None:
    """One local transaction: the rows (adopted at seq 0; a merge that keeps something of
    this laptop's is a new version with a fresh seq), the consent they decide, the scrub, the
    new pull watermark. This laptop's edits that newer ones replaced go to ``superseded``;
    malformed rows are left out, one sentence each in ``skipped`` (db/sync/validate.py)."""
    remote_id = remote.device_id
    bad = screen_rows(batch, typed=remote.engine.dialect.name == "postgresql")
    if batch.max_hlc:
        local.clock.observe(batch.max_hlc)  # before any merge here takes a new stamp
    with local.writer.connect() as conn:
        tx = conn.begin()
        try:
            if pull_mark(conn, remote_id) >= batch.mark:
                tx.rollback()
                return None  # another process of this laptop applied it meanwhile
            begin_apply(conn)
            bad += screen_parents(conn, batch)
            applied = apply_batch(conn, batch, None, own_device=local.device_id, stamp=local.clock.tick,
                                  fresh_seqs=lambda n: take_seqs(conn, n).start)
            _mark_pulled(conn, batch)
            upsert(
                conn,
                SyncRemote,
                "remote_id",
                {"remote_id": remote_id, "url": address_of(remote.url), "pulled_seq": batch.mark},
            )
            tx.commit()
        except BaseException:
            tx.rollback()
            raise
    superseded += applied.superseded
    skipped += bad
    return applied.counts


def _mark_pulled(conn: Connection, batch: Batch) -> None:
    """Give every workshop whose analysed rows this pull changed a new analysis mark (see
    :class:`db.models.AnalysisMark`), so a kept analysis of it is not reused."""
    touched: set[uuid.UUID] = set()
    for name, column in _ANALYSED:
        rows = batch.rows.get(name)
        if rows:
            at = BY_NAME[name].columns.index(column)
            touched.update(_as_uuid(r[at]) for r in rows if r[at] is not None)
    groups = batch.rows.get("agenda_groups")
    if groups:
        at = BY_NAME["agenda_groups"].columns.index("agenda_item_id")
        items = sorted({_as_uuid(r[at]) for r in groups if r[at] is not None})
        for i in range(0, len(items), 500):
            touched.update(
                conn.scalars(select(AgendaItem.workshop_id).where(AgendaItem.id.in_(items[i : i + 500])))
            )
    if touched:
        token = uuid.uuid4().hex
        upsert(conn, AnalysisMark, "workshop_id", [{"workshop_id": w, "token": token} for w in sorted(touched)])


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def pull(
    local: Store,
    remote: Store,
    *,
    batch_rows: int = PULL_BATCH_ROWS,
    progress: Progress | None = None,
    superseded: list[Superseded] | None = None,
    skipped: list[str] | None = None,
) -> Counter[str]:
    """Bring in what others wrote since this laptop's pull watermark (``superseded``
    collects this laptop's edits that newer ones replaced, ``skipped`` a sentence for each
    malformed row left out)."""
    lost: list[Superseded] = superseded if superseded is not None else []
    bad: list[str] = skipped if skipped is not None else []
    with local.engine.connect() as conn:
        mark = pull_mark(conn, remote.device_id)
    counts: Counter[str] = Counter()
    done = 0
    while True:
        with remote.snapshot() as conn:
            batch = read_batch(conn, after=mark, limit=batch_rows, exclude_origin=local.device_id)
        if batch.mark <= mark and not len(batch):
            break
        changed = _apply_pull(local, remote, batch, lost, bad)
        if changed:
            counts.update(changed)
        mark = batch.mark
        done += batch.count
        if progress is not None:
            progress("pull", done, 0)
        if batch.count < batch_rows:
            break
    return counts
