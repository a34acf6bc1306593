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
dropped connection) has nothing left to push next time, so the renumbering would not run.
The laptop therefore remembers how far its pushes were renumbered (:func:`renumbered_upto`,
in its own store): the next push finds, from this laptop's own rows between that point and
the shared store's push mark, which agendas the dead push touched, and renumbers them with
its own (:func:`pending`). Only the pushing laptop repairs its own pushes: renumbering any
untidy agenda found on the shared store would also catch another laptop's push still under
way (a move spread over two batches) and stamp its places later than that trainer's move,
so the move's second half would lose. The renumbering is not put in the push's last batch
transaction: the rows of earlier batches have committed by then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection

from db.merge import edited, parse_versions
from db.models import StoreMeta
from db.sql import fetch_rows, run_sql, upsert
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


def _meta_key(remote_device: str) -> str:
    return f"renumbered_upto:{remote_device}"


def renumbered_upto(conn: Connection, remote_device: str) -> int:
    """This laptop's push mark on ``remote_device`` up to which its pushes were renumbered
    there (0 when never recorded: the first push after an upgrade looks at every own row)."""
    rows = fetch_rows(conn, "SELECT value FROM store_meta WHERE key = %(k)s", {"k": _meta_key(remote_device)})
    return int(rows[0][0]) if rows else 0


def note_renumbered(conn: Connection, remote_device: str, mark: int) -> None:
    """Record (in the laptop's store) that its pushes up to ``mark`` are renumbered."""
    upsert(conn, StoreMeta, "key", {"key": _meta_key(remote_device), "value": str(mark)})


def pending(conn: Connection, after: int, upto: int) -> dict[str, set[Any]]:
    """The parents (neutral ids, as :func:`touched`) of this laptop's own ordered rows whose
    change sequence is in (``after``, ``upto``]: what landed on the shared store in pushes
    not renumbered yet (one that died before its renumbering)."""
    out: dict[str, set[Any]] = {}
    if upto <= after:
        return out
    for table, parent in ORDERED:
        column = f"replace({parent}::text, '-', '')" if conn.dialect.name == "postgresql" else parent
        sql = f"SELECT DISTINCT {column} FROM {table} WHERE seq > %(after)s AND seq <= %(upto)s AND {parent} IS NOT NULL"
        ids = {r[0] for r in fetch_rows(conn, sql, {"after": after, "upto": upto})}
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
