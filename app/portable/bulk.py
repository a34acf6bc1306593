"""A portable file's new rows (contributions, reactions, clips, role plays, follow-up) in chunks sized to a time budget.

The rows are decided before the write lock (the store's rows with the file's ids are read
in bulk first, :func:`app.portable.apply._existing`); under the lock each chunk only asks which
of its ids the store has by now (a sync, another import of the same file) and leaves those
out, so a row that arrived meanwhile is never overwritten nor doubled. Parents come before
children (``builds_on``), so every chunk is valid on its own, and importing the same file
again after a failure in between inserts only what is still missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select

from db.bulk import insert_rows, prepare_rows, ready_rows
from db.chunks import BULK_BUDGET_S, ChunkSizer
from db.models import Synced
from db.store import LockHold, Store

#: A chunk of rows has at most this many rows (and holds the lock within
#: db.chunks.BULK_BUDGET_S, its commit included).
ROWS_MAX = 500

#: Called with the table's name before a table's first chunk (tests make a concurrent edit
#: there, between what was decided and its write, without timing).
BEFORE_INSERT: list[Callable[[str], None]] = []


def insert_new(
    store: Store, model: type[Synced], rows: list[dict[str, Any]], written: Callable[[int], None],
    keep: Callable[[Connection, list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
) -> None:
    """Insert ``rows`` (new to this store when they were read, parents first) in short
    transactions; ``written`` is told how many each committed chunk inserted. ``keep``, under
    the lock, leaves out the rows of a chunk that what changed meanwhile makes wrong beyond
    their id (a person erased since, a parent left out)."""
    prepare_rows(store, [(model, rows)])
    table = model.__table__  # type: ignore[attr-defined]
    for hook in BEFORE_INSERT:
        hook(table.name)
    sizer, i = ChunkSizer(BULK_BUDGET_S, first=100, least=5, most=ROWS_MAX), 0
    while i < len(rows):
        chunk = rows[i : i + sizer.size]
        ready = ready_rows(store, [(model, chunk)])  # the driver's values, before the lock
        hold = LockHold()
        with store.bulk_write(hold) as conn:
            ids = [r["id"] for r in chunk]
            here: set[uuid.UUID] = set()
            for k in range(0, len(ids), 500):
                here.update(conn.scalars(select(table.c.id).where(table.c.id.in_(ids[k : k + 500]))))
            fresh = [r for r in chunk if r["id"] not in here] if here else chunk
            if keep is not None and fresh:
                fresh = keep(conn, fresh)
            insert_rows(store, conn, [(model, fresh)], keep_versions=True, ready=ready)
        written(len(fresh))
        i += len(chunk)
        store.let_others_write(hold.seconds)
        sizer.done(len(chunk), hold.seconds)
