"""Tap-to-committed latency of live logging, against a plain sqlite3 insert-and-commit.

    .venv/bin/python bench/log_latency.py [N]

Both sides write the same rows (every column Ripple stores for a contribution) to a file in
WAL mode with synchronous=FULL (what Ripple uses: a logged contribution survives a dead
battery), N rows each, one transaction per row, in the same run on the same disk. The plain
side has no secondary indexes and no change counter; Ripple pays for both (sync and
analytics need them). Target: p99 under 5 ms and within 3x of the plain insert.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def plain_sqlite(path: Path, n: int) -> list[float]:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    # The same row Ripple writes (all its columns), into a bare table with only its primary key.
    con.execute(
        "CREATE TABLE contributions (id CHAR(32) PRIMARY KEY, workshop_id CHAR(32), agenda_item_id CHAR(32), "
        "participant_id CHAR(32), at DATETIME, kind VARCHAR(16), initiative VARCHAR(16), builds_on_id CHAR(32), "
        "note TEXT, hlc VARCHAR(48), origin VARCHAR(32), seq BIGINT, created_at DATETIME, updated_at DATETIME, "
        "deleted_at DATETIME, extra JSON)"
    )
    wid, item, people = uuid.uuid4().hex, uuid.uuid4().hex, [uuid.uuid4().hex for _ in range(12)]
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "INSERT INTO contributions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (uuid.uuid4().hex, wid, item, people[i % 12], now, "story", "spontaneous", None, "",
             f"{time.time_ns() // 1_000_000:015d}-00000-abcdef012345", "abcdef012345", i + 1, now, now, None, None),
        )
        con.execute("COMMIT")
        out.append(time.perf_counter() - t0)
    con.close()
    return out


def ripple(path: Path, n: int) -> list[float]:
    from app.live import LiveWorkshop
    from app.planning.agenda import add_agenda_item
    from app.planning.participants import add_participant
    from app.planning.workshops import create_workshop
    from db.store import Store

    store = Store.open(f"sqlite:///{path}")
    wid = create_workshop(store, "Bench")
    add_agenda_item(store, wid, "challenge", "C", minutes=60)
    for i in range(12):
        add_participant(store, wid, f"Person {i}")
    live = LiveWorkshop(store, wid)
    people = [p.id for p in live.plan.participants]
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        live.log(people[i % 12], "spontaneous" if i % 3 else "prompted")
        out.append(time.perf_counter() - t0)
    store.close()
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory(dir=Path.home() if Path.home().exists() else None) as tmp:
        base = plain_sqlite(Path(tmp) / "plain.db", n)
        ours = ripple(Path(tmp) / "ripple.db", n)
    ms = 1000.0
    b50, b99 = pct(base, 50) * ms, pct(base, 99) * ms
    r50, r99 = pct(ours, 50) * ms, pct(ours, 99) * ms
    print(f"rows: {n} each, one commit per row, WAL + synchronous=FULL")
    print(f"plain sqlite3 insert+commit   p50 {b50:6.3f} ms   p99 {b99:6.3f} ms   mean {statistics.mean(base) * ms:6.3f} ms")
    print(f"ripple LiveWorkshop.log()     p50 {r50:6.3f} ms   p99 {r99:6.3f} ms   mean {statistics.mean(ours) * ms:6.3f} ms")
    print(f"ratio ripple/plain            p50 {r50 / b50:5.2f}x   p99 {r99 / b99:5.2f}x   (target: within 3x)")
    print(f"target p99 < 5 ms: {'met' if r99 < 5 else 'NOT met'};  within 3x at p99: {'met' if r99 / b99 <= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
