"""Pushing 100,000 contributions to PostgreSQL, against a plain psycopg COPY of the same rows.

    .venv/bin/python bench/sync_push.py [N] [--pg URL]

One laptop store (SQLite) holds one workshop, 30 participants, 6 agenda items and N
contributions (every tenth builds on an earlier one). In the same run, on the same server:

* **COPY**: the same N rows, already in memory, copied with psycopg into the contributions
  table of a fresh Ripple schema whose parent rows are already there (same indexes, same
  deferred foreign keys): the floor for landing those rows.
* **sync**: ``db.sync.sync`` from the laptop store into another fresh schema: reading the
  rows, batching, parents, remote seqs, last-writer-wins upserts, watermarks, then the pull
  phase (nothing to bring back). Target: within 2x of COPY (issue #10: the per-field merge
  must keep the push within 2x; it was 4x before it).
* **sync again** with nothing new. Target: under 1 s.

Measured 2026-12-08, the two-core machine quiet: sync 4.31-4.86 s against COPY 2.35-2.71 s,
1.79x-1.98x in six runs (the same with 2000 or 5000 rows a push transaction; about 1.5 s of
the push is its commits, where PostgreSQL checks the deferred foreign keys of every row, as
at the COPY's one commit). Then the new rows inserted first, the stage's two joins skipped
when all are new (db/sync/apply.py): 3.60-3.73 s, 1.65x-1.72x in three runs. Sync again
50-56 ms. bench/sync_pull.py measures the merge of edited rows against the same COPY.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from sqlalchemy import insert

from db.models import AgendaItem, Contribution, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.sync.apply import apply_merged
from db.sync.engine import sync
from db.sync.remote import open_remote
from db.sync.rows import BY_NAME, begin_apply, read_batch

PG = os.environ.get("RIPPLE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def build_local(path: Path, n: int) -> Store:
    store = Store.open(f"sqlite:///{path}")
    now = datetime.now(UTC)
    wid = uuid.uuid4()
    with store.write() as s:
        s.add(Workshop(id=wid, title="Bench", started_at=now))
        people = [Participant(name=f"P{i}", email=f"p{i}@example.org") for i in range(30)]
        items = [AgendaItem(workshop_id=wid, kind="challenge", title=f"C{i}", position=i) for i in range(6)]
        s.add_all(people + items)
        s.flush()
        s.add_all(WorkshopParticipant(workshop_id=wid, participant_id=p.id, position=i) for i, p in enumerate(people))
        pids = [p.id for p in people]
        iids = [i.id for i in items]
    with store.engine.begin() as conn:  # one bulk write, stamped as the app stamps rows
        top = conn.exec_driver_sql(
            "UPDATE change_counter SET value = value + ? WHERE id = 1 RETURNING value", (n,)
        ).scalar_one()
        seqs = range(top - n + 1, top + 1)
        rows, ids = [], []
        for i, seq in enumerate(seqs):
            cid = uuid.uuid4()
            ids.append(cid)
            rows.append({
                "id": cid, "workshop_id": wid, "agenda_item_id": iids[i * 6 // n],
                "participant_id": pids[i % 30], "at": now + timedelta(seconds=i), "kind": "story",
                "initiative": "spontaneous" if i % 3 else "prompted",
                "builds_on_id": ids[i - 3] if i % 10 == 9 else None, "note": "",
                "hlc": store.clock.tick(), "origin": store.device_id, "seq": seq,
                "created_at": now, "updated_at": now, "deleted_at": None, "extra": None,
            })
        conn.execute(insert(Contribution), rows)
    return store


def fresh_schema(name: str) -> str:
    with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True) as c:
        c.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        c.execute(f'CREATE SCHEMA "{name}"')
    return f"{PG}{'&' if '?' in PG else '?'}options=-csearch_path%3D{name}"


def drop_schema(name: str) -> None:
    with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True) as c:
        c.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def copy_reference(schema: str, rows_by_table: dict[str, list[tuple[object, ...]]]) -> float:
    """Seconds for a plain psycopg COPY of the contributions into a fresh shared store's
    table (same indexes, same deferred foreign keys), their parents put in place first by the
    engine: the floor for landing those rows, which the sync benches measure against."""
    copy_remote = open_remote(fresh_schema(schema))
    with copy_remote.engine.begin() as conn:
        begin_apply(conn)
        for name, rows in rows_by_table.items():
            if name != "contributions":
                apply_merged(conn, BY_NAME[name], rows, own_device=copy_remote.device_id,
                             stamp=copy_remote.clock.tick)
    copy_remote.close()
    spec = BY_NAME["contributions"]
    with psycopg.connect(PG.replace("+psycopg", ""), options=f"-csearch_path={schema}") as c:
        t = time.perf_counter()
        c.execute("SET LOCAL TIME ZONE 'UTC'")
        with c.cursor().copy(f"COPY contributions ({spec.column_list}) FROM STDIN") as cp:
            for row in rows_by_table["contributions"]:
                cp.write_row(row)
        c.commit()
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    args = ap.parse_args()
    n = args.n
    tmp = Path(tempfile.mkdtemp(prefix="ripple-bench-"))
    t = time.perf_counter()
    local = build_local(tmp / "laptop.db", n)
    print(f"laptop store with {n:,} contributions built in {time.perf_counter() - t:.1f} s")

    tag = uuid.uuid4().hex[:8]
    copy_schema, sync_schema = f"bench_copy_{tag}", f"bench_sync_{tag}"
    try:
        with local.engine.connect() as conn, conn.begin():
            batch = read_batch(conn, after=0, limit=10**9)
        copy_s = copy_reference(copy_schema, batch.rows)
        contributions = batch.rows["contributions"]
        spec = BY_NAME["contributions"]
        print(f"plain psycopg COPY of {len(contributions):,} rows into the same table: {copy_s:.2f} s")
        with psycopg.connect(PG.replace("+psycopg", ""), options=f"-csearch_path={copy_schema}") as c:
            c.execute("CREATE TABLE bare (LIKE contributions)")
            c.commit()
            t = time.perf_counter()
            c.execute("SET LOCAL TIME ZONE 'UTC'")
            with c.cursor().copy(f"COPY bare ({spec.column_list}) FROM STDIN") as cp:
                for row in contributions:
                    cp.write_row(row)
            c.commit()
            bare_s = time.perf_counter() - t
        print(f"  (for reference: into a bare table, no indexes or foreign keys: {bare_s:.2f} s)")

        remote = open_remote(fresh_schema(sync_schema))
        t = time.perf_counter()
        report = sync(local, remote)
        sync_s = time.perf_counter() - t
        print(f"sync (push {report.sent:,} rows, then pull): {sync_s:.2f} s  -> {sync_s / copy_s:.2f}x COPY "
              f"(target <= 2x; {sync_s / bare_s:.1f}x the bare-table COPY)")
        t = time.perf_counter()
        again = sync(local, remote)
        again_s = time.perf_counter() - t
        print(f"second sync, nothing new: {again_s * 1000:.0f} ms (target < 1000 ms): {again.summary()}")
        other = Store.open(f"sqlite:///{tmp / 'second-laptop.db'}")
        t = time.perf_counter()
        pulled = sync(other, remote)
        print(f"(a second laptop pulling all {pulled.received:,} rows: {time.perf_counter() - t:.2f} s)")
        other.close()
        remote.close()
    finally:
        local.close()
        drop_schema(copy_schema)
        drop_schema(sync_schema)


if __name__ == "__main__":
    main()
