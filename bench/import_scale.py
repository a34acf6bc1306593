"""Big imports: a 100,000-row roster and a workshop file of 200,000 contributions (with a
role-play part of 2,000 rounds, their casts, markers and ratings, and 5,000 commitments with a
check-in each), next to the standard library reading the same bytes, and how long a live tap
waits meanwhile.

    .venv/bin/python bench/import_scale.py [--people 100000] [--contributions 200000]
                                           [--rounds 2000] [--commitments 5000]

For each file the script prints

* reading it with the standard ``csv`` / ``json`` module: time and peak memory (the floor);
* Ripple's reader (``parse_roster`` / the portable reader's check of the whole document): time
  and peak memory, and the ratios to the floor (targets: within 5x time, 3x memory);
* the whole import into a fresh SQLite store (read, check, write), for the record;
* the longest the import held the store's write lock in one transaction, up to its commit
  (target: under 50 ms), and with the commit: that figure also holds SQLite's automatic
  checkpoint, which runs in the committing call but is passive (other writers go on
  meanwhile), so it is an upper bound; a waiting tap's wait, below, is the lock as others feel it (the importers size
  their chunks by the hold with the commit, db.store.LockHold);
* the longest a tap waited while the import ran, next to the same tap on an idle store in the
  same run (target: under 50 ms more than idle, so a live tap never waits noticeably): taps
  logged as the console logs them (``LiveWorkshop.log``, bench/log_latency.py) from another
  process, and from a thread of the importing process (the app's case: the import runs in a
  worker thread, so that tap also waits for the interpreter).

Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from app.planning.roster import import_roster, parse_roster
from app.planning.workshops import create_workshop
from app.portable.apply import import_workshop
from app.portable.read import opened, parse_document
from db.errors import StoreError
from db.store import Store

TIME_TARGET = 5.0
MEMORY_TARGET = 3.0
LOCK_TARGET_S = 0.050


def measured(fn: Callable[[], Any], runs: int = 3) -> tuple[float, float, Any]:
    """(seconds, peak MB of Python allocations, result): the best of ``runs`` timed runs (on a
    machine shared with other work a single run of the short C parse swings by 2x, and the
    ratio with it), then peak memory on a run of its own, since tracing allocations slows
    Python code far more than the C parsers it is compared with."""
    seconds = math.inf
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        seconds = min(seconds, time.perf_counter() - started)
        del result
    gc.collect()
    tracemalloc.start()
    result = fn()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6, result


#: 20 taps a second: far busier than any real console.
TAP_EVERY_S = 0.05

PROBE = """
import json, sys, time, os
from app.live import LiveWorkshop
from db.store import Store
from bench.import_scale import TAP_EVERY_S, tap_target
store = Store.open(sys.argv[1])
stop = sys.argv[2]
live, people = tap_target(store)
waits = []
i = 0
print("ready", flush=True)
while not os.path.exists(stop):
    started = time.perf_counter()
    try:
        live.log(people[i % len(people)])
    except Exception:  # the store stayed busy past the wait every write allows: a lost tap
        pass
    waits.append(time.perf_counter() - started)
    i += 1
    time.sleep(TAP_EVERY_S)
print(json.dumps(waits), flush=True)
"""


def tap_target(store: Store) -> tuple[Any, list[uuid.UUID]]:
    """The live workshop the taps log into (made once per store: its own workshop, so the
    taps never touch what is imported), and its people."""
    from app.live import LiveWorkshop
    from app.planning.participants import add_participant
    from app.planning.workshops import list_workshops

    found = [w.id for w in list_workshops(store) if w.title == "Bench taps"]
    if found:
        wid = found[0]
    else:
        wid = create_workshop(store, "Bench taps")
        for i in range(4):
            add_participant(store, wid, f"Tapper {i}")
    live = LiveWorkshop(store, wid)
    return live, [p.id for p in live.plan.participants]


class TapProbe:
    """Another process logging a contribution again and again, as the live console does for
    a tap; records how long each took (waiting for the lock, plus its own commit)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.waits: list[float] = []
        self._stop = Path(tempfile.mkdtemp(prefix="ripple-bench-stop-")) / "stop"

    def __enter__(self) -> TapProbe:
        root = str(Path(__file__).resolve().parent.parent)
        self._proc = subprocess.Popen([sys.executable, "-c", PROBE, self.url, str(self._stop)],
                                      stdout=subprocess.PIPE, text=True, cwd=root,
                                      env={**os.environ, "PYTHONPATH": root})
        assert self._proc.stdout is not None
        self._proc.stdout.readline()  # ready
        time.sleep(0.2)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.write_text("")
        out, _err = self._proc.communicate(timeout=120)
        self.waits = json.loads(out.strip().splitlines()[-1])

    def longest(self) -> float:
        return max(self.waits, default=0.0)

    def p99(self) -> float:
        """The wait 99 taps in 100 beat: on a loaded machine the longest is often a moment the
        whole process was not scheduled, which the idle store shows as well."""
        ordered = sorted(self.waits)
        return ordered[int(len(ordered) * 0.99)] if ordered else 0.0


class ThreadTaps(TapProbe):
    """The same taps from a thread of this process, on the importer's own store (the app's
    case: the console taps on the UI thread while the import runs in a worker)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.waits = []
        self._done = threading.Event()

    def _run(self) -> None:
        live, people = tap_target(self.store)
        self._ready.set()
        i = 0
        while not self._done.is_set():
            started = time.perf_counter()
            try:
                live.log(people[i % len(people)])
            except StoreError:  # busy past the wait every write allows: a lost tap
                pass
            self.waits.append(time.perf_counter() - started)
            i += 1
            self._done.wait(TAP_EVERY_S)

    def __enter__(self) -> ThreadTaps:
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait()
        time.sleep(0.2)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()


class LockClock:
    """How long each write transaction of one store held the write lock: from the moment
    ``BEGIN IMMEDIATE`` returned to the end of the commit call (``with_flush``: the log's
    flush to disk, and now and then SQLite's automatic checkpoint, a passive one that
    keeps no writer out), and to the start of the commit (``held``, the import's own work under the lock)."""

    def __init__(self, store: Store) -> None:
        self.held: list[float] = []
        self.with_flush: list[float] = []
        self._since: dict[int, float] = {}
        engine, dialect = store.engine, store.engine.dialect

        self._where: dict[int, str] = {}
        self.worst = ("", 0.0)
        self.log: list[tuple[float, str]] = []

        @event.listens_for(engine, "begin")
        def _began(conn: Any) -> None:  # runs after db/store.py's, which takes the lock
            if conn.get_execution_options().get("ripple_write"):
                key = id(conn.connection.driver_connection)
                self._since[key] = time.perf_counter()
                frames = [f for f in traceback.extract_stack(limit=60) if "/app/" in f.filename]
                self._where[key] = " < ".join(f"{f.name}:{f.lineno}" for f in frames[::-1][:3]) or "?"

        commit, rollback = dialect.do_commit, dialect.do_rollback

        def ended(real: Callable[[Any], None]) -> Callable[[Any], None]:
            def wrapped(dbapi_conn: Any) -> None:
                key = id(getattr(dbapi_conn, "driver_connection", dbapi_conn))
                since = self._since.pop(key, None)
                before = time.perf_counter()
                try:
                    real(dbapi_conn)
                finally:
                    if since is not None:
                        self.held.append(before - since)
                        self.with_flush.append(time.perf_counter() - since)
                        self.log.append((before - since, self._where.get(key, "?")))
                        if before - since > self.worst[1]:
                            self.worst = (self._where.get(key, "?"), before - since)
            return wrapped

        dialect.do_commit = ended(commit)  # type: ignore[method-assign]
        dialect.do_rollback = ended(rollback)  # type: ignore[method-assign]

    def steps(self) -> str:
        """The longest hold of each kind of transaction (where in app/ it began)."""
        worst: dict[str, float] = {}
        for held, where in self.log:
            worst[where] = max(worst.get(where, 0.0), held)
        top = sorted(worst.items(), key=lambda kv: -kv[1])[:5]
        return "  longest per step: " + "; ".join(f"{w}: {h * 1000:.0f} ms" for w, h in top)

    def line(self) -> tuple[str, bool]:
        held, flushed = max(self.held, default=0.0), max(self.with_flush, default=0.0)
        ordered = sorted(self.held)
        p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0.0
        ok = held <= LOCK_TARGET_S
        return (f"  longest write lock of the import: {held * 1000:.0f} ms before its commit "
                f"(99% within {p99 * 1000:.0f} ms), "
                f"{flushed * 1000:.0f} ms with it, over {len(self.held):,} transactions (longest in "
                f"{self.worst[0]}) "
                f"(target: under {LOCK_TARGET_S * 1000:.0f} ms before the commit)"
                + ("" if ok else "  <-- over target")), ok


def idle_tap(url: str, seconds: float = 2.0) -> float:
    with TapProbe(url) as probe:
        time.sleep(seconds)
    return probe.longest()


def idle_thread_tap(store: Store, seconds: float = 2.0) -> float:
    with ThreadTaps(store) as probe:
        time.sleep(seconds)
    return probe.longest()


def tap_line(what: str, probe: TapProbe, idle: float) -> tuple[str, bool]:
    ok = probe.longest() - idle <= LOCK_TARGET_S
    return (f"  longest tap meanwhile ({what}): {probe.longest() * 1000:.0f} ms "
            f"(99% within {probe.p99() * 1000:.0f} ms) over {len(probe.waits):,} taps "
            f"(idle store: {idle * 1000:.0f} ms; target: at most {LOCK_TARGET_S * 1000:.0f} ms more)"
            + ("" if ok else "  <-- over target")), ok


def roster_bytes(people: int) -> bytes:
    lines = ["name,email,team,video consent,analytics consent"]
    lines += [f"Person {i:06d},person{i}@example.org,Team {i % 40:02d},yes,{'yes' if i % 3 else 'no'}"
              for i in range(people)]
    return ("\n".join(lines) + "\n").encode()


def workshop_document(contributions: int, rounds: int = 0, commitments: int = 0) -> dict[str, Any]:
    """A workshop file: ``contributions`` on 10 challenges by 60 people (more people when there
    are more ``commitments``, one a person, each with a check-in), and a role-play item with
    ``rounds`` rounds of a triad, each cast, with 2 markers and 3 ratings."""
    start = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    people = [{"id": str(uuid.uuid4()), "name": f"Person {i}", "email": f"p{i}@example.org", "team": "Sales",
               "consent": {"video": True, "community": False, "analytics": True, "at": start.isoformat(),
                           "by": "Bench"}} for i in range(max(60, commitments))]
    agenda = [{"id": str(uuid.uuid4()), "kind": "challenge", "title": f"Challenge {i}", "minutes": 20}
              for i in range(10)]
    rows: list[dict[str, Any]] = []
    for i in range(contributions):
        rows.append({"id": str(uuid.uuid4()), "at": (start + timedelta(milliseconds=100 * i)).isoformat(),
                     "participant": people[i % 60]["id"], "agenda_item": agenda[i % 10]["id"], "kind": "story",
                     "initiative": "spontaneous",
                     "builds_on": rows[-1]["id"] if i % 4 and rows else None, "note": ""})
    doc = {"format": "ripple-workshop", "version": 1,
           "workshop": {"id": str(uuid.uuid4()), "title": "Bench", "started_at": start.isoformat()},
           "participants": people, "agenda": agenda, "contributions": rows, "clips": [], "reactions": []}
    return doc | _role_plays(doc, rounds, start) | _followup(people[:commitments], start)


def _role_plays(doc: dict[str, Any], rounds: int, start: datetime) -> dict[str, Any]:
    if not rounds:
        return {}
    people = doc["participants"]
    play = {"id": str(uuid.uuid4()), "kind": "role_play", "title": "Price objection", "minutes": 40}
    doc["agenda"].append(play)
    scenario = {"id": str(uuid.uuid4()), "agenda_item": play["id"], "title": "Objections", "situation": "",
                "roles": [{"key": "seller", "name": "Seller", "public": "", "brief": ""},
                          {"key": "customer", "name": "Customer", "public": "", "brief": ""}],
                "phases": [{"name": "Play", "minutes": 5}, {"name": "Debrief", "minutes": 3}],
                "rubric": [{"id": c, "label": c.replace("_", " ").title(), "channel": "verbal", "scale": 5}
                           for c in ("eye_contact", "next_step", "pace")]}
    out: dict[str, Any] = {"scenarios": [scenario], "rounds": [], "markers": [], "ratings": []}
    for i in range(rounds):
        trio = [people[(3 * i + k) % len(people)]["id"] for k in range(3)]
        rnd = {"id": str(uuid.uuid4()), "scenario": scenario["id"], "group": i // 10, "number": i % 10 + 1,
               "cast": [{"role": r, "participant": p} for r, p in zip(("seller", "customer", "observer"), trio, strict=True)],
               "started_at": (start + timedelta(minutes=i)).isoformat(), "clip": None}
        out["rounds"].append(rnd)
        out["markers"] += [{"id": str(uuid.uuid4()), "round": rnd["id"], "at_s": 3.5 * (k + 1), "criterion": "pace",
                            "polarity": "strength", "by": trio[2], "note": "good"} for k in range(2)]
        out["ratings"] += [{"id": str(uuid.uuid4()), "round": rnd["id"], "rater": trio[2], "player": trio[0],
                            "criterion": c, "score": 4, "comment": ""} for c in ("eye_contact", "next_step", "pace")]
    return out


def _followup(people: list[dict[str, Any]], start: datetime) -> dict[str, Any]:
    if not people:
        return {}
    commitments = [{"id": str(uuid.uuid4()), "participant": p["id"], "text": "Ask one open question per call",
                    "buddy": people[(i + 1) % len(people)]["id"] if len(people) > 1 else None,
                    "check_ins_due": ["2026-12-22"], "at": start.isoformat()} for i, p in enumerate(people)]
    check_ins = [{"id": str(uuid.uuid4()), "commitment": c["id"], "at": (start + timedelta(days=7)).isoformat(),
                  "rating": 7, "note": "twice this week"} for c in commitments]
    return {"commitments": commitments, "check_ins": check_ins}


def ratio_line(what: str, ours: tuple[float, float], floor: tuple[float, float]) -> tuple[str, bool]:
    rt, rm = ours[0] / max(floor[0], 1e-9), ours[1] / max(floor[1], 1e-9)
    ok = rt <= TIME_TARGET and rm <= MEMORY_TARGET
    return (f"  {what}: {ours[0]:.2f} s, {ours[1]:.0f} MB peak = {rt:.1f}x time (target {TIME_TARGET:g}x), "
            f"{rm:.1f}x memory (target {MEMORY_TARGET:g}x){'' if ok else '  <-- over target'}"), ok


def bench_roster(folder: Path, people: int) -> bool:
    data = roster_bytes(people)
    path = folder / "roster.csv"
    path.write_bytes(data)
    floor = measured(lambda: list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""))))
    ours = measured(lambda: parse_roster(path))
    print(f"Roster of {people:,} rows ({len(data) / 1e6:.1f} MB)")
    print(f"  csv module: {floor[0]:.2f} s, {floor[1]:.0f} MB peak")
    line, ok = ratio_line("parse_roster", ours[:2], floor[:2])
    print(line)
    url = f"sqlite:///{folder / 'roster.db'}"
    store = Store.open(url)
    wid = create_workshop(store, "Bench roster")
    idle = idle_tap(url)
    clock = LockClock(store)
    with TapProbe(url) as probe:
        started = time.perf_counter()
        import_roster(store, wid, ours[2])
        total = time.perf_counter() - started
    store.close()
    lock_ok = probe.longest() - idle <= LOCK_TARGET_S
    print(f"  import into SQLite: {total:.1f} s ({people / total:,.0f} rows/s)")
    print(clock.line()[0])
    print(f"  longest tap meanwhile: {probe.longest() * 1000:.0f} ms (99% within {probe.p99() * 1000:.0f} ms) "
          f"over {len(probe.waits):,} taps "
          f"(idle store: {idle * 1000:.0f} ms; target: at most {LOCK_TARGET_S * 1000:.0f} ms more)"
          + ("" if lock_ok else "  <-- over target"))
    return ok and lock_ok


def bench_workshop(folder: Path, contributions: int, rounds: int = 0, commitments: int = 0) -> bool:
    path = folder / "workshop.json"
    path.write_text(json.dumps(workshop_document(contributions, rounds, commitments)))
    floor = measured(lambda: json.loads(path.read_bytes()))

    def ours_read() -> Any:
        with opened(path) as (doc, _find):
            return parse_document(doc)

    ours = measured(ours_read)
    print(f"Workshop file of {contributions:,} contributions, {rounds:,} role-play rounds (with casts, "
          f"{2 * rounds:,} markers, {3 * rounds:,} ratings), {commitments:,} commitments with a check-in each "
          f"({path.stat().st_size / 1e6:.0f} MB)")
    print(f"  json module: {floor[0]:.2f} s, {floor[1]:.0f} MB peak")
    line, ok = ratio_line("portable reader (whole check)", ours[:2], floor[:2])
    print(line)
    url = f"sqlite:///{folder / 'workshop.db'}"
    store = Store.open(url)
    tap_target(store)
    idle = idle_tap(url)
    idle_thread = idle_thread_tap(store)
    clock = LockClock(store)
    with TapProbe(url) as probe:
        started = time.perf_counter()
        import_workshop(store, path)
        total = time.perf_counter() - started
    print(f"  import into SQLite: {total:.1f} s ({contributions / total:,.0f} contributions/s)")
    lock, lock_ok = clock.line()
    print(lock)
    print(clock.steps())
    line, tap_ok = tap_line("another process", probe, idle)
    print(line)
    # Again into a fresh store, with the taps from a thread of this process.
    again = Store.open(f"sqlite:///{folder / 'workshop-2.db'}")
    tap_target(again)
    with ThreadTaps(again) as threaded:
        import_workshop(again, path)
    line, thread_ok = tap_line("a thread of the importer", threaded, idle_thread)
    print(line)
    store.close()
    again.close()
    # The thread's taps wait for the interpreter as well as the lock: reported, not a target
    # of the store's locking.
    del thread_ok
    return ok and lock_ok and tap_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--contributions", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2_000)
    parser.add_argument("--commitments", type=int, default=5_000)
    parser.add_argument("--only", choices=("roster", "workshop"), help="run one of the two")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ripple-bench-") as tmp:
        ok = True
        if args.only != "workshop":
            ok = bench_roster(Path(tmp), args.people)
        if args.only != "roster":
            ok = bench_workshop(Path(tmp), args.contributions, args.rounds, args.commitments) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
