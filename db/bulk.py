"""Inserting many new synced rows in a short write transaction, in two halves.

Everything that needs no lock (checking the limits, ids, times, this device) is done first by
:func:`prepare_rows`; inside the transaction :func:`insert_rows` only gives the change
sequences and versions and runs the inserts, so a bulk writer (a roster, a portable file)
holds SQLite's one write lock for as little as it can and a live tap is never kept waiting.
:meth:`db.store.Store.append_many` is both halves around one transaction; a writer that must
re-read something under the lock first opens :meth:`db.store.Store.bulk_write` itself.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert

from db import limits
from db.models import Synced
from db.types import utcnow

if TYPE_CHECKING:
    from db.store import Store

Tables = list[tuple[type[Synced], list[dict[str, Any]]]]


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


def insert_rows(store: Store, conn: Connection, tables: Tables, *, keep_versions: bool = False) -> None:
    """Insert rows made ready by :func:`prepare_rows` (parents first) in the caller's write
    transaction. ``keep_versions``: rows that come with an ``hlc`` keep it (a portable file's
    content is not a new edit)."""
    from db.store import take_seqs

    seqs = iter(take_seqs(conn, sum(len(rows) for _model, rows in tables)))
    for model, rows in tables:
        if not rows:
            continue
        for row in rows:
            row["seq"] = next(seqs)
            if not (keep_versions and row.get("hlc")):
                row["hlc"] = store.clock.tick()
        stmt = insert(model.__table__)  # type: ignore[attr-defined]
        # One statement per run of rows with the same columns (a row may leave some to
        # their defaults), in their order: parents stay before children.
        start = 0
        for end in range(1, len(rows) + 1):
            if end == len(rows) or rows[end].keys() != rows[start].keys():
                conn.execute(stmt, rows[start:end])
                start = end
