"""Pull: what other laptops wrote, from the shared store into this laptop's.

The shared store is read in large batches, each inside one snapshot, after this laptop's
pull watermark (few round trips: a batch is one query per table). Each batch is checked
(:mod:`db.sync.validate`) and applied in short local transactions, each a prefix of the
batch in change-sequence order with every parent it needs and the watermark it reaches
(``sync_remotes.pulled_seq``), so a tap in the console never waits long behind a pull and
a pull killed anywhere resumes after the last transaction that committed. Rows a laptop
wrote itself are not pulled back. Pulled rows are stored with ``seq = 0``: "came from the
shared store, nothing to push"; only local writes and merges that keep something of this
laptop's get fresh seqs and are pushed.

Why the local transactions commit without waiting for the disk (``synchronous=NORMAL``,
WAL only): a pulled transaction lost to a power cut takes its watermark with it and is
pulled again; what must not be lost is acknowledged to the shared store only after one
last durable commit (:func:`_make_durable`), before the laptop reports how far it pulled.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, select

from db.models import AgendaItem, AnalysisMark, SyncRemote
from db.sql import upsert
from db.store import Store, take_seqs
from db.sync.apply import Superseded, apply_batch
from db.sync.remote import address_of
from db.sync.report import Progress
from db.sync.rows import BY_NAME, SPECS, Batch, begin_apply, read_batch
from db.sync.validate import screen_parents, screen_rows

#: Rows read from the shared store per snapshot (one query per table).
PULL_BATCH_ROWS = 20_000
#: How long one local pull transaction may hold the laptop's write lock: the longest a tap
#: in the console waits behind a background sync. Transactions are sized to it as they go.
PULL_BUDGET_S = 0.05
#: Rows in the first local transaction, and the bounds the sizing keeps to (1000 rows held
#: the lock about 50 ms on a two-core laptop: never fewer, so a loaded machine still pulls).
FIRST_CHUNK_ROWS, MIN_CHUNK_ROWS, MAX_CHUNK_ROWS = 1000, 1000, 10_000

#: The write-ahead log a pull lets grow before its commit copies it into the store (40 MB;
#: SQLite's default, 1000 pages, made every pull transaction a checkpoint with an fsync).
PULL_CHECKPOINT_PAGES = 10_000

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
    """One local transaction (``batch`` already screened): the rows (adopted at seq 0; a
    merge that keeps something of this laptop's is a new version with a fresh seq), the
    consent they decide, the scrub, the new pull watermark. This laptop's edits that newer
    ones replaced go to ``superseded``; rows whose parent is missing here are left out, one
    sentence each in ``skipped`` (db/sync/validate.py)."""
    remote_id = remote.device_id
    if batch.max_hlc:
        local.clock.observe(batch.max_hlc)  # before any merge here takes a new stamp
    with local.writer.connect() as conn, _not_waiting_for_disk(conn):
        tx = conn.begin()
        try:
            if pull_mark(conn, remote_id) >= batch.mark:
                tx.rollback()
                return None  # another process of this laptop applied it meanwhile
            begin_apply(conn)
            bad = screen_parents(conn, batch)
            applied = apply_batch(conn, batch, None, own_device=local.device_id, stamp=local.clock.tick,
                                  fresh_seqs=lambda n: take_seqs(conn, n).start)
            _mark_pulled(conn, batch)
            _set_mark(conn, remote, batch.mark)
            tx.commit()
        except BaseException:
            tx.rollback()
            raise
    superseded += applied.superseded
    skipped += bad
    return applied.counts


def _set_mark(conn: Connection, remote: Store, mark: int) -> None:
    upsert(conn, SyncRemote, "remote_id",
           {"remote_id": remote.device_id, "url": address_of(remote.url), "pulled_seq": mark})


@contextmanager
def _not_waiting_for_disk(conn: Connection) -> Iterator[None]:
    """A laptop store in WAL mode commits this connection's transactions without an fsync
    (``synchronous=NORMAL``: still atomic, and a power cut only loses whole transactions),
    then goes back to Ripple's ``FULL``. A rollback-journal file keeps ``FULL``."""
    raw: Any = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    wal = raw is not None and str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
    if wal:
        raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute(f"PRAGMA wal_autocheckpoint={PULL_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        if wal:
            raw.execute("PRAGMA synchronous=FULL")
            raw.execute("PRAGMA wal_autocheckpoint=1000")


def _make_durable(local: Store, remote: Store) -> None:
    """One commit that waits for the disk: in WAL mode it makes every earlier commit durable
    too, so the watermark the laptop then reports to the shared store (for compaction)
    survives a power cut."""
    if not local.is_sqlite:
        return
    with local.writer.begin() as conn:
        _set_mark(conn, remote, pull_mark(conn, remote.device_id))


def _mark_pulled(conn: Connection, batch: Batch) -> None:
    """Give every workshop whose analysed rows this pull changed a new analysis mark (see
    :class:`db.models.AnalysisMark`), so a kept analysis of it is not reused."""
    touched: set[uuid.UUID] = set()
    for name, column in _ANALYSED:
        rows = batch.rows.get(name)
        if rows:
            at = BY_NAME[name].columns.index(column)
            touched.update(_as_uuid(w) for w in {r[at] for r in rows} if w is not None)
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
    malformed row left out); ``batch_rows``: rows read per snapshot of the shared store."""
    lost: list[Superseded] = superseded if superseded is not None else []
    bad: list[str] = skipped if skipped is not None else []
    with local.engine.connect() as conn:
        mark = pull_mark(conn, remote.device_id)
    counts: Counter[str] = Counter()
    done = 0
    size = [min(FIRST_CHUNK_ROWS, batch_rows)]  # the next local transaction's rows, as measured
    moved = False
    typed = remote.engine.dialect.name == "postgresql"
    # The next batch is read (and screened) while this one is applied: the shared store's
    # time to produce rows and this laptop's time to store them overlap instead of adding
    # up. Reading ahead changes nothing of what is applied or when the watermark moves (each
    # batch is read in its own snapshot after the previous batch's watermark, as before).
    # A failure here (a full disk, a dropped link) is said at once: the read under way is
    # left to end on its own thread (a snapshot read cannot be interrupted), not waited for.
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ripple-pull-read")
    try:
        ahead = reader.submit(_read, remote, mark, batch_rows, local.device_id, typed)
        while True:
            batch, said = ahead.result()
            if batch.mark <= mark and not len(batch):
                break
            more = batch.count >= batch_rows
            if more:
                ahead = reader.submit(_read, remote, batch.mark, batch_rows, local.device_id, typed)
            bad += said
            for part in split_batch(batch, lambda: size[0]):
                started = time.perf_counter()
                changed = _apply_pull(local, remote, part, lost, bad)
                size[0] = _next_chunk(size[0], part.count, time.perf_counter() - started)
                moved = True
                if changed:
                    counts.update(changed)
                done += part.count
                if progress is not None:
                    progress("pull", done, 0)
            mark = batch.mark
            if not more:
                break
    finally:
        # After the last batch nothing is still being read; after a failure the read ahead
        # is dropped (a batch not yet started never starts).
        reader.shutdown(wait=False, cancel_futures=True)
    if moved:
        _make_durable(local, remote)
    return counts


def _read(remote: Store, after: int, batch_rows: int, own_device: str, typed: bool) -> tuple[Batch, list[str]]:
    """The next batch after ``after`` from the shared store, in one snapshot, screened
    (:func:`db.sync.validate.screen_rows`): the batch and a sentence per row left out."""
    with remote.snapshot() as conn:
        batch = read_batch(conn, after=after, limit=batch_rows, exclude_origin=own_device)
    return batch, screen_rows(batch, typed=typed)


def _next_chunk(chunk: int, rows: int, seconds: float) -> int:
    """The next local transaction's size, so that it holds the write lock about
    :data:`PULL_BUDGET_S` (a small transaction says little about the rate: kept as is)."""
    if rows < chunk // 2 or seconds <= 0:
        return chunk
    return max(MIN_CHUNK_ROWS, min(MAX_CHUNK_ROWS, int(rows * PULL_BUDGET_S / seconds)))


def split_batch(batch: Batch, size: Any) -> Iterator[Batch]:
    """The batch as consecutive prefixes in change-sequence order, each of about ``size()``
    rows (asked again for each part), with the watermark it reaches and every parent of its
    rows that an earlier part has not brought (applying a parent twice changes nothing).

    Rows beyond the batch's watermark are parents read along (:func:`read_batch`): they
    travel with the parts that need them. (Done a table at a time with set operations: row
    by row, this was a tenth of a 100,000-row pull's Python time.)"""
    proper: list[tuple[int, str, Any]] = []
    index: dict[str, dict[Any, Any]] = {}
    for name, rows in batch.rows.items():
        spec = BY_NAME[name]
        if name in _PARENTS:
            index[name] = {row[spec.id_at]: row for row in rows}
        seq_at, mark = spec.seq_at, batch.mark
        proper += [(row[seq_at], name, row) for row in rows if row[seq_at] <= mark]
    proper.sort(key=itemgetter(0))
    sent: dict[str, set[Any]] = {name: set() for name in batch.rows}
    start = 0
    while True:
        end = min(len(proper), start + max(1, int(size())))
        part = Batch(mark=batch.mark if end >= len(proper) else proper[end - 1][0], count=end - start)
        new: dict[str, list[Any]] = {}
        for _seq, name, row in proper[start:end]:
            ident = row[BY_NAME[name].id_at]
            done = sent[name]
            if ident not in done:  # an earlier part may have brought it as a parent
                done.add(ident)
                new.setdefault(name, []).append(row)
        while new:
            for name, rows in new.items():
                part.rows.setdefault(name, []).extend(rows)
            new = _parents_of(new, index, sent)
        part.max_hlc = max((max(map(itemgetter(BY_NAME[n].hlc_at), rows)) for n, rows in part.rows.items() if rows),
                           default="")
        yield part
        start = end
        if start >= len(proper):
            return


#: Tables some synced table points at.
_PARENTS = frozenset(parent for spec in SPECS for _pos, parent in spec.parents)


def _parents_of(rows_by_table: dict[str, list[Any]], index: dict[str, dict[Any, Any]],
                sent: dict[str, set[Any]]) -> dict[str, list[Any]]:
    """The rows of ``index`` that ``rows_by_table`` point at and that are not in ``sent``
    yet (now marked sent)."""
    out: dict[str, list[Any]] = {}
    for name, rows in rows_by_table.items():
        for pos, parent in BY_NAME[name].parents:
            known = index.get(parent)
            if not known:
                continue
            wanted = (known.keys() & {row[pos] for row in rows}) - sent[parent]
            if wanted:
                sent[parent] |= wanted
                out.setdefault(parent, []).extend(known[ident] for ident in sorted(wanted))
    return out
