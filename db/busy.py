"""Taking SQLite's write lock without SQLite's busy handler.

SQLite's own wait for a busy lock (``busy_timeout``) sleeps in growing steps, up to 100 ms
between tries. A live tap that meets a bulk import's chunk therefore sleeps on while the
importer commits, pauses and takes the lock again, and keeps losing it: bench/import_scale.py
measured taps waiting 0.2–2 s behind an import whose transactions each held the lock for tens
of milliseconds. Every Ripple write begins with ``BEGIN IMMEDIATE`` (db/store.py), so that is
the one place the lock is ever waited for: here it is tried again every millisecond (and
less often after a while), so a waiting writer takes the lock within a millisecond of its
release. Between importer chunks (``Store.let_others_write``) that is always in time.
"""

from __future__ import annotations

import sqlite3
import time

#: How often a waiting writer tries again: soon at first, then less often (a long wait is
#: a stuck writer, not a chunk).
_QUICK_S, _QUICK_FOR_S, _SLOW_S = 0.001, 0.5, 0.01


def begin_immediate(raw: sqlite3.Connection, wait_ms: int, busy_ms: int) -> None:
    """``BEGIN IMMEDIATE`` on ``raw``, waiting at most ``wait_ms`` for another writer; raises
    SQLite's own "database is locked" after that. ``busy_ms`` is the connection's usual busy
    timeout, back in force once the lock is held (for the rare busy moment inside a
    transaction, such as another connection's WAL recovery)."""
    raw.execute("PRAGMA busy_timeout=0")
    try:
        started = time.monotonic()
        deadline = started + wait_ms / 1000
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                now = time.monotonic()
                if not _is_busy(exc) or now >= deadline:
                    raise
                time.sleep(min(_QUICK_S if now - started < _QUICK_FOR_S else _SLOW_S, deadline - now))
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(busy_ms)}")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)
