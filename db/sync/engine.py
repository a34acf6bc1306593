"""Two-way sync between a laptop's store and the shared store (PostgreSQL or a SQLite file).

How it stays exact whatever happens to the network, the clock or the process:

* **Push** sends this laptop's own changes in change-sequence order. The push watermark lives
  on the shared store (``sync_push_marks``, one row per laptop) and moves in the same remote
  transaction as the batch it covers, so a push killed anywhere resumes after the last batch
  that really landed, and a batch sent twice is a no-op (same versions lose the
  last-writer-wins comparison against themselves).
* On the shared store every pushed row gets a fresh seq from the shared store's own counter,
  taken inside the push transaction; that row lock serialises pushers, so seq order there is
  commit order and a puller's watermark never skips a row that committed late.
* **Pull** reads the shared store's rows after the laptop's pull watermark, inside one
  snapshot, and applies them in one local transaction together with the new watermark
  (``sync_remotes.pulled_seq``). Rows a laptop wrote itself are not pulled back.
* Pulled rows are stored with ``seq = 0``: "came from the shared store, nothing to push".
  Only local writes (which get fresh seqs) are ever pushed, so nothing echoes.
* A batch never leaves a child without its parent: parents that the watermark does not cover
  yet travel with the batch (applying them again later is a no-op under last-writer-wins);
  foreign keys are deferred, so order inside the transaction does not matter.
* Conflicts resolve last-writer-wins on the row's HLC version; contributions and reactions
  are append-only, so they never conflict. Deletions are tombstones and travel like edits.
  An erasure is a one-way door: an erased participant beats any version that is not, and
  every store scrubs what belongs to an erased person after each batch it applies (see
  :func:`db.sync.rows.scrub_erased`).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError

from db import consent, migrate
from db.errors import StoreError
from db.models import AgendaItem, AnalysisMark, ChangeCounter, SyncPushMark, SyncRemote
from db.store import Store, explain_connect_error, make_engine
from db.sync import clips as clipfiles
from db.sync.apply import Superseded, apply_merged
from db.sync.rows import (
    BY_NAME,
    SPECS,
    Batch,
    begin_apply,
    count_newer,
    read_batch,
    reserve_seqs,
    run_sql,
    scrub_erased,
    with_seq,
)
from db.types import utcnow
from db.urls import mask_url, parse_url

log = logging.getLogger("ripple.sync")

#: The shared store must answer within this (the whole check stays under ten seconds).
REMOTE_CONNECT_TIMEOUT_S = 5
#: Rows per push transaction (the laptop only reads: big batches for speed).
PUSH_BATCH_ROWS = 2000
#: Rows per pull transaction: applying one holds the laptop's write lock about 50 ms on a
#: two-core laptop, the longest a tap in the console can wait behind a background sync.
PULL_BATCH_ROWS = 1000

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: phase is "push", "pull" or "clips"."""

_SCRUBBED_TABLES = frozenset({"participants", "clips", "contributions"})
_LABELS = {
    "workshops": ("workshop", "workshops"),
    "participants": ("participant", "participants"),
    "consent_events": ("consent record", "consent records"),
    "workshop_participants": ("roster entry", "roster entries"),
    "agenda_items": ("agenda item", "agenda items"),
    "agenda_groups": ("group", "groups"),
    "contributions": ("contribution", "contributions"),
    "clips": ("clip", "clips"),
    "reactions": ("reaction", "reactions"),
    "export_records": ("export record", "export records"),
}


@dataclass
class SyncReport:
    """What one sync moved, for the CLI's line and the UI's status."""

    remote: str
    pushed: Counter[str] = field(default_factory=Counter)
    pulled: Counter[str] = field(default_factory=Counter)
    clips_up: int = 0
    clips_down: int = 0
    clips_removed: int = 0
    clip_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    restored: bool = False  # the shared store was behind this laptop (a restored backup)
    #: this laptop's edits that newer edits from other laptops replaced
    superseded: list[Superseded] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(self.pushed.values())

    @property
    def received(self) -> int:
        return sum(self.pulled.values())

    def summary(self) -> str:
        def part(what: str, counts: Counter[str], files: int) -> str:
            n = sum(counts.values())
            text = f"{what} {n:,} change{'s' if n != 1 else ''}"
            if n:
                text += " (" + ", ".join(
                    f"{v:,} {_LABELS[k][v != 1]}" for k, v in counts.most_common()
                ) + ")"
            if files:
                text += f" and {files} clip file{'s' if files != 1 else ''}"
            return text

        note = (" The shared store was behind this laptop (restored from a backup?), so this laptop "
                "sent and fetched everything again." if self.restored else "")
        removed = (f" {self.clips_removed} clip file{'s' if self.clips_removed != 1 else ''} of deleted or "
                   "erased clips removed." if self.clips_removed else "")
        kept = superseded_note(self.superseded)
        if not (self.sent or self.received or self.clips_up or self.clips_down):
            return f"Already in sync with {self.remote}.{removed}{note}"
        sent = part("Sent", self.pushed, self.clips_up) if self.sent or self.clips_up else "Nothing to send"
        got = (part("received", self.pulled, self.clips_down) if self.received or self.clips_down
               else "nothing new to receive")
        return f"{sent}; {got} ({self.remote}, {self.seconds:.1f} s).{kept}{removed}{note}"


_FIELD_WORDS = {"title": "title", "name": "name", "team": "team", "email": "e-mail",
                "instructions": "instructions", "minutes": "minutes", "notes": "notes",
                "facilitator": "facilitator", "deleted_at": "deletion", "kind": "kind",
                "initiative": "initiative", "note": "note", "members": "members"}


def superseded_note(superseded: list[Superseded]) -> str:
    """One sentence on the local edits a newer edit from another laptop replaced."""
    if not superseded:
        return ""
    shown = []
    for s in superseded[:3]:
        what = _LABELS.get(s.table, (s.table, s.table))[0]
        word = _FIELD_WORDS.get(s.field, s.field.replace("_", " "))
        shown.append(f"the {what}'s {word} (from laptop {s.by_device})")
    more = f" and {len(superseded) - 3} more" if len(superseded) > 3 else ""
    return (f" Kept newer edits made on other laptops over {len(superseded)} of this laptop's: "
            + ", ".join(shown) + more + ".")


@dataclass(frozen=True)
class LocalSyncState:
    """What a laptop knows about its last sync without asking the shared store."""

    remote: str | None
    last_sync_at: datetime | None
    waiting: int


# ---------------------------------------------------------------- opening the shared store


class RemoteRefused(StoreError):
    """The shared store refused the user name or password (so the UI can ask for one)."""


def _explain(url: str | URL, exc: BaseException, *, during_sync: bool = False) -> StoreError:
    """One sentence for a driver error, without the password."""
    masked = mask_url(url)
    text = str(getattr(exc, "orig", exc)).lower()
    if "no password supplied" in text:
        return RemoteRefused(f"The shared store at {masked} asks for a password.")
    if "password authentication failed" in text:
        return RemoteRefused(f"The shared store at {masked} refused the user name or password.")
    if isinstance(exc, ProgrammingError) and "permission denied" in text:
        return StoreError(
            f"The user in {masked} lacks a permission on the shared store "
            f"({text.splitlines()[0]}); see docs/shared-store.md for the roles."
        )
    if isinstance(exc, IntegrityError):
        return StoreError(
            f"The shared store at {masked} refused a change ({text.splitlines()[0]}); nothing of "
            "that batch was kept — please report this."
        )
    if "lock timeout" in text or "canceling statement due to lock timeout" in text:
        return StoreError(
            f"Another laptop has been syncing with {masked} for a while; nothing was lost, and "
            "Ripple tries again later."
        )
    connecting = ("timeout expired", "could not connect", "connection refused", "connection failed",
                  "could not translate", "no route", "network is unreachable")
    if during_sync and isinstance(exc, OperationalError) and not any(s in text for s in connecting):
        return StoreError(
            f"The connection to the shared store at {masked} was lost during the sync; what "
            "arrived is kept and the rest follows at the next sync."
        )
    return explain_connect_error(url, exc)


def open_remote(
    url: str | URL,
    *,
    upgrade: bool = False,
    create: bool = True,
    connect_timeout: int = REMOTE_CONNECT_TIMEOUT_S,
) -> Store:
    """Open the shared store, creating its schema when the database is empty.

    A shared store with an older schema is upgraded only when asked (``upgrade``), since
    that locks out laptops still on the older Ripple; a newer one is refused. Either way the
    message says what to do.
    """
    parsed = parse_url(url)
    is_file = parsed.get_backend_name() == "sqlite"
    # A new shared file gets a rollback journal: WAL does not work over network file systems.
    engine = make_engine(
        parsed, connect_timeout=connect_timeout, journal_mode="DELETE" if is_file else "WAL"
    )
    masked = mask_url(parsed)
    try:
        current, head = migrate.schema_state(engine)
        if current is None and not create:
            raise StoreError(f"{masked} is empty; the first sync will set it up as the shared store.")
        if current is not None and current != head:
            if not migrate.is_known(current):
                raise StoreError(
                    f"The shared store at {masked} was upgraded by a newer Ripple (schema "
                    f"{current}); update Ripple on this laptop to sync with it."
                )
            if not upgrade:
                raise StoreError(
                    f"The shared store at {masked} has an older schema ({current}) than this "
                    f"Ripple ({head}); once every laptop runs this version, upgrade it with "
                    "`ripple sync --upgrade-remote` (or ask its admin, see docs/shared-store.md)."
                )
        if current != head:
            with _setup_lock(engine):
                _create_or_upgrade(engine)
        device_id = Store._ensure_meta(engine)
    except StoreError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise _explain(parsed, exc) from None
    return Store(engine, device_id)


_SETUP_LOCK = 0x52_69_70_70  # "Ripp": one laptop at a time sets up the shared store


@contextmanager
def _setup_lock(engine: Engine) -> Iterator[None]:
    """Serialise laptops that find the shared store empty (or old) at the same moment.

    PostgreSQL: a session advisory lock. SQLite: the file's own write lock is taken by the
    migration; a loser sees "already exists" and re-checks (see _create_or_upgrade).
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_lock(%s)", (_SETUP_LOCK,))
        conn.commit()
        try:
            yield
        finally:
            conn.exec_driver_sql("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
            conn.commit()


def _create_or_upgrade(engine: Engine) -> None:
    """Create or upgrade the schema unless another laptop just did."""
    for attempt in range(3):
        current, head = migrate.schema_state(engine)
        if current == head:
            break
        try:
            migrate.upgrade(engine, allow_create=True)
            Store._ensure_meta(engine)
            break
        except DBAPIError:
            if attempt == 2:
                raise
            time.sleep(0.2)  # another laptop was setting it up: look again


# ---------------------------------------------------------------- transactions


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one consistent moment of the store."""
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    with conn, conn.begin():
        yield conn


def _writer(engine: Engine) -> Engine:
    return engine.execution_options(ripple_write=True)


def _upsert(conn: Connection, table: Any, key: str, values: dict[str, object] | list[dict[str, object]]) -> None:
    """Insert, or update on ``key``, one row or many rows with the same columns."""
    rows = values if isinstance(values, list) else [values]
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    stmt = ins.values(rows)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[key], set_={k: stmt.excluded[k] for k in rows[0] if k != key}
        )
    )


# ---------------------------------------------------------------- push


def _remote_push_mark(conn: Connection, device_id: str) -> int | None:
    value = conn.scalar(select(SyncPushMark.pushed_seq).where(SyncPushMark.device_id == device_id))
    return None if value is None else int(value)


def _apply_push(remote: Store, device_id: str, batch: Batch) -> Counter[str] | None:
    """One remote transaction: the batch, the erasure scrub, and the moved watermark.

    Returns what changed, or None when another process of this laptop had already pushed it.
    """
    counts: Counter[str] = Counter()
    if batch.max_hlc:
        remote.clock.observe(batch.max_hlc)  # a merge's new version is later than what it merges
    with _writer(remote.engine).connect() as conn:
        tx = conn.begin()
        try:
            begin_apply(conn)
            seq = reserve_seqs(conn, len(batch))  # the lock that orders pushers
            already = _remote_push_mark(conn, device_id)
            if already is not None and already >= batch.mark:
                tx.rollback()
                return None
            for spec in SPECS:
                rows = batch.rows.get(spec.name)
                if not rows:
                    continue
                applied = apply_merged(conn, spec, with_seq(spec, rows, range(seq, seq + len(rows))),
                                       own_device=remote.device_id, stamp=remote.clock.tick)
                counts[spec.name] += applied.changed
                seq += len(rows)
            consent.recompute(conn, _consent_touched(batch))
            if _SCRUBBED_TABLES.intersection(batch.rows):
                scrub_erased(conn)
            _upsert(
                conn,
                SyncPushMark.__table__,
                "device_id",
                {"device_id": device_id, "pushed_seq": batch.mark, "pushed_at": utcnow()},
            )
            tx.commit()
        except BaseException:
            tx.rollback()
            raise
    return +counts


def push(
    local: Store,
    remote: Store,
    *,
    batch_rows: int = PUSH_BATCH_ROWS,
    progress: Progress | None = None,
) -> tuple[Counter[str], int]:
    """Send this laptop's changes the shared store has not got; returns (changed rows per
    table, the push watermark reached)."""
    with remote.engine.connect() as conn:
        mark = _remote_push_mark(conn, local.device_id) or 0
    counts: Counter[str] = Counter()
    total = done = 0
    if progress is not None:
        with local.engine.connect() as conn:
            total = count_newer(conn, mark)
        progress("push", 0, total)
    while True:
        with _snapshot(local.engine) as conn:
            batch = read_batch(conn, after=mark, limit=batch_rows)
        if batch.count == 0:
            break
        changed = _apply_push(remote, local.device_id, batch)
        if changed:
            counts.update(changed)
        mark = batch.mark
        done += batch.count
        if progress is not None:
            progress("push", min(done, total), total)
    return counts, mark


# ---------------------------------------------------------------- pull


def _pull_mark(conn: Connection, remote_id: str) -> int:
    value = conn.scalar(select(SyncRemote.pulled_seq).where(SyncRemote.remote_id == remote_id))
    return int(value or 0)


def _apply_pull(
    local: Store, remote: Store, batch: Batch, superseded: list[Superseded]
) -> Counter[str] | None:
    """One local transaction: the rows (kept at seq 0 unless they keep a local edit), the
    consent they decide, the scrub, the new pull watermark. Local edits that a newer edit
    from elsewhere replaced are added to ``superseded``."""
    counts: Counter[str] = Counter()
    lost: list[Superseded] = []
    remote_id = remote.device_id
    if batch.max_hlc:
        local.clock.observe(batch.max_hlc)  # before any merge here takes a new stamp
    with _writer(local.engine).connect() as conn:
        tx = conn.begin()
        try:
            if _pull_mark(conn, remote_id) >= batch.mark:
                tx.rollback()
                return None  # another process of this laptop applied it meanwhile
            begin_apply(conn)
            for spec in SPECS:
                rows = batch.rows.get(spec.name)
                if rows:
                    applied = apply_merged(conn, spec, with_seq(spec, rows, [0] * len(rows)),
                                           own_device=local.device_id, stamp=local.clock.tick,
                                           fresh_seqs=lambda n: reserve_seqs(conn, n))
                    counts[spec.name] += applied.changed
                    lost += applied.superseded
            consent.recompute(conn, _consent_touched(batch))
            if _SCRUBBED_TABLES.intersection(batch.rows):
                scrub_erased(conn)
            _mark_pulled(conn, batch)
            _upsert(
                conn,
                SyncRemote.__table__,
                "remote_id",
                {"remote_id": remote_id, "url": address_of(remote.url), "pulled_seq": batch.mark},
            )
            tx.commit()
        except BaseException:
            tx.rollback()
            raise
    superseded += lost
    return +counts


def _consent_touched(batch: Batch) -> set[uuid.UUID]:
    """The people whose consent a batch may change: their row or one of their events came."""
    touched: set[uuid.UUID] = set()
    for name, column in (("participants", "id"), ("consent_events", "participant_id")):
        at = BY_NAME[name].columns.index(column)
        touched.update(_as_uuid(r[at]) for r in batch.rows.get(name, ()) if r[at] is not None)
    return touched


#: Tables whose rows feed a workshop's analysis, and where each row names its workshop.
_ANALYSED: tuple[tuple[str, str], ...] = (
    ("contributions", "workshop_id"),
    ("reactions", "workshop_id"),
    ("clips", "workshop_id"),
    ("workshop_participants", "workshop_id"),
    ("agenda_items", "workshop_id"),
)


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
    if not touched:
        return
    token = uuid.uuid4().hex
    ordered = sorted(touched)
    for i in range(0, len(ordered), 500):
        _upsert(conn, AnalysisMark.__table__, "workshop_id",
                [{"workshop_id": w, "token": token} for w in ordered[i : i + 500]])


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def pull(
    local: Store,
    remote: Store,
    *,
    batch_rows: int = PULL_BATCH_ROWS,
    progress: Progress | None = None,
    superseded: list[Superseded] | None = None,
) -> Counter[str]:
    """Bring in what others wrote since this laptop's pull watermark (``superseded``
    collects this laptop's edits that newer ones replaced)."""
    lost: list[Superseded] = superseded if superseded is not None else []
    with local.engine.connect() as conn:
        mark = _pull_mark(conn, remote.device_id)
    counts: Counter[str] = Counter()
    done = 0
    while True:
        with _snapshot(remote.engine) as conn:
            batch = read_batch(conn, after=mark, limit=batch_rows, exclude_origin=local.device_id)
        if batch.mark <= mark and not len(batch):
            break
        changed = _apply_pull(local, remote, batch, lost)
        if changed:
            counts.update(changed)
        mark = batch.mark
        done += batch.count
        if progress is not None:
            progress("pull", done, 0)
        if batch.count < batch_rows:
            break
    return counts


# ---------------------------------------------------------------- switching shared stores


def _adopt_for_new_remote(local: Store, remote: Store, remote_has_mark: bool) -> int:
    """Rows pulled from a previous shared store (seq 0) get fresh seqs on first contact with
    a new one, so they reach it too. Safe to repeat until the first batch lands."""
    if remote_has_mark:
        return 0
    with _writer(local.engine).connect() as conn:
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
            first = reserve_seqs(conn, len(ids))
            conn.exec_driver_sql(
                f"UPDATE {spec.name} SET seq = {'?' if conn.dialect.name == 'sqlite' else '%s'} "
                f"WHERE id = {'?' if conn.dialect.name == 'sqlite' else '%s'}",
                [(first + i, ident) for i, ident in enumerate(ids)],
            )
            moved += len(ids)
        tx.commit()
    if moved:
        log.info("adopted %d rows from an earlier shared store for %s", moved, remote.masked_url)
    return moved


# ---------------------------------------------------------------- clip files


def sync_clip_files(
    local: Store,
    remote: Store,
    clips_root: Path,
    report: SyncReport,
    *,
    chunk_bytes: int = clipfiles.CHUNK_BYTES,
    progress: Progress | None = None,
) -> None:
    """Push clip files the shared store lacks, pull the ones this laptop lacks, and remove
    files no one may see any more, on both sides."""
    files = clipfiles.remote_files(remote.engine, chunk_bytes)
    with local.engine.connect() as conn:
        wanted = clipfiles.live_shas(conn)
        local_garbage = clipfiles.garbage_shas(conn)
    here = {s for s in wanted if clipfiles.clip_path(clips_root, s).is_file()}
    there = files.available(wanted)
    up = sorted(here - there)
    down = sorted((wanted - here) & there)
    total, done = len(up) + len(down), 0
    for sha in up:
        src = clipfiles.clip_path(clips_root, sha)
        try:
            if clipfiles.sha256_of(src) != sha:
                report.clip_problems.append(f"The clip file {sha[:12]}… on this laptop is damaged; it was not sent.")
                continue
            files.upload(sha, src)
            report.clips_up += 1
        except StoreError as exc:
            report.clip_problems.append(str(exc))
        done += 1
        if progress is not None:
            progress("clips", done, total)
    for sha in down:
        try:
            files.download(sha, clipfiles.clip_path(clips_root, sha))
            report.clips_down += 1
        except StoreError as exc:
            report.clip_problems.append(str(exc))
        done += 1
        if progress is not None:
            progress("clips", done, total)
    # Erased (or long deleted) clips: gone from the shared store and from this laptop.
    with remote.engine.connect() as conn:
        stored = files.stored()
        doomed = clipfiles.garbage_shas(conn) & stored
        if files.removes_orphans:
            doomed |= clipfiles.orphan_shas(conn, stored)
    if doomed:
        report.clips_removed += files.remove(doomed)
    report.clips_removed += remove_local_garbage(clips_root, local_garbage)


def remove_local_garbage(clips_root: Path, shas: set[str]) -> int:
    removed = 0
    for sha in shas:
        path = clipfiles.clip_path(clips_root, sha)
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def fetch_clip(remote: Store, sha: str, clips_root: Path) -> Path:
    """Fetch one clip file now (a clip opened before the background sync brought it)."""
    dest = clipfiles.clip_path(clips_root, sha)
    if not dest.is_file():
        try:
            clipfiles.remote_files(remote.engine).download(sha, dest)
        except DBAPIError as exc:
            raise _explain(remote.url, exc) from None
    return dest


# ---------------------------------------------------------------- the whole sync


def _restored_from_backup(local: Store, remote: Store, remote_mark: int | None, remote_top: int | None) -> bool:
    """A shared store restored from an older backup hands out seqs again from a lower point,
    so a pull watermark from before the restore would skip what others send from now on.
    Evidence of a restore: the shared store remembers less of this laptop's pushes than the
    laptop saw it confirm, or its counter is below this laptop's pull watermark. Then this
    laptop pulls everything again (re-applying a row it has is a no-op under last-writer-wins);
    its push resumes from the shared store's older mark by itself."""
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
    with _writer(local.engine).begin() as conn:
        conn.execute(
            update(SyncRemote)
            .where(SyncRemote.remote_id == remote.device_id)
            .values(pulled_seq=0, pushed_seq=min(confirmed, remote_mark or 0))
        )
    return True


def sync(
    local: Store,
    remote: Store,
    *,
    clips_root: Path | None = None,
    batch_rows: int | None = None,
    chunk_bytes: int = clipfiles.CHUNK_BYTES,
    progress: Progress | None = None,
) -> SyncReport:
    """Push, then pull, then clip files (when ``clips_root`` is given).

    Any failure leaves both stores consistent: every batch is one transaction with its
    watermark, so the next sync picks up exactly where this one stopped.
    """
    started = time.monotonic()
    report = SyncReport(remote=remote.masked_url)
    if local.device_id == remote.device_id:
        raise StoreError(f"{remote.masked_url} is this laptop's own store; choose the shared store.")
    try:
        with remote.engine.connect() as conn:
            remote_mark = _remote_push_mark(conn, local.device_id)
            remote_top = conn.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1))
        has_mark = remote_mark is not None
        if _restored_from_backup(local, remote, remote_mark, remote_top):
            report.restored = True
        _adopt_for_new_remote(local, remote, has_mark)
        report.pushed, pushed_mark = push(
            local, remote, batch_rows=batch_rows or PUSH_BATCH_ROWS, progress=progress
        )
        report.pulled = pull(local, remote, batch_rows=batch_rows or PULL_BATCH_ROWS, progress=progress,
                             superseded=report.superseded)
        if clips_root is not None:
            sync_clip_files(local, remote, clips_root, report, chunk_bytes=chunk_bytes, progress=progress)
        with _writer(local.engine).begin() as conn:
            # What this laptop wrote itself for someone erased (it is not pulled back) gets the
            # same scrub the shared store gave it.
            scrub_erased(conn)
            _upsert(
                conn,
                SyncRemote.__table__,
                "remote_id",
                {
                    "remote_id": remote.device_id,
                    "url": address_of(remote.url),
                    "pulled_seq": _pull_mark(conn, remote.device_id),
                    "pushed_seq": pushed_mark,
                    "last_sync_at": utcnow(),
                },
            )
    except DBAPIError as exc:
        raise _explain(remote.url, exc, during_sync=True) from None
    report.seconds = time.monotonic() - started
    log.info("sync with %s: %s", remote.masked_url, report.summary())
    return report


def address_of(url: str | URL) -> str:
    """A shared store's address as settings keep it: no password at all."""
    return parse_url(url)._replace(password=None).render_as_string(hide_password=False)


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


__all__ = [
    "BY_NAME",
    "PULL_BATCH_ROWS",
    "PUSH_BATCH_ROWS",
    "REMOTE_CONNECT_TIMEOUT_S",
    "LocalSyncState",
    "RemoteRefused",
    "SyncReport",
    "fetch_clip",
    "local_state",
    "open_remote",
    "pull",
    "push",
    "sync",
    "sync_clip_files",
]
