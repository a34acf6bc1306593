"""Inserting many new synced rows in a short write transaction, in two halves.

Everything that needs no lock (checking the limits, ids, times, this device; and on SQLite
each row's values as the driver takes them) is done first by :func:`prepare_rows` (the whole
import, so a bad row stops it before any write) and :func:`ready_rows` (one chunk); inside the
transaction :func:`insert_rows` only gives the change sequences and versions and runs the
inserts, so a bulk writer (a roster, a portable file) holds SQLite's one write lock for as
little as it can and a live tap is never kept waiting. :meth:`db.store.Store.append_many` is
both halves around one transaction; a writer that must re-read something under the lock
first opens :meth:`db.store.Store.bulk_write` itself.

Why the driver's values are made before the lock (SQLite): a profile of a roster chunk
(bench/import_scale.py, 500 people) spent about three quarters of its lock time in
SQLAlchemy turning each row into parameters (instants to UTC text, ids to hex, JSON, the
statement's parameter set per row) and a quarter in SQLite's inserts with their indexes. That
conversion depends on nothing the lock protects, so :class:`Ready` does it beforehand and
the lock is held for the driver's ``executemany`` alone. PostgreSQL keeps SQLAlchemy's
statements (its batched ``INSERT … VALUES`` is what it does best, and it has no store-wide
write lock: only the change counter's row serialises writers).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Dialect, Table, insert

from db import limits
from db.models import Synced
from db.types import utcnow

if TYPE_CHECKING:
    from db.store import Store

Tables = list[tuple[type[Synced], list[dict[str, Any]]]]


@dataclass(frozen=True)
class _Insert:
    """One table's insert as SQLite's driver takes it: every column, in the statement's order,
    each with its bind processor and its default (what SQLAlchemy would give a missing key)."""

    sql: str
    names: tuple[str, ...]
    procs: tuple[Callable[[Any], Any] | None, ...]
    defaults: tuple[Callable[[], Any] | None, ...]  # None: no default, a missing key is NULL
    seq_at: int
    hlc_at: int


_INSERTS: dict[str, _Insert | None] = {}


def _insert_for(table: Table, dialect: Dialect) -> _Insert | None:
    """The driver-level insert of ``table`` (cached), or None where SQLAlchemy's is kept (not
    SQLite, or a column default that is not a plain value or function)."""
    if dialect.name != "sqlite":
        return None
    if table.name in _INSERTS:
        return _INSERTS[table.name]
    names = tuple(c.key for c in table.columns)
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    found: _Insert | None = None
    if compiled.positional and tuple(compiled.positiontup or ()) == names:
        defaults: list[Callable[[], Any] | None] = []
        for col in table.columns:
            d = col.default
            if d is None:
                defaults.append(None)
            elif d.is_scalar:
                defaults.append(lambda v=d.arg: v)  # type: ignore[attr-defined,misc]
            elif d.is_callable:
                defaults.append(lambda f=d.arg: f(None))  # type: ignore[attr-defined,misc]
            else:
                break
        else:
            found = _Insert(
                sql=compiled.string, names=names,
                procs=tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns),
                defaults=tuple(defaults), seq_at=names.index("seq"), hlc_at=names.index("hlc"))
            if found.procs[found.seq_at] is not None or found.procs[found.hlc_at] is not None:
                found = None  # given under the lock as they are
    _INSERTS[table.name] = found
    return found


def _params(ins: _Insert, row: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for name, proc, default in zip(ins.names, ins.procs, ins.defaults, strict=True):
        if name in row:
            value = row[name]
        elif default is None:
            out.append(None)
            continue
        else:
            value = default()
        out.append(value if proc is None else proc(value))
    return out


def prepare_rows(store: Store, tables: Tables) -> int:
    """Check new rows against the limits and give them what needs no lock (id, times, this
    device); returns how many there are."""
    now = utcnow()
    total = 0
    for model, rows in tables:
        name = model.__tablename__  # type: ignore[attr-defined]
        for i, row in enumerate(rows):
            limits.check_row(name, row)
            row.setdefault("id", uuid.uuid4())
            # A microsecond apart, in their order, as the ORM's one by one: what is ordered
            # by when it was made (the newest rating of a criterion counts) keeps the order.
            row.setdefault("created_at", now + timedelta(microseconds=total + i))
            row["updated_at"] = now
            row["origin"] = store.device_id
        total += len(rows)
    return total


class Ready:
    """The driver's values of rows made ready by :func:`prepare_rows`, made just before a
    chunk takes the write lock (:func:`ready_rows`) and found again by the row under it.

    A row changed in between (a chunk's check under the lock may point a row elsewhere, as a
    check-in whose commitment was left out) or decided under the lock is converted there
    instead: each row's values are kept with a copy of the row they were made from."""

    def __init__(self) -> None:
        # id(row) -> (the row, kept alive so its id is not reused; a copy; its driver values)
        self._rows: dict[int, tuple[dict[str, Any], dict[str, Any], list[Any]]] = {}

    def add(self, dialect: Dialect, tables: Tables) -> None:
        for model, rows in tables:
            ins = _insert_for(model.__table__, dialect)  # type: ignore[attr-defined]
            if ins is not None:
                for row in rows:
                    self._rows[id(row)] = (row, dict(row), _params(ins, row))

    def params(self, ins: _Insert, row: dict[str, Any]) -> list[Any]:
        """The row's driver values (made now if the row was not made ready as it is)."""
        got = self._rows.pop(id(row), None)
        if got is not None and got[0] is row and got[1] == row:
            return got[2]
        return _params(ins, row)


def ready_rows(store: Store, tables: Tables) -> Ready:
    """The driver's values of rows that :func:`prepare_rows` made ready, for
    :func:`insert_rows` (before the write lock: on SQLite, the bulk of a chunk's work)."""
    ready = Ready()
    ready.add(store.engine.dialect, tables)
    return ready


def insert_rows(
    store: Store, conn: Connection, tables: Tables, *, keep_versions: bool = False, ready: Ready | None = None,
) -> None:
    """Insert rows made ready by :func:`prepare_rows` (parents first) in the caller's write
    transaction. ``keep_versions``: rows that come with an ``hlc`` keep it (a portable file's
    content is not a new edit). ``ready``: what :func:`prepare_rows` made of them before the
    lock (without it, the driver's values are made here, under the lock)."""
    from db.store import take_seqs

    seqs = iter(take_seqs(conn, sum(len(rows) for _model, rows in tables)))
    ready = ready if ready is not None else Ready()
    for model, rows in tables:
        if not rows:
            continue
        table = model.__table__  # type: ignore[attr-defined]
        ins = _insert_for(table, conn.dialect)
        if ins is None:
            _insert_sqlalchemy(store, conn, table, rows, seqs, keep_versions)
            continue
        params: list[tuple[Any, ...]] = []
        seq_at, hlc_at, tick = ins.seq_at, ins.hlc_at, store.clock.tick
        for row in rows:
            p = ready.params(ins, row)
            p[seq_at] = row["seq"] = next(seqs)
            if not (keep_versions and row.get("hlc")):
                p[hlc_at] = row["hlc"] = tick()
            params.append(tuple(p))
        conn.exec_driver_sql(ins.sql, params)


def _insert_sqlalchemy(
    store: Store, conn: Connection, table: Table, rows: list[dict[str, Any]], seqs: Any, keep_versions: bool,
) -> None:
    for row in rows:
        row["seq"] = next(seqs)
        if not (keep_versions and row.get("hlc")):
            row["hlc"] = store.clock.tick()
    stmt = insert(table)
    # One statement per run of rows with the same columns (a row may leave some to
    # their defaults), in their order: parents stay before children.
    start = 0
    for end in range(1, len(rows) + 1):
        if end == len(rows) or rows[end].keys() != rows[start].keys():
            conn.execute(stmt, rows[start:end])
            start = end
