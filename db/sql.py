"""SQL that SQLite and PostgreSQL spell differently, written once.

Ripple runs every query on both backends. Where they disagree (how to say "insert or
update", how to hand over a UUID or an instant without per-row conversion in Python, how
parameters are written in raw driver SQL), the difference lives here and nowhere else, so
the sync engine, the analysis cache and the analytics read the same helpers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Float,
    Numeric,
    String,
    cast,
    func,
    type_coerce,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import TableClause

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

Bind = Session | Connection | Engine
"""Anything that knows which backend it talks to."""

Row = tuple[Any, ...]


def dialect_of(bind: Bind) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    if isinstance(bind, Session):
        return bind.get_bind().dialect.name
    return bind.dialect.name


# ---------------------------------------------------------------- insert or update


#: What an INSERT can go into: a model class or a table.
Target = type[Any] | TableClause


def _insert(conn: Connection, table: Target) -> postgresql.Insert | sqlite.Insert:
    """The backend's own INSERT, the one that knows ``ON CONFLICT``. (The dialect's module is
    imported here: loading PostgreSQL's costs a tenth of a second that a SQLite laptop's
    start-up need not pay.)"""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def _as_rows(values: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [values] if isinstance(values, Mapping) else list(values)


def upsert(
    conn: Connection,
    table: Target,
    key: str,
    values: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> None:
    """Insert one row or many (all with the same columns), or where a row with the same
    ``key`` exists, overwrite the columns given.

    Columns not given keep what the existing row holds (a new row gets their defaults).
    Many rows run as one statement executed for each, so the same key twice in one call is
    fine (the later wins), which a multi-row ``VALUES`` would refuse on PostgreSQL.
    """
    rows = _as_rows(values)
    if not rows:
        return
    stmt = _insert(conn, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[key], set_={c: stmt.excluded[c] for c in rows[0] if c != key}
    )
    conn.execute(stmt, rows)


def insert_ignore(conn: Connection, table: Target, values: Mapping[str, Any]) -> None:
    """Insert one row unless its primary key (or another unique key) is already there: for
    rows whose content a key fully determines, written by whoever gets there first."""
    conn.execute(_insert(conn, table).values(**values).on_conflict_do_nothing())


# ---------------------------------------------------------------- columns, cheaply


def raw_id(bind: Bind, col: Any) -> ColumnElement[Any]:
    """A UUID column as the driver's text, without per-row conversion in Python (SQLite:
    32 hex digits as stored; PostgreSQL: the canonical dashed form)."""
    if dialect_of(bind) == "sqlite":
        return type_coerce(col, String)
    return cast(col, String)


def epoch_seconds(bind: Bind, col: Any) -> ColumnElement[Any]:
    """An instant as seconds since the epoch, rounded to milliseconds, computed by the
    database (SQLite stores naive UTC text; PostgreSQL a ``timestamptz``)."""
    if dialect_of(bind) == "sqlite":
        return type_coerce(func.round((func.julianday(col) - 2440587.5) * 86400.0, 3), Float)
    return cast(func.round(cast(func.extract("epoch", col), Numeric), 3), Float)


def raw_instant(bind: Bind, col: Any) -> ColumnElement[Any]:
    """An instant as cheaply as the backend can hand it over: SQLite's stored naive UTC text
    (the caller parses a whole column at once), PostgreSQL's whole milliseconds since the
    epoch (sub-millisecond parts dropped)."""
    if dialect_of(bind) == "sqlite":
        return type_coerce(col, String)
    return cast(func.floor(func.extract("epoch", col) * 1000), BigInteger)


# ---------------------------------------------------------------- raw driver SQL

_PARAM = re.compile(r"%\((\w+)\)s")


def _positional(sql: str, params: Mapping[str, Any]) -> tuple[str, Row]:
    names = _PARAM.findall(sql)
    return _PARAM.sub("?", sql), tuple(params[n] for n in names)


def run_sql(
    conn: Connection,
    sql: str,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
) -> CursorResult[Any]:
    """Run ``sql`` with ``%(name)s`` parameters straight on the driver (no type processing
    either way); SQLite gets them positionally. A list of mappings runs the statement once
    for each (the driver's ``executemany``)."""
    if conn.dialect.name != "sqlite":
        if params is None or isinstance(params, Mapping):
            return conn.exec_driver_sql(sql, dict(params or {}))
        return conn.exec_driver_sql(sql, [dict(p) for p in params])
    if params is None or isinstance(params, Mapping):
        text, args = _positional(sql, params or {})
        return conn.exec_driver_sql(text, args)
    text = _PARAM.sub("?", sql)
    return conn.exec_driver_sql(text, [_positional(sql, p)[1] for p in params])


def fetch_rows(conn: Connection, sql: str, params: Mapping[str, Any]) -> list[Row]:
    """:func:`run_sql`'s rows as plain tuples, as fast as the driver hands them over.

    Both use the driver's own cursor: SQLAlchemy's result wrapping costs ~5 µs a row, more
    than the read itself (a driver error is raised as SQLAlchemy's, as ``run_sql`` would).
    """
    raw = conn.connection.dbapi_connection
    assert raw is not None
    if conn.dialect.name == "sqlite":
        cur = raw.cursor()
        try:
            text, args = _positional(sql, params)
            return cur.execute(text, args).fetchall()
        finally:
            cur.close()
    try:
        with raw.cursor() as pg:  # type: ignore[attr-defined]
            pg.execute(sql, dict(params))
            return pg.fetchall()
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, None, exc, conn.dialect.loaded_dbapi.Error) from None
