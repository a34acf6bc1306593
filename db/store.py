"""Opening a store: engine set-up, migrations, this device's identity, and sessions that
stamp every written row with its sync version.

The app calls :meth:`Store.open` once and then works in ``with store.write() as s:`` /
``with store.read() as s:`` blocks. Writes are durable on return: SQLite runs in WAL mode
with ``synchronous=FULL`` so a committed contribution survives a dead battery.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    bindparam,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from db import limits, migrate
from db.connect import make_engine
from db.errors import StoreError, explain_write, opening
from db.hlc import HybridLogicalClock
from db.merge import BOOKKEEPING, OLDEST, edited, parse_versions
from db.models import ChangeCounter, StoreMeta, Synced
from db.types import utcnow
from db.urls import mask_url

#: store_meta: on PostgreSQL, the oid of the database the store was made in (see ensure_identity).
DATABASE_OID = "database_oid"
#: How long a bulk writer waits at most, between two chunks, for this process's short writes.
_YIELD_S = 0.1


@dataclass
class LockHold:
    """How long one bulk transaction held the store's write lock: from taking it to the end
    of its commit. That is what a tap waiting for the lock waits for, so it is what a bulk
    writer sizes its chunks by (db/chunks.py). The commit is not the small, equal flush every
    write pays: a chunk's commit writes and flushes many more pages than a tap's.
    bench/import_scale.py measured 18 ms a commit for a roster chunk against 5 ms for a whole
    tap; sized by their inserts alone (at most 51 ms), chunks kept a tap waiting 74 ms."""

    seconds: float = 0.0


class Store:
    """One open store (the laptop's own, or the shared one) and this device's clock."""

    def __init__(self, engine: Engine, device_id: str) -> None:
        self.engine = engine
        self.url = engine.url
        self.device_id = device_id
        self.clock = HybridLogicalClock(device_id)
        self._short_writers = threading.Condition()
        self._short_count = 0
        #: The same engine, but every transaction on it is a writer's: on SQLite it takes the
        #: write lock at BEGIN (see :func:`db.connect.make_engine`), so a read-then-write never fails midway.
        self.writer = engine.execution_options(ripple_write=True)
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=self.writer, expire_on_commit=False)
        self._insert_cache: dict[str, Any] = {}
        for factory in (self._read_sessions, self._write_sessions):
            factory.configure(info={"store": self})

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    @classmethod
    def open(cls, url: str | URL, *, create: bool = True, upgrade: bool = True) -> Store:
        """Open (creating and upgrading as needed, unless told not to) the store at ``url``."""
        engine = make_engine(url)
        with opening(engine, url):
            migrate.upgrade(engine, allow_create=create, allow_upgrade=upgrade)
            device_id = cls.ensure_identity(engine)
        store = cls(engine, device_id)
        store._observe_latest_version()
        return store

    @staticmethod
    def ensure_identity(engine: Engine) -> str:
        """This store's device id, made (with its creation time and change counter) the first
        time the store is opened.

        PostgreSQL: a store restored from a dump (``pg_restore`` into another database, or
        into a re-created one) is a new store with the old one's rows. Its database has a new
        oid, and the id read here is then derived from the stored one and that oid, so every
        laptop treats the restored copy as a shared store it has not met (pulls all of it
        and sends it everything it holds, rows written after the backup included) and two
        copies running side by side never share one identity. No write is needed for it, so
        a read-only role sees the same id."""
        with Session(engine.execution_options(ripple_write=True)) as s, s.begin():
            row = s.get(StoreMeta, "device_id")
            if row is not None:
                device_id = row.value
            else:
                device_id = uuid.uuid4().hex[:12]
                s.add(StoreMeta(key="device_id", value=device_id))
                s.add(StoreMeta(key="created_at", value=utcnow().isoformat()))
                if s.get(ChangeCounter, 1) is None:
                    s.add(ChangeCounter(id=1, value=0))
            if engine.dialect.name != "postgresql":
                return device_id
            oid = str(s.execute(text("SELECT oid FROM pg_database WHERE datname = current_database()")).scalar())
            kept = s.get(StoreMeta, DATABASE_OID)
            if kept is None:
                if row is None:  # a new store: remember where it was made
                    s.add(StoreMeta(key=DATABASE_OID, value=oid))
                return device_id
            if kept.value == oid:
                return device_id
            return hashlib.sha256(f"{device_id}:{oid}".encode()).hexdigest()[:12]

    def take_identity(self, device_id: str) -> None:
        """Become ``device_id`` from now on (a copy of another laptop's store, found out by
        the sync: db/sync/identity.py); the old id is kept in ``previous_device_ids``."""
        with Session(self.writer) as s, s.begin():
            row = s.get(StoreMeta, "device_id")
            old = row.value if row is not None else ""
            if row is None:
                s.add(StoreMeta(key="device_id", value=device_id))
            else:
                row.value = device_id
            prev = s.get(StoreMeta, "previous_device_ids")
            if prev is None:
                s.add(StoreMeta(key="previous_device_ids", value=old))
            elif old:
                prev.value = f"{prev.value} {old}".strip()
        self.refresh_identity()

    def refresh_identity(self) -> bool:
        """Re-read this store's device id (another process may have given it a new one);
        True when it changed."""
        current = Store.ensure_identity(self.engine)
        if current == self.device_id:
            return False
        self.device_id = current
        self.clock = HybridLogicalClock(current, self.clock.wall_ms)
        self._observe_latest_version()
        return True

    def _observe_latest_version(self) -> None:
        """After a restart the clock must still be past every version already written, and
        every clock a portable file taught the store, even if the wall clock jumped back."""
        from db.models import SYNCED_MODELS

        with self.engine.connect() as conn:
            stamps = [
                conn.execute(select(m.hlc).where(m.hlc < ":").order_by(m.hlc.desc()).limit(1)).scalar()
                for m in SYNCED_MODELS
            ]
            stamps.append(_clock_learned(conn))
        for stamp in stamps:
            if stamp:
                try:
                    self.clock.observe(stamp)
                except ValueError:
                    pass  # a malformed stamp written by hand: nothing to move past

    def learn_clock(self, stamp: str) -> None:
        """Move this store's clock past ``stamp``, in every process of this laptop: a
        portable file's clock, whose rows come in at the oldest version (app/portable) and
        so teach the clock nothing. Kept in ``store_meta`` (SQLite: the laptop's own store),
        which a process observes when it opens the store and when it edits a row still at
        the oldest version, so an edit of what a file brought is later than the file's
        versions whichever process makes it (issue #10: a clock behind lost such edits).
        Only here: another laptop that pulls those rows, still at the oldest version, before
        anyone edits them learns nothing of the file (left open, in the stop note)."""
        self.clock.observe(stamp)
        if not self.is_sqlite:
            return
        with self._write_errors(), Session(self.writer) as s, s.begin():
            row = s.get(StoreMeta, CLOCK_LEARNED)
            if row is None:
                s.add(StoreMeta(key=CLOCK_LEARNED, value=stamp))
            elif row.value < stamp:
                row.value = stamp

    def stamp_past_everything(self) -> str:
        """A new stamp of this store's clock, later than every version the store holds,
        whichever process wrote it: what a portable file carries (its ``clock``), so that a
        laptop importing it stamps its later edits of the file's rows after their versions,
        as a sync would have taught its clock."""
        self._observe_latest_version()
        return self.clock.tick()

    @contextmanager
    def write(self, *, keep_versions: bool = False) -> Iterator[Session]:
        """A write transaction; committed (durably) when the block ends without error.

        ``keep_versions``: new rows that arrive with an ``hlc`` keep it (a portable file's
        content is not a new edit); they still get a change sequence, so they are pushed."""
        with self._short_write(), self._write_errors(), self._write_sessions() as session, session.begin():
            session.info["keep_versions"] = keep_versions
            yield session

    @contextmanager
    def _short_write(self) -> Iterator[None]:
        """Count this process's short writes (a tap, an edit) while they wait and write, so
        a bulk writer of the same process lets them go first (:meth:`let_others_write`)."""
        with self._short_writers:
            self._short_count += 1
        try:
            yield
        finally:
            with self._short_writers:
                self._short_count -= 1
                self._short_writers.notify_all()

    @contextmanager
    def _write_errors(self) -> Iterator[None]:
        """A write the store cannot make (full disk, I/O error, read-only, locked) becomes one
        sentence (:func:`db.errors.explain_write`); anything else stays the bug it is."""
        try:
            yield
        except OperationalError as exc:
            err = explain_write(self.url, exc)
            if err is None:
                raise
            raise err from None
        except sqlite3.OperationalError as exc:  # SQLite's BEGIN IMMEDIATE is sent raw
            err = explain_write(self.url, exc)
            if err is None:
                raise
            raise err from None

    @contextmanager
    def write_or_give_up(self, wait_ms: int) -> Iterator[Connection]:
        """A write transaction that waits at most ``wait_ms`` for another writer's lock, then
        fails (``OperationalError``), for optional writes nobody should wait on."""
        with self.writer.execution_options(ripple_wait_ms=int(wait_ms)).connect() as conn:
            try:
                with conn.begin():
                    if not self.is_sqlite:
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait_ms)}ms'")
                    yield conn
            except sqlite3.OperationalError as exc:  # SQLite's BEGIN IMMEDIATE is sent raw
                raise OperationalError("BEGIN IMMEDIATE", None, exc) from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent moment of the store, across tables
        and statements (a SQLite read transaction; PostgreSQL REPEATABLE READ): what a sync
        batch and the watermark that covers it are read in."""
        conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn, conn.begin():
            yield conn

    def meta(self, key: str) -> str | None:
        with self.read() as s:
            row = s.get(StoreMeta, key)
            return row.value if row else None

    def append(self, model: type[Synced], values: dict[str, Any]) -> dict[str, Any]:
        """Insert one new synced row on the fast path (live logging): one transaction, a
        prebuilt statement, stamped exactly as the ORM hook would stamp it.

        Returns the values written (with id and version). Durable on return.
        """
        table = model.__table__  # type: ignore[attr-defined]
        limits.check_row(table.name, values)
        stmt = self._insert_cache.get(table.name)
        if stmt is None:
            stmt = self._insert_cache[table.name] = insert(table)
        now = utcnow()
        row = dict(values)
        row.setdefault("id", uuid.uuid4())
        row.setdefault("created_at", now)
        row["updated_at"] = now
        with self._short_write(), self._write_errors(), self.writer.begin() as conn:
            row["seq"] = take_seqs(conn, 1)[0]
            row["hlc"] = self.clock.tick()
            row["origin"] = self.device_id
            conn.execute(stmt, row)
        return row

    def append_many(
        self, tables: list[tuple[type[Synced], list[dict[str, Any]]]], *, keep_versions: bool = False
    ) -> float:
        """Insert new synced rows of several tables (parents first) in one transaction,
        stamped as :meth:`append` stamps one: the bulk path of a big roster. The rows are
        built and checked before the write lock is taken; inside it only the change
        sequences and versions are given and the inserts run. Durable on return; returns the
        seconds the transaction held the write lock, its commit included (:class:`LockHold`).
        ``keep_versions``: rows that come with an ``hlc``
        keep it, as :meth:`write` does for a portable file's content."""
        from db.bulk import insert_rows, prepare_rows, ready_rows

        if not prepare_rows(self, tables):
            return 0.0
        ready = ready_rows(self, tables)
        hold = LockHold()
        with self.bulk_write(hold) as conn:
            insert_rows(self, conn, tables, keep_versions=keep_versions, ready=ready)
        return hold.seconds

    @contextmanager
    def bulk_write(self, hold: LockHold | None = None) -> Iterator[Connection]:
        """A write transaction on a plain connection, for a bulk writer that reads, decides
        and inserts under one short lock (db/bulk.py); committed when the block ends.
        ``hold`` is told how long the transaction held the write lock, commit included."""
        with self._write_errors(), self.writer.connect() as conn:
            with conn.begin():  # on SQLite: BEGIN IMMEDIATE, the write lock (db/connect.py)
                started = time.perf_counter()
                yield conn
            if hold is not None:
                hold.seconds = time.perf_counter() - started

    def let_others_write(self, held_s: float) -> None:
        """Pause between the chunks of a bulk write, so a tap waiting for the lock takes it
        before the next chunk does. Every Ripple write waits in db/busy.py, which tries again
        every millisecond, so a few milliseconds are enough; the pause grows with the last
        chunk's hold only for a writer outside Ripple (SQLite's own busy handler sleeps up to
        100 ms between tries), capped so a bulk import is not mostly sleep.

        A short write of this process (a tap on the UI thread while the import runs in a
        worker) is waited for until it is done (at most ``_YIELD_S``): it shares the
        interpreter with the importer, and each time the importer ran Python meanwhile the tap
        waited for it (bench/import_scale.py measured such taps at twice those of another
        process)."""
        time.sleep(min(0.01, max(0.003, held_s / 4)))
        with self._short_writers:
            self._short_writers.wait_for(lambda: self._short_count == 0, timeout=_YIELD_S)

    def schema_state(self) -> tuple[str | None, str]:
        return migrate.schema_state(self.engine)

    def reclaim_freed_space(self, tables: tuple[str, ...] = ()) -> list[str]:
        """Make deleted or overwritten content (an erasure's) leave the store's files: SQLite
        empties its write-ahead log into the file (whose freed space ``secure_delete`` has
        zeroed); PostgreSQL vacuums ``tables`` (outside any transaction, as it must).

        Returns the tables PostgreSQL could not vacuum because this role does not own them
        (its autovacuum does it later; the admin may run VACUUM). Never raises: the data is
        already gone from every query, this only hurries the disk."""
        try:
            if self.is_sqlite:
                with self.engine.connect() as conn:
                    raw: Any = conn.connection.driver_connection
                    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return []
            if not tables:
                return []
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                owned = set(conn.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tableowner = current_user").scalars())
                mine = [t for t in tables if t in owned]
                if mine:
                    conn.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in mine))
                return [t for t in tables if t not in owned]
        except (DBAPIError, sqlite3.Error):
            return list(tables)

    def close(self) -> None:
        self.engine.dispose()


_TAKE_SEQS = (
    update(ChangeCounter)
    .where(ChangeCounter.id == 1)
    .values(value=ChangeCounter.value + bindparam("n", type_=BigInteger))
    .returning(ChangeCounter.value)
)


def take_seqs(conn: Connection, n: int) -> range:
    """Reserve ``n`` change sequence numbers inside the caller's transaction.

    Taking them updates the counter's one row, which serialises writers (and, on a shared
    store, pushers), so sequence order is commit order and a watermark never skips a row.
    The statement is built once: this runs on every tap.
    """
    if n <= 0:
        return range(0)
    top = conn.execute(_TAKE_SEQS, {"n": n}).scalar_one()
    return range(top - n + 1, top + 1)


#: The ``store_meta`` key of the latest clock a portable file taught this store.
CLOCK_LEARNED = "clock_learned"


def _clock_learned(conn: Connection) -> str | None:
    return conn.scalar(select(StoreMeta.value).where(StoreMeta.key == CLOCK_LEARNED))


@event.listens_for(Session, "before_flush")
def _stamp_rows(session: Session, _ctx: Any, _instances: Any) -> None:
    """Give every new or changed synced row a version, this device, and a change sequence.

    Sessions applying rows pulled from another store set ``info["sync_apply"]`` and keep the
    versions they were given.
    """
    store: Store | None = session.info.get("store")
    if store is None or session.info.get("sync_apply"):
        return
    touched = [o for o in session.new if isinstance(o, Synced)]
    touched += [
        o for o in session.dirty if isinstance(o, Synced) and session.is_modified(o)
    ]
    touched += [o for o in session.deleted if isinstance(o, Synced)]
    if not touched:
        return
    if any(o in session.deleted for o in touched):
        raise StoreError("Synced rows are never deleted outright; set deleted_at instead.")
    now = utcnow()
    seqs = take_seqs(session.connection(), len(touched))
    new = set(session.new)
    keep = session.info.get("keep_versions", False)
    learned: list[str] = []  # the clock files taught (Store.learn_clock), read once if needed
    for obj, seq in zip(touched, seqs, strict=True):
        if keep and obj in new and obj.hlc:
            # Content from a portable file keeps the version it came with (an old file's rows
            # are older than any edit): a new local row to push, but not a new edit.
            obj.origin, obj.seq, obj.updated_at = store.device_id, seq, now
            if obj.created_at is None:
                obj.created_at = now
            continue
        before = obj.hlc
        if before == OLDEST and not learned:
            # A row a portable file brought: the edit is made on the file's versions.
            learned.append(_clock_learned(session.connection()) or OLDEST)
        # An edit beats the version it was made on (every field's), even one that a sync in
        # another process brought in with a clock ahead of ours.
        for seen in (before, *learned, *parse_versions(obj.versions).values()):
            if seen:
                store.clock.observe(seen)
        obj.hlc = store.clock.tick()
        if obj not in new:
            # Only the fields this edit touched take its stamp (db/merge.py), so a form that
            # changed the team never overrides another laptop's newer edit of the notes.
            fields = _edited_fields(obj)
            if fields:
                columns = [a.key for a in sa_inspect(obj).mapper.column_attrs]
                prior = {"hlc": before, "versions": obj.versions}
                text = edited(prior, columns, fields, obj.hlc)
                obj.versions = json.loads(text) if text else None
        obj.origin = store.device_id
        obj.seq = seq
        obj.updated_at = now
        if obj.created_at is None:
            obj.created_at = now


def _edited_fields(obj: Synced) -> list[str]:
    state = sa_inspect(obj)
    return [
        attr.key for attr in state.mapper.column_attrs
        if attr.key not in BOOKKEEPING and state.attrs[attr.key].history.has_changes()
    ]


@event.listens_for(Session, "do_orm_execute")
def _hide_tombstones(state: ORMExecuteState) -> None:
    """Queries see live rows only, unless asked with ``include_deleted=True``."""
    if (
        state.is_select
        and not state.is_column_load
        and not state.is_relationship_load
        and not state.execution_options.get("include_deleted", False)
    ):
        state.statement = state.statement.options(
            with_loader_criteria(Synced, lambda cls: cls.deleted_at.is_(None), include_aliases=True)
        )
