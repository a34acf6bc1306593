"""A second laptop pulling 100,000 contributions from PostgreSQL, against a plain psycopg
``COPY … TO`` of the same rows; and the per-field merge's cost on a push.

    .venv/bin/python bench/sync_pull.py [N]

In the same run, on the same server:

* **COPY TO**: the shared store's contributions, read with psycopg's ``COPY (SELECT …) TO
  STDOUT`` into Python rows: the floor for getting those rows out.
* **pull**: ``db.sync.sync`` on a fresh laptop store (with the collector paused, as
  app/sync.py runs it): snapshot reads by seq, parents, the checks of every pulled row
  (db/sync/validate.py), the merge-or-insert into SQLite, the watermark per local
  transaction. Target: within 2x of COPY TO.
* **SQLite floor** (for reference): the same rows, already in memory, put into an empty
  laptop store with one plain ``sqlite3`` ``executemany`` in one transaction: what landing
  them in Ripple's indexed, foreign-keyed tables costs at the least.
* **merge push**: the first laptop edits a field of every contribution and pushes them: every
  row is read back on the shared store and merged field by field (db/merge.py). Against a
  plain COPY of the same rows into a fresh table like the push bench's. Target: within 2x.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg
from sync_push import PG, build_local, drop_schema, fresh_schema  # type: ignore[import-not-found]

from app.platform.gc_pause import paused
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from db.sync.rows import BY_NAME, SPECS, read_batch, select_list


def copy_to(schema: str) -> tuple[int, float]:
    """Rows of the shared store's contributions through COPY TO, in the sync's neutral form."""
    spec = BY_NAME["contributions"]
    with psycopg.connect(PG.replace("+psycopg", ""), options=f"-csearch_path={schema}") as c:
        t = time.perf_counter()
        c.execute("SET TIME ZONE 'UTC'")
        rows = []
        with c.cursor().copy(f"COPY (SELECT {select_list(spec, 'postgresql')} FROM contributions) TO STDOUT") as cp:
            rows.extend(cp.rows())
        return len(rows), time.perf_counter() - t


def sqlite_floor(path: Path, rows_by_table: dict[str, list[tuple[object, ...]]]) -> float:
    """Seconds for one plain executemany per table, one transaction, into an empty store."""
    Store.open(f"sqlite:///{path}").close()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA foreign_keys=ON")
    t = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for spec in SPECS:
        rows = rows_by_table.get(spec.name)
        if rows:
            marks = ", ".join("?" for _ in spec.columns)
            con.executemany(f"INSERT INTO {spec.name} ({spec.column_list}) VALUES ({marks})", rows)
    con.execute("COMMIT")
    con.close()
    return time.perf_counter() - t


def copy_in(schema: str, rows: list[tuple[object, ...]]) -> float:
    spec = BY_NAME["contributions"]
    with psycopg.connect(PG.replace("+psycopg", ""), options=f"-csearch_path={schema}") as c:
        c.execute("CREATE TABLE bench_copy (LIKE contributions INCLUDING ALL)")
        c.commit()
        t = time.perf_counter()
        c.execute("SET LOCAL TIME ZONE 'UTC'")
        with c.cursor().copy(f"COPY bench_copy ({spec.column_list}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
        c.commit()
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    n = ap.parse_args().n
    tmp = Path(tempfile.mkdtemp(prefix="ripple-bench-"))
    local = build_local(tmp / "laptop.db", n)
    schema = f"bench_pull_{uuid.uuid4().hex[:8]}"
    try:
        remote = open_remote(fresh_schema(schema))
        t = time.perf_counter()
        sync(local, remote)
        print(f"first laptop pushed {n:,} contributions in {time.perf_counter() - t:.2f} s")

        count, copy_s = copy_to(schema)
        print(f"plain psycopg COPY TO of the {count:,} contributions: {copy_s:.2f} s")
        second = Store.open(f"sqlite:///{tmp / 'second.db'}")
        t = time.perf_counter()
        with paused():
            pulled = sync(second, remote)
        pull_s = time.perf_counter() - t
        print(f"second laptop pulling {pulled.received:,} rows: {pull_s:.2f} s -> {pull_s / copy_s:.2f}x COPY TO "
              "(target <= 2x)")
        with second.snapshot() as conn:
            landed = read_batch(conn, after=-1, limit=10**9).rows
        second.close()
        floor_s = sqlite_floor(tmp / "floor.db", landed)
        print(f"  (SQLite floor: the same rows into an empty store, one executemany each: {floor_s:.2f} s = "
              f"{floor_s / copy_s:.2f}x COPY TO; the pull is {pull_s / floor_s:.2f}x it)")

        # Every contribution edited on the first laptop: the push merges each one field by field.
        with local.engine.begin() as conn:
            top = conn.exec_driver_sql("UPDATE change_counter SET value = value + ? WHERE id = 1 RETURNING value",
                                       (n,)).scalar_one()
            ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM contributions ORDER BY seq")]
            stamp = local.clock.tick()
            conn.exec_driver_sql(
                "UPDATE contributions SET note = 'edited', versions = json_object('_', hlc, 'note', ?), hlc = ?, "
                "seq = ? WHERE id = ?",
                [(stamp, stamp, top - n + 1 + i, cid) for i, cid in enumerate(ids)],
            )
        with local.snapshot() as conn:
            rows = read_batch(conn, after=0, limit=10**9).rows["contributions"]
        baseline = copy_in(schema, rows)
        t = time.perf_counter()
        with paused():
            merged = sync(local, remote)
        merge_s = time.perf_counter() - t
        print(f"plain COPY of the {len(rows):,} edited rows into a fresh table: {baseline:.2f} s")
        print(f"push of {merged.sent:,} edited rows, each merged field by field: {merge_s:.2f} s -> "
              f"{merge_s / baseline:.2f}x COPY (target <= 2x)")
        remote.close()
    finally:
        local.close()
        drop_schema(schema)


if __name__ == "__main__":
    main()
