"""Applying rows from another store: new rows inserted, known rows merged field by field.

Why not one ``INSERT … ON CONFLICT DO UPDATE WHERE newer``: that is last-writer-wins per
*row*, and it lost edits (B's team change vanished when A later edited the consent). Rows
whose id the target already holds are read back, merged with :func:`db.merge.merge`, and
written only when the merge changed something, so applying the same rows twice writes
nothing and moves no change sequence.

Rows travel in the neutral form of :mod:`db.sync.rows` both ways. On PostgreSQL the incoming
rows are staged with ``COPY`` and the known ones found with one join; on SQLite they are
looked up by id in chunks (a local, in-process lookup).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from db import consent
from db.hlc import parse_stamp
from db.merge import (
    BOOKKEEPING,
    CLAIMS,
    DERIVED,
    ONE_WAY,
    canonical,
    effective,
    field_version,
    merge,
    parse_versions,
)
from db.sync.rows import (
    BY_NAME,
    SPECS,
    Batch,
    Row,
    TableSpec,
    scrub_erased,
    scrubs,
    select_list,
    with_seq,
)

_ID_CHUNK = 500


def apply_batch(
    conn: Connection,
    batch: Batch,
    seqs: range | None,
    *,
    own_device: str,
    stamp: Callable[..., str],
    fresh_seqs: Callable[[int], int] | None = None,
    take_newer: bool = False,
) -> Applied:
    """Apply a batch in the caller's transaction: table by table, parents first, merged
    field by field; then the consent its people's events decide, and the erasure scrub if
    it touched anything an erasure scrubs.

    ``seqs`` holds one change sequence per row of the batch (a push: the shared store's own,
    fresh ones); ``None`` stores adopted rows at seq 0 (a pull: they came from the shared
    store), and ``fresh_seqs`` numbers the new versions a laptop makes while merging.
    ``take_newer``: see :func:`apply_merged` (a push, where nobody reads what was superseded)."""
    out = Applied()
    nxt = seqs.start if seqs is not None else 0
    updatable = _updatable(conn, [spec.name for spec in SPECS if batch.rows.get(spec.name)]) if take_newer else set()
    for spec in SPECS:
        rows = batch.rows.get(spec.name)
        if not rows:
            continue
        given = range(nxt, nxt + len(rows)) if seqs is not None else [0] * len(rows)
        applied = apply_merged(conn, spec, with_seq(spec, rows, given), own_device=own_device,
                               stamp=stamp, fresh_seqs=fresh_seqs, take_newer=spec.name in updatable)
        out.counts[spec.name] += applied.changed
        out.superseded += applied.superseded
        nxt += len(rows)
    consent.recompute(conn, _consent_touched(batch))
    if scrubs(batch) and _anyone_erased(conn):
        scrub_erased(conn)
    out.counts = +out.counts
    return out


def _anyone_erased(conn: Connection) -> bool:
    """Whether this store knows of an erasure (after the batch's rows landed): every part of
    the scrub concerns erased people, so without one there is nothing to scrub and its
    dozen statements are not run for each batch."""
    return conn.exec_driver_sql("SELECT 1 FROM participants WHERE erased_at IS NOT NULL LIMIT 1").first() is not None


def _consent_touched(batch: Batch) -> set[uuid.UUID]:
    """The people whose consent a batch may change: their row or one of their events came."""
    touched: set[uuid.UUID] = set()
    for name, column in (("participants", "id"), ("consent_events", "participant_id")):
        at = BY_NAME[name].columns.index(column)
        for r in batch.rows.get(name, ()):
            if r[at] is not None:
                touched.add(r[at] if isinstance(r[at], uuid.UUID) else uuid.UUID(str(r[at])))
    return touched


@dataclass(frozen=True)
class Superseded:
    """A field this store had edited itself that a newer edit from elsewhere replaced."""

    table: str
    id: Any
    field: str
    by_device: str


@dataclass
class Applied:
    """What applying rows did: rows inserted or changed (per table for a batch), and this
    store's own edits that newer ones from elsewhere replaced."""

    changed: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    superseded: list[Superseded] = field(default_factory=list)


def apply_merged(
    conn: Connection,
    spec: TableSpec,
    rows: Sequence[Row],
    *,
    own_device: str,
    stamp: Callable[..., str],
    fresh_seqs: Callable[[int], int] | None = None,
    take_newer: bool = False,
) -> Applied:
    """Insert the new rows and merge the known ones.

    ``rows`` carry the change sequence the target should give them when they change it (the
    next seqs on a shared store; 0 on a laptop pulling). A merged row that holds something
    the incoming one lacks is a new version written here: stamped with ``stamp()`` and
    ``own_device`` (so the store it came from fetches it back and adopts it), and, on a
    laptop (``fresh_seqs(n)`` gives the first of ``n`` new local change sequences), given a
    new change sequence so that the next push sends it.

    ``take_newer`` (PostgreSQL): a known row whose every field the incoming one edited later
    is what the merge would make of it, the incoming row; such rows are written in one
    statement on the server, not read back and merged here (see :func:`_take_newer`)."""
    out = Applied()
    if not rows:
        return out
    taken: set[Any] = set()
    if conn.dialect.name == "postgresql":
        _copy(conn, spec, rows, truncate=True)
        # The new rows first, in one statement: on a push most rows are new, and when all
        # are, the two joins of the stage below (a tenth of such a push) are not needed.
        inserted = _insert_staged(conn, spec)
        existing = {}
        if len(inserted) < len(rows):
            if take_newer and spec.name not in _MERGED_SPECIALLY:
                taken = _take_newer(conn, spec)
            existing = {k: v for k, v in _read_known_staged(conn, spec).items() if k not in inserted}
        fresh = [r for r in rows if r[spec.id_at] in inserted]
    else:
        existing = _read_known_sqlite(conn, spec, [r[spec.id_at] for r in rows])
        fresh = [r for r in rows if r[spec.id_at] not in existing]
        _insert(conn, spec, fresh)
    merged: list[dict[str, Any]] = []
    needs_seq: list[dict[str, Any]] = []
    for row in rows:
        local = existing.get(row[spec.id_at])
        if local is None:
            continue
        result = _merge_one(spec, local, row, own_device=own_device, stamp=stamp, out=out,
                            relays=fresh_seqs is not None)
        if result is None:
            continue
        m, new_version = result
        merged.append(m)
        if new_version and fresh_seqs is not None:
            needs_seq.append(m)
    if needs_seq and fresh_seqs is not None:
        first = fresh_seqs(len(needs_seq))
        for i, m in enumerate(needs_seq):
            m["seq"] = first + i
    _update(conn, spec, [tuple(m[c] for c in spec.columns) for m in merged])
    out.changed = len(fresh) + len(merged) + len(taken)
    return out


def _merge_one(
    spec: TableSpec, local: Row, incoming: Row, *, own_device: str, stamp: Callable[..., str], out: Applied,
    relays: bool = False,
) -> tuple[dict[str, Any], bool] | None:
    """The merged row and whether it is a new version, or None when nothing changes here.
    ``relays``: this store sends its new versions on (a laptop: they get a fresh seq)."""
    cols = spec.columns
    lrow, irow = dict(zip(cols, local, strict=True)), dict(zip(cols, incoming, strict=True))
    m = merge(spec.name, lrow, irow)
    m["seq"] = irow["seq"]
    derived = tuple(DERIVED.get(spec.name, ()))  # recomputed from events after the batch
    if _same(m, irow, cols, ("seq", "origin", "updated_at", *derived)):
        new_version = False  # the incoming version, adopted as it is
        m["origin"], m["updated_at"] = irow["origin"], irow["updated_at"]
    elif _same_content(spec, lrow, irow):
        # The same fields at the same field stamps under two row stamps (a merge's version
        # made on two stores): the later stamp, as merge() took it with its origin, is the
        # version on every store. No new stamp: a new one here would be a third version that
        # must travel again (issue #10). A laptop sends the later one on; the shared store
        # keeps it and the pusher pulls it back.
        if not relays:
            return None
        m["seq"] = lrow["seq"]
        return m, True
    else:
        # A merge that is not exactly the incoming row (a field, the earlier creation time)
        # is a new version written by this store: its stamp and origin, so the store the row
        # came from fetches it back. The stamp is later than both sides' (this store's clock
        # may not have seen a row another process wrote here), so the new version dominates
        # both, the next merge with either adopts it as it is and every store ends with the
        # same bytes.
        # Its field stamps stay what the merge made them (written out for the new stamp:
        # no versions would mean every field edited at it, beating later edits elsewhere).
        new_version = True
        fields = effective(m, _data_columns(spec))
        m["hlc"], m["origin"] = stamp(str(lrow["hlc"] or ""), str(irow["hlc"] or ""), *fields.values()), own_device
        m["versions"] = canonical(fields, m["hlc"])
    if _same(m, lrow, cols, ("seq", *derived)):
        return None  # nothing new for this store: no write, no new change sequence
    _note_superseded(spec, lrow, irow, m, own_device, out)
    return m, new_version


def _same_content(spec: TableSpec, a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal fields, creation time and field stamps (compared stamp by stamp: a row whose
    fields are all at its own stamp writes no versions), whatever the row stamps."""
    data = _data_columns(spec)
    if any(a[c] != b[c] for c in data) or a.get("created_at") != b.get("created_at"):
        return False
    return effective(a, data) == effective(b, data)


@lru_cache(maxsize=64)
def _data_columns(spec: TableSpec) -> tuple[str, ...]:
    """The columns a merge takes field by field (what field stamps are kept for)."""
    derived = DERIVED.get(spec.name, frozenset())
    return tuple(c for c in spec.columns if c not in BOOKKEEPING and c not in derived)


def _same(a: dict[str, Any], b: dict[str, Any], cols: Sequence[str], ignore: tuple[str, ...]) -> bool:
    """Equal rows; versions compared as stamps (JSON spacing differs between writers)."""
    for c in cols:
        if c in ignore:
            continue
        if c == "versions":
            if parse_versions(a[c]) != parse_versions(b[c]):
                return False
        elif a[c] != b[c]:
            return False
    return True


def _note_superseded(
    spec: TableSpec, lrow: dict[str, Any], irow: dict[str, Any], m: dict[str, Any], own_device: str, out: Applied
) -> None:
    lv, iv = parse_versions(lrow.get("versions")), parse_versions(irow.get("versions"))
    skip = BOOKKEEPING | DERIVED.get(spec.name, frozenset())
    for col in spec.columns:
        if col in skip or m[col] == lrow[col]:
            continue
        mine, theirs = field_version(lrow, lv, col), field_version(irow, iv, col)
        if _node(mine) == own_device and _node(theirs) != own_device:
            out.superseded.append(Superseded(spec.name, lrow["id"], col, _node(theirs)))


def _node(stamp: str) -> str:
    try:
        return parse_stamp(stamp)[2]
    except ValueError:
        return ""


# ---------------------------------------------------------------- SQLite


def _read_known_sqlite(conn: Connection, spec: TableSpec, ids: Sequence[Any]) -> dict[Any, Row]:
    raw = conn.connection.dbapi_connection
    assert raw is not None
    known: dict[Any, Row] = {}
    ordered = sorted(set(ids))
    cur = raw.cursor()
    try:
        for i in range(0, len(ordered), _ID_CHUNK):
            chunk = ordered[i : i + _ID_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            for r in cur.execute(f"SELECT {spec.column_list} FROM {spec.name} WHERE id IN ({marks})", chunk):
                known[r[spec.id_at]] = tuple(r)
    finally:
        cur.close()
    return known


def _insert_staged(conn: Connection, spec: TableSpec) -> set[Any]:
    """Insert the staged rows the target does not hold; their ids, in the neutral form."""
    stage = _stage_name(spec)
    # ON CONFLICT: each staged row is one probe of the primary key (as "NOT EXISTS", the
    # planner, without statistics on the temporary stage, could hash the whole table for
    # every batch).
    sql = (f"INSERT INTO {spec.name} ({spec.column_list}) SELECT {spec.column_list} FROM {stage} s "
           "ON CONFLICT (id) DO NOTHING RETURNING replace(id::text, '-', '')")
    return {r[0] for r in _driver(conn, sql, fetch=True)}


def _insert(conn: Connection, spec: TableSpec, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (SQLite; on PostgreSQL the stage is inserted: :func:`_insert_staged`)."""
    if not rows:
        return
    marks = ", ".join("?" for _ in spec.columns)
    conn.exec_driver_sql(f"INSERT INTO {spec.name} ({spec.column_list}) VALUES ({marks})", list(rows))


def _update(conn: Connection, spec: TableSpec, rows: Sequence[Row]) -> None:
    if not rows:
        return
    cols = [c for c in spec.columns if c != "id"]
    if conn.dialect.name == "postgresql":
        stage = _stage_name(spec)
        _copy(conn, spec, rows, truncate=True)
        sets = ", ".join(f'"{c}" = s."{c}"' for c in cols)
        _driver(conn, f"UPDATE {spec.name} t SET {sets} FROM {stage} s WHERE t.id = s.id")
        return
    sets = ", ".join(f'"{c}" = ?' for c in cols)
    at = [spec.columns.index(c) for c in cols]
    conn.exec_driver_sql(
        f"UPDATE {spec.name} SET {sets} WHERE id = ?",
        [(*(r[i] for i in at), r[spec.id_at]) for r in rows],
    )


# ---------------------------------------------------------------- PostgreSQL


def _stage_name(spec: TableSpec) -> str:
    return f"ripple_stage_{spec.name}"


def _read_known_staged(conn: Connection, spec: TableSpec) -> dict[Any, Row]:
    """The target's versions (in the neutral form) of the staged rows it already holds."""
    stage = _stage_name(spec)
    known: dict[Any, Row] = {}
    sql = f"SELECT {select_list(spec, 'postgresql', 't')} FROM {spec.name} t JOIN {stage} s ON s.id = t.id"
    for r in _driver(conn, sql, fetch=True):
        known[r[spec.id_at]] = tuple(r)
    return known


#: Tables with fields a merge does not take from the newer side (claims, one-way fields,
#: fields derived from events): always merged here, field by field.
_MERGED_SPECIALLY = frozenset(DERIVED) | frozenset(ONE_WAY) | frozenset(CLAIMS)


def _stamps(alias: str, agg: str) -> str:
    """SQL for the oldest (``min``) or newest (``max``) field stamp of a row: its versions'
    entries and its hlc, compared byte by byte as Python compares them (``COLLATE "C"``)."""
    pick = "LEAST" if agg == "min" else "GREATEST"
    entries = (f"CASE WHEN json_typeof({alias}.versions) = 'object' THEN (SELECT {agg}(e.value COLLATE \"C\") "
               f"FROM json_each_text({alias}.versions) e) END")
    return f"{pick}({alias}.hlc COLLATE \"C\", COALESCE({entries}, {alias}.hlc COLLATE \"C\"))"


def _updatable(conn: Connection, tables: list[str]) -> set[str]:
    """Which of ``tables`` this role may UPDATE, asked once per batch: PostgreSQL refuses an
    UPDATE statement on a table without the privilege even when no row matches, and
    docs/shared-store.md makes some tables append-only for trainers (the export audit trail).
    Those rows are only ever new on a push, so the field-by-field path (which updates nothing
    for them) is the right one. (The table names are Ripple's own, never a file's.)"""
    if conn.dialect.name != "postgresql" or not tables:
        return set()
    names = ", ".join(f"('{t}')" for t in tables)
    rows = _driver(conn, f"SELECT t FROM (VALUES {names}) AS v(t) WHERE has_table_privilege(t, 'UPDATE')", fetch=True)
    return {r[0] for r in rows}


def _take_newer(conn: Connection, spec: TableSpec) -> set[Any]:
    """Write the staged rows that are a newer version and no older in any field than the
    target's (the oldest stamp of the incoming row not before the newest of the stored one;
    one stamp is one edit, so a field at the same stamp holds the same value, but for what
    the erasure scrub, run after the batch, empties again), and created no later, as they
    come, in one statement; take them off the stage and return their ids.

    For such a row :func:`db.merge.merge` takes every field, the stamps and the origin from
    the incoming side, so the merge is the incoming row: the shared store's usual case on a
    push (a laptop's edits of rows it had pulled). Only rows whose versions are in the form
    every Ripple writes (none, or with a base stamp ``"_"``) are taken this way."""
    stage = _stage_name(spec)
    cols = [c for c in spec.columns if c != "id"]
    sets = ", ".join(f'"{c}" = s."{c}"' for c in cols)
    canonical = "(s.versions IS NULL OR json_typeof(s.versions) = 'null' OR s.versions::jsonb ? '_')"
    sql = (
        f"WITH done AS (UPDATE {spec.name} t SET {sets} FROM {stage} s "
        f"WHERE t.id = s.id AND t.created_at >= s.created_at AND {canonical} "
        f"AND s.hlc COLLATE \"C\" > t.hlc COLLATE \"C\" AND {_stamps('s', 'min')} >= {_stamps('t', 'max')} "
        "RETURNING t.id) "
        f"DELETE FROM {stage} s USING done WHERE s.id = done.id RETURNING replace(s.id::text, '-', '')"
    )
    return {r[0] for r in _driver(conn, sql, fetch=True)}


def _copy(conn: Connection, spec: TableSpec, rows: Sequence[Row], *, truncate: bool) -> None:
    stage = _stage_name(spec)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    try:
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {spec.name} INCLUDING DEFAULTS) "
                "ON COMMIT DELETE ROWS"
            )
            if truncate:
                cur.execute(f"TRUNCATE {stage}")
            dumped = _has_dumpable(spec, rows)
            with cur.copy(f"COPY {stage} ({spec.column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_copyable(spec, row) if dumped else row)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(f"COPY {stage}", None, exc, conn.dialect.loaded_dbapi.Error) from None


def _copyable(spec: TableSpec, row: Row) -> Row:
    """JSON values read back from a merge are already text; dicts (never expected) are dumped."""
    at = _json_at(spec)
    if not any(isinstance(row[i], dict | list) for i in at):
        return row
    return tuple(json.dumps(v) if i in at and isinstance(v, dict | list) else v for i, v in enumerate(row))


def _has_dumpable(spec: TableSpec, rows: Sequence[Row]) -> bool:
    """Whether any JSON value of ``rows`` is a dict or a list (looked at a column at a time:
    asking :func:`_copyable` row by row cost more than the copy itself)."""
    return any(bool({type(r[i]) for r in rows} & {dict, list}) for i in _json_at(spec))


@lru_cache(maxsize=64)
def _json_at(spec: TableSpec) -> tuple[int, ...]:
    return tuple(i for i, kind in enumerate(spec.kinds) if kind == "json")


def _driver(conn: Connection, sql: str, *, fetch: bool = False) -> list[Row]:
    raw = conn.connection.dbapi_connection
    assert raw is not None
    try:
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(sql)
            return [tuple(r) for r in cur.fetchall()] if fetch else []
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, None, exc, conn.dialect.loaded_dbapi.Error) from None
