"""Unique places for a workshop's agenda items and an item's groups after every merge.

Why not a unique index on ``(workshop_id, position)``: two laptops adding or moving items
offline legitimately end with two items at one place once their edits merge, and a unique
index would then refuse the batch that brings them together, on every sync, for ever (and
SQLite checks such an index row by row, so even a local move that renumbers would trip
it mid-statement). Instead every store reads agenda items and groups in one order,
``(position, created_at, id)`` (:func:`db.models.agenda_order`), which all stores compute
alike, and the shared store, once a push has landed, renumbers the live items (or groups)
of every agenda the push touched to 0, 1, 2, … in that order. A renumbered row is a new
version of the shared store (its stamp, its origin, a fresh change sequence), like any
merge that is not exactly the incoming row, so every laptop pulls it and every store ends
with the same unique places. Laptops do not renumber what they pull: the shared store is
the one place every laptop's edits meet, so one renumbering there is enough, and
renumbering on a laptop would only add versions that race it.

A push that dies after its rows landed and before the renumbering (a killed process, a
dropped connection) has nothing left to push next time, so the renumbering would never run:
every push therefore also renumbers the agendas it finds untidy (:func:`untidy`), whoever
left them so. The renumbering is not put in the push's last batch transaction: the rows of
earlier batches have committed by then, and a push resumed after a kill would not know
which agendas they touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection

from db.merge import edited, parse_versions
from db.sql import fetch_rows, run_sql
from db.sync.rows import BY_NAME, Batch, Row, select_list
from db.types import utcnow

#: Each ordered table, and the column naming the parent whose children it orders.
ORDERED: tuple[tuple[str, str], ...] = (("agenda_items", "workshop_id"), ("agenda_groups", "agenda_item_id"))
_CHUNK = 500


def touched(batch: Batch) -> dict[str, set[Any]]:
    """The parents (neutral ids) whose ordered children a batch brought: table -> ids."""
    out: dict[str, set[Any]] = {}
    for table, parent in ORDERED:
        rows = batch.rows.get(table)
        if rows:
            at = BY_NAME[table].columns.index(parent)
            out.setdefault(table, set()).update(r[at] for r in rows if r[at] is not None)
    return out


def untidy(conn: Connection) -> dict[str, set[Any]]:
    """The parents (neutral ids, as :func:`touched`) whose live ordered children are not at
    0, 1, 2, …: after every renumbering none, so these are what a push left behind when it
    died between its rows landing and their renumbering (a killed process, a dropped
    connection), or what a push still under way will renumber itself. One grouped scan of
    each ordered table: agendas are a few dozen rows a workshop."""
    out: dict[str, set[Any]] = {}
    dialect = conn.dialect.name
    for table, parent in ORDERED:
        column = f"replace({parent}::text, '-', '')" if dialect == "postgresql" else parent
        # A role that may not UPDATE the table (docs/shared-store.md: the L&D role only
        # reads) leaves the repair to the next trainer's sync.
        allowed = f"has_table_privilege('{table}', 'UPDATE') AND " if dialect == "postgresql" else ""
        sql = (f"SELECT {column} FROM {table} WHERE {allowed}deleted_at IS NULL GROUP BY {parent} "
               "HAVING count(*) <> count(DISTINCT position) OR min(position) <> 0 OR max(position) <> count(*) - 1")
        ids = {r[0] for r in fetch_rows(conn, sql, {})}
        if ids:
            out[table] = ids
    return out


def renumber(
    conn: Connection,
    parents: dict[str, set[Any]],
    *,
    own_device: str,
    stamp: Callable[..., str],
    fresh_seqs: Callable[[int], int],
) -> int:
    """Renumber the agendas (and groups) under ``parents`` (see :func:`touched`) in the
    caller's transaction; returns how many rows got a new place.

    Run once a whole push has landed, not per batch: a batch is a slice of a laptop's
    edits, and renumbering half a move would give the other half's rows newer stamps than
    the move itself."""
    changed = 0
    for table, parent in ORDERED:
        ids = parents.get(table)
        if ids:
            changed += renumber_under(conn, table, parent, sorted(ids), own_device=own_device, stamp=stamp,
                                      fresh_seqs=fresh_seqs)
    return changed


def renumber_under(
    conn: Connection,
    table: str,
    parent: str,
    parent_ids: Iterable[Any],
    *,
    own_device: str,
    stamp: Callable[..., str],
    fresh_seqs: Callable[[int], int],
) -> int:
    """Give the live rows of ``table`` under each of ``parent_ids`` (neutral ids) the places
    0, 1, 2, … in the one order; only rows whose place changes are written."""
    spec = BY_NAME[table]
    dialect = conn.dialect.name
    ids = list(parent_ids)
    at = {c: spec.columns.index(c) for c in ("id", "position", "created_at", parent)}
    moves: list[tuple[Row, int]] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        cast = "::uuid" if dialect == "postgresql" else ""
        marks = ", ".join(f"%(p{k})s{cast}" for k in range(len(chunk)))
        sql = f"SELECT {select_list(spec, dialect)} FROM {table} WHERE deleted_at IS NULL AND {parent} IN ({marks})"
        siblings: dict[Any, list[Row]] = {}
        for row in fetch_rows(conn, sql, {f"p{k}": v for k, v in enumerate(chunk)}):
            siblings.setdefault(row[at[parent]], []).append(row)
        for rows in siblings.values():
            rows.sort(key=lambda r: (r[at["position"]], r[at["created_at"]], r[at["id"]]))
            moves += [(r, place) for place, r in enumerate(rows) if r[at["position"]] != place]
    if not moves:
        return 0
    first = fresh_seqs(len(moves))
    now = utcnow()
    updates = []
    for k, (row, place) in enumerate(moves):
        before = dict(zip(spec.columns, row, strict=True))
        # Later than the row's own stamps (db/hlc.py HybridLogicalClock.tick), or the new
        # place would lose to the tied one it replaces on every laptop.
        version = stamp(str(before["hlc"] or ""), *parse_versions(before["versions"]).values())
        updates.append({"id": row[at["id"]], "position": place, "hlc": version, "origin": own_device,
                        "seq": first + k, "versions": edited(before, spec.columns, ["position"], version),
                        "updated_at": now if dialect == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S.%f")})
    key = "id = %(id)s::uuid" if dialect == "postgresql" else "id = %(id)s"
    run_sql(conn, f"UPDATE {table} SET position = %(position)s, hlc = %(hlc)s, origin = %(origin)s, "
                  f"seq = %(seq)s, versions = %(versions)s, updated_at = %(updated_at)s WHERE {key}", updates)
    return len(moves)
