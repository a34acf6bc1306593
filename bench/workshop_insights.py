"""How long one workshop's dashboard takes to compute, against reading its rows with plain SQL.

    .venv/bin/python bench/workshop_insights.py [--people 25] [--contributions 400]

Builds a long, busy workshop (25 people, 400 contributions by default) in a temporary SQLite
store, then times, best of 5 each:

* a plain ``sqlite3`` read of the workshop's contributions (the floor: the rows must be read), and
* ``workshop_insights`` end to end (read, ripples, profiles, timeline, network, equity, evidence),

and prints both and their ratio. The dashboard is meant to answer within 100 ms on two cores
(it used to be a timed unit test; a speed target belongs here, next to a reference measured in
the same run, where a loaded machine moves both numbers alike).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.insights.workshop import workshop_insights
from db.store import Store
from tests.helpers.insights import Cast, Line, load_into, workshop


def _best(fn: object, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=25)
    ap.add_argument("--contributions", type=int, default=400)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ripple-bench-insights-"))
    db = tmp / "store.db"
    store = Store.open(f"sqlite:///{db}")
    cast = Cast()
    for i in range(args.people):
        cast.add(f"P{i:03d}", f"Person {i:03d}")
    keys = list(cast.people)
    script: list[Line] = []
    for n in range(args.contributions):
        builds = f"c{n - 3}" if n >= 3 and n % 7 == 0 else None
        script.append((n * 18, keys[(n * 7) % len(keys)], "spontaneous" if n % 3 else "prompted", "story", builds,
                       f"c{n}"))
    (wid,) = load_into(store, tmp, workshop(cast, script, minutes=max(120, args.contributions * 18 // 60 + 10)))
    workshop_insights(store, wid)  # the first call pays for imports

    def plain_read() -> None:
        with sqlite3.connect(db) as conn:
            conn.execute("SELECT id, participant_id, at, initiative, kind, builds_on_id FROM contributions").fetchall()

    floor = _best(plain_read)
    dash = _best(lambda: workshop_insights(store, wid))
    print(f"plain read of {args.contributions} contributions: {floor * 1000:.1f} ms")
    print(f"workshop_insights ({args.people} people):         {dash * 1000:.1f} ms "
          f"({dash / floor:.0f}× the read; target under 100 ms)")
    store.close()
    return 0 if dash < 0.100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
