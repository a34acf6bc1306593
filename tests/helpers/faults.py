"""Faults the store and the files it writes meet on real machines, made real here.

* :func:`fill_up`: the store's file may not grow any more (SQLite's own size limit,
  ``max_page_count``, stands in for a full disk; SQLite answers exactly as it does for one).
* :func:`small_tmpfs`: a 3 MB tmpfs, the real full disk (needs root; skipped elsewhere).
* :func:`file_size_limit`: the kernel refuses every write past ``limit`` bytes of any file
  (``RLIMIT_FSIZE``; the write fails with EFBIG, which SQLite reports as its "disk I/O error",
  as it does for EIO). Python ignores SIGXFSZ, so the process lives on.
* :func:`fingerprint`: what "the store is intact" means in a test: integrity_check ok, and the
  same rows in every table.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from db.store import Store


def fill_up(store: Store) -> None:
    """From now on the file may not grow: every new connection gets max_page_count = its size."""
    with store.engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    @event.listens_for(store.engine, "connect")
    def _limit(dbapi_conn: object, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    store.engine.dispose()


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Within the block, no file of this process may grow past ``limit`` bytes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


@contextmanager
def mounted_tmpfs(where: Path, size: str = "3m") -> Iterator[Path]:
    """A small tmpfs at ``where`` (skips the test where mounting is not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill_disk(where: Path) -> Path:
    """Fill the file system holding ``where`` to the last byte; returns the filler file."""
    filler = where / "fill"
    with filler.open("wb", buffering=0) as fh:
        for size in (65536, 4096, 1):  # big blocks, then the last few bytes
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError:
                pass
    return filler


#: Derived data a read may (re)build; not something a person saved.
CACHES = ("analysis_cache",)


def fingerprint(db_file: Path) -> dict[str, int]:
    """Every table's row count (caches aside), after checking that SQLite finds the file intact."""
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if r[0] not in CACHES]
        return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
    finally:
        conn.close()


def leftovers(folder: Path) -> list[str]:
    """Temporary files an export leaves beside its target when it does not clean up."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".ripple-"))
