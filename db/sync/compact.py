"""Bounding the shared store's growth: removing tombstones every laptop has seen.

A deletion is a tombstone so that it travels; once every laptop that syncs with the shared
store has pulled past it (each reports how far it pulled, ``sync_push_marks.pulled_seq``),
the tombstone has done its work there: a laptop that joins later never had the row, and one
that had it holds the tombstone itself. Only tombstones older than a grace period, and that
no other row points at (a deleted agenda item whose contributions are kept, a contribution
others built on), are removed, children first. An erased participant's tombstone is never
removed: it holds nothing personal, and it is what recognises the person if they come back
(by id, or by the fingerprint of their e-mail) from an old file or an out-of-date laptop. Laptops keep their own tombstones (they are
what stops a restored shared store from bringing a deleted row back to them).

A laptop retired for good blocks compaction until its row is removed from
``sync_push_marks`` by the admin (docs/shared-store.md); it must not sync again afterwards.
Compaction deletes, so it runs as the admin (``ripple sync --compact-remote``), never as a
trainer's role.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from db.models import SyncPushMark
from db.sql import run_sql
from db.store import Store
from db.sync.rows import SPECS
from db.types import utcnow

#: Tombstones younger than this stay, whatever the laptops have seen.
GRACE = timedelta(days=30)


def seen_by_all(remote: Store) -> int:
    """The shared store's seq every laptop has pulled past (0: some laptop never said)."""
    with remote.engine.connect() as conn:
        rows = conn.execute(select(func.count(), func.count(SyncPushMark.pulled_seq),
                                   func.min(SyncPushMark.pulled_seq))).one()
    total, reported, low = int(rows[0]), int(rows[1]), rows[2]
    return int(low or 0) if total and total == reported else 0


def compact(remote: Store, *, grace: timedelta = GRACE) -> int:
    """Remove the tombstones every laptop has seen (older than ``grace``, pointed at by no
    row); returns how many rows went."""
    horizon = seen_by_all(remote)
    if horizon <= 0:
        return 0
    cutoff = utcnow() - grace
    # Straight to the driver: SQLite holds instants as naive UTC text (db/sync/rows.py).
    before: object = cutoff.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if remote.is_sqlite else cutoff
    removed = 0
    with remote.writer.begin() as conn:
        for spec in reversed(SPECS):  # children first: a parent freed by them may go too
            referrers = [(child, child.columns[pos]) for child in SPECS for pos, parent in child.parents
                         if parent == spec.name]
            unreferenced = " ".join(
                f'AND NOT EXISTS (SELECT 1 FROM {child.name} r WHERE r."{col}" = {spec.name}.id)' for child, col in referrers
            )
            # An erased person's tombstone is not a deletion that has done its work: it is what
            # keeps them erased (an old file, a laptop's copy under another id), for ever.
            keep_erased = "AND erased_at IS NULL " if "erased_at" in spec.columns else ""
            removed += run_sql(
                conn,
                f"DELETE FROM {spec.name} WHERE deleted_at IS NOT NULL AND deleted_at < %(before)s "
                f"AND seq > 0 AND seq <= %(horizon)s {keep_erased}{unreferenced}",
                {"before": before, "horizon": horizon},
            ).rowcount
    return removed
