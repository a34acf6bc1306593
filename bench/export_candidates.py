"""How long the L&D candidate export takes over a year of workshops, against a plain SQL count.

    .venv/bin/python bench/export_candidates.py [--db URL] [--contributions 200000] [--format csv]

Builds a store of generated workshops (SQLite in a temporary folder unless ``--db`` names an
empty PostgreSQL database or schema), then times

* the plain SQL count per participant over the same rows (the floor any export must pay), and
* ``export_candidates`` end to end (read, attribute ripples, score, evidence, write, audit row),

and prints both and their ratio. The target is an export within 10x of the count.

Each finished workshop's analysis is kept in the store (``app/insights/cache.py``), so three
exports are timed: the first on a store that has kept nothing (a one-off per store), one after
a week of new workshops (those are analysed, the rest reused), and one with nothing new. The
target applies to the last two, which are what an L&D analyst meets from the second export on;
the script exits 1 when either is over it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, insert, select

from db.models import (
    AgendaGroup,
    AgendaItem,
    Clip,
    Contribution,
    Participant,
    Reaction,
    Workshop,
    WorkshopParticipant,
)
from db.store import Store

KINDS = ("story", "tip", "question", "failure", "help", "other")
ITEMS = ("challenge", "debrief", "challenge", "break", "debrief", "clip_round")


def generate(store: Store, contributions: int = 200_000, *, per_workshop: int = 400, seed: int = 1) -> dict[str, int]:
    """A year of workshops: 40 teams of 50, each workshop a team of about 20, ~400 shares."""
    rng = random.Random(seed)
    workshops = max(1, contributions // per_workshop)
    teams = [f"Team {i:02d}" for i in range(40)]
    people = [
        (uuid.UUID(int=rng.getrandbits(128)), f"Person {i:04d}", teams[i % len(teams)]) for i in range(2000)
    ]
    by_team: dict[str, list[uuid.UUID]] = {t: [] for t in teams}
    for pid, _n, team in people:
        by_team[team].append(pid)
    # A per-person tendency, so there is someone to find.
    talent = {pid: rng.random() ** 3 for pid, _n, _t in people}
    start0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    counts = {"workshops": 0, "contributions": 0, "reactions": 0, "clips": 0}
    wrows, prows, mrows, irows, grows, crows, cliprows, rrows = [], [], [], [], [], [], [], []
    for pid, name, team in people:
        prows.append({"id": pid, "name": name, "email": f"{name.lower().replace(' ', '.')}@example.com", "team": team,
                      "consent_analytics": rng.random() < 0.9, "consent_video": True, "consent_at": start0,
                      "consent_by": "bench"})
    left = contributions
    for w in range(workshops):
        wid = uuid.UUID(int=rng.getrandbits(128))
        team = teams[w % len(teams)]
        start = start0 + timedelta(days=w * 350 / workshops, hours=rng.choice((0, 4)))
        wrows.append({"id": wid, "title": f"Workshop {w}", "facilitator": f"Trainer {w % 12}", "team": team,
                      "started_at": start, "status": "finished"})
        room = rng.sample(by_team[team], 20)
        for pos, pid in enumerate(room):
            mrows.append({"id": uuid.uuid5(wid, str(pid)), "workshop_id": wid, "participant_id": pid, "position": pos})
        n = per_workshop if w < workshops - 1 else left
        left -= n
        t = start
        items = []
        for pos, kind in enumerate(ITEMS):
            iid = uuid.UUID(int=rng.getrandbits(128))
            irows.append({"id": iid, "workshop_id": wid, "position": pos, "kind": kind, "title": kind.title(),
                          "minutes": 20})
            if kind == "challenge":
                shuffled = room[:]
                rng.shuffle(shuffled)
                for gi in range(3):
                    grows.append({"id": uuid.UUID(int=rng.getrandbits(128)), "agenda_item_id": iid, "position": gi,
                                  "name": f"Group {gi + 1}", "members": [str(p) for p in shuffled[gi::3]]})
            if kind != "break":
                items.append((iid, t))
            t += timedelta(minutes=20)
        weights = [0.2 + talent[p] for p in room]
        recent: list[tuple[uuid.UUID, datetime, uuid.UUID, uuid.UUID]] = []
        made = []
        for _ in range(n):
            iid, it = rng.choice(items)
            pid = rng.choices(room, weights)[0]
            at = it + timedelta(seconds=rng.uniform(0, 1200))
            builds = None
            if recent and rng.random() < 0.15:
                cand = rng.choice(recent)
                if cand[2] != pid and cand[3] == iid and cand[1] < at:
                    builds = cand[0]
            cid = uuid.UUID(int=rng.getrandbits(128))
            spont = rng.random() < 0.35 + 0.6 * talent[pid]
            made.append({"id": cid, "workshop_id": wid, "agenda_item_id": iid, "participant_id": pid, "at": at,
                         "kind": rng.choices(KINDS, (0.32, 0.28, 0.14, 0.14, 0.08, 0.04))[0],
                         "initiative": "spontaneous" if spont else "prompted", "builds_on_id": builds})
            recent.append((cid, at, pid, iid))
            recent = recent[-12:]
        crows.extend(made)
        for c in rng.sample(made, min(len(made), n // 4)):
            rrows.append({"id": uuid.UUID(int=rng.getrandbits(128)), "workshop_id": wid,
                          "at": c["at"] + timedelta(seconds=30), "participant_id": rng.choice(room),
                          "contribution_id": c["id"], "kind": "helpful"})
        for pid in rng.sample(room, 4):
            cliprows.append({"id": uuid.UUID(int=rng.getrandbits(128)), "workshop_id": wid, "participant_id": pid,
                             "agenda_item_id": items[-1][0], "at": start + timedelta(minutes=100), "seconds": 60.0,
                             "scope": "room", "sha256": uuid.uuid4().hex * 2})
        counts["workshops"] += 1
    counts["contributions"] = len(crows)
    counts["reactions"] = len(rrows)
    counts["clips"] = len(cliprows)
    with store.engine.begin() as conn:
        for model, rows in ((Workshop, wrows), (Participant, prows), (WorkshopParticipant, mrows),
                            (AgendaItem, irows), (AgendaGroup, grows), (Contribution, crows), (Clip, cliprows),
                            (Reaction, rrows)):
            for i in range(0, len(rows), 5000):
                conn.execute(insert(model.__table__), rows[i:i + 5000])  # type: ignore[attr-defined]
    if store.is_sqlite:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        # What autovacuum does to a store in use within minutes of a bulk load: statistics, and
        # the visibility map that lets index-only scans skip the table.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return counts


def best_of(n: int, fn: object) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an empty store URL (default: a new SQLite file)")
    ap.add_argument("--contributions", type=int, default=200_000)
    ap.add_argument("--format", default="csv", choices=("csv", "xlsx", "pdf"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ripple-bench-"))
    url = args.db or f"sqlite:///{tmp / 'bench.db'}"
    store = Store.open(url)
    with store.read() as s:
        existing = s.scalar(select(func.count()).select_from(Contribution)) or 0
    if existing == 0:
        t = time.perf_counter()
        counts = generate(store, args.contributions)
        print(f"generated {counts} in {time.perf_counter() - t:.1f} s")
    else:
        print(f"using the {existing} contributions already in the store")

    from app.export.request import ExportRequest
    from app.export.service import export_candidates
    from app.insights import cache as analysis_cache
    from app.insights.period import report
    from db.models import AnalysisCache

    def plain_count() -> None:
        with store.read() as s:
            s.execute(
                select(Contribution.participant_id, func.count())
                .where(Contribution.deleted_at.is_(None))
                .group_by(Contribution.participant_id)
            ).all()

    out = tmp / f"candidates.{args.format}"

    def export() -> None:
        export_candidates(store, ExportRequest(format=args.format, out=out), by="bench")

    def forget_newest(n: int) -> None:
        """As after a week of new workshops: their analyses are not kept yet."""
        with store.write() as s:
            newest = s.scalars(select(Workshop.id).order_by(Workshop.started_at.desc()).limit(n)).all()
            s.execute(delete(AnalysisCache).where(AnalysisCache.workshop_id.in_(newest)))

    count_s = best_of(args.repeat, plain_count)
    analysis_cache.clear(store)
    t = time.perf_counter()
    export()
    cold_s = time.perf_counter() - t
    warm_s = best_of(args.repeat, export)
    week = max(1, round(args.contributions / 400 / 50))  # a year is ~50 weeks
    incremental = []
    for _ in range(args.repeat):
        forget_newest(week)
        t = time.perf_counter()
        export()
        incremental.append(time.perf_counter() - t)
    incr_s = min(incremental)
    runs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        rep = report(store)
        runs.append(time.perf_counter() - t)
    target = 10.0
    print(f"backend            {store.engine.dialect.name}")
    print(f"contributions      {existing or counts['contributions']}")
    print(f"plain SQL count    {count_s * 1000:8.1f} ms  (per participant, best of {args.repeat})")
    print(f"analysis (report)  {statistics.median(runs) * 1000:8.1f} ms  ({rep.workshops} workshops, "
          f"{rep.analysed} people, {len(rep.candidates)} candidates)")
    print(f"export, first      {cold_s * 1000:8.1f} ms  = {cold_s / count_s:5.1f} x  (analyses every workshop "
          "and keeps them; once per store)")
    print(f"export, a week on  {incr_s * 1000:8.1f} ms  = {incr_s / count_s:5.1f} x  ({week} new workshops "
          f"analysed, the rest kept; best of {args.repeat})")
    print(f"export, again      {warm_s * 1000:8.1f} ms  = {warm_s / count_s:5.1f} x  (nothing new; best of "
          f"{args.repeat})")
    print(f"file               {out} ({out.stat().st_size} bytes)")
    worst = max(incr_s, warm_s) / count_s
    verdict = "within" if worst <= target else "OVER"
    print(f"ratio              {worst:8.1f} x  {verdict} the target of {target:.0f} x (the slower of "
          "'a week on' and 'again')")
    return 0 if worst <= target else 1


if __name__ == "__main__":
    raise SystemExit(main())
