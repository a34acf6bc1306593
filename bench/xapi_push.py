"""Pushing a year of workshops to a local LRS, against posting the same statements with a bare
HTTP client, and a second push with nothing new.

    .venv/bin/python bench/xapi_push.py [--contributions 200000] [--batch 500]

Builds a store of generated workshops (the candidate export's generator: 90 % of people
consent to analytics), builds its xAPI statements, and starts two Ralph LRSs on 127.0.0.1
(``ralph-malph[cli,lrs]==5.1.0`` in its own environment, file backend, as the tests do). Then:

* the *floor*: the same statements POSTed in the same batches to the second LRS by a bare
  client (one kept-alive ``http.client`` connection, no journal, no checks);
* ``app.xapi.push.push`` of the statements to the first LRS (journal, split and conflict
  handling included), timed the same way; the target is within 1.5x of the floor;
* ``app.xapi.service.push_period`` again with nothing new, end to end (fingerprints, journal,
  nothing rebuilt, nothing sent); the target is under 2 s.

Ralph's file backend reads its whole statements file for every POST (to find ids it already
holds), so the LRS side grows with the square of the statements; both pushes pay it alike.
A full year (about 230,000 statements) takes a long while on a two-core laptop for that
reason; ``--contributions 20000`` gives the ratio in a minute or two.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from export_candidates import generate  # noqa: E402

from app.xapi.push import Credentials, Journal, push  # noqa: E402
from app.xapi.service import push_period  # noqa: E402
from app.xapi.statements import XapiRequest, build_statements  # noqa: E402
from db.store import Store  # noqa: E402
from tests.helpers.lrs import Lrs, ralph_bin, start_ralph, stop_ralph  # noqa: E402

HOME = "https://learning.example.org"


def bare_post(lrs: Lrs, statements: list[dict[str, object]], batch: int) -> float:
    """Seconds to POST the statements in batches over one kept-alive connection."""
    parts = urllib.parse.urlsplit(lrs.url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=300)
    auth = "Basic " + base64.b64encode(f"{lrs.key}:{lrs.secret}".encode()).decode()
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    started = time.perf_counter()
    for i in range(0, len(statements), batch):
        conn.request("POST", parts.path + "statements", json.dumps(statements[i:i + batch]), headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status not in (200, 204):
            raise SystemExit(f"the bare client got HTTP {resp.status}")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--contributions", type=int, default=200_000)
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ripple-xapi-bench-"))
    store = Store.open(f"sqlite:///{tmp / 'store.db'}")
    t = time.perf_counter()
    counts = generate(store, args.contributions)
    print(f"store: {counts} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    statements = build_statements(store, XapiRequest(), HOME)
    print(f"statements: {len(statements):,} built in {time.perf_counter() - t:.1f} s")
    exe = ralph_bin(give_up=False)
    (tmp / "a").mkdir()
    (tmp / "b").mkdir()
    lrs_a, proc_a = start_ralph(tmp / "a", exe)
    lrs_b, proc_b = start_ralph(tmp / "b", exe)
    try:
        floor = bare_post(lrs_b, statements, args.batch)
        print(f"bare client:  {len(statements) / floor:8.0f} statements/s ({floor:.1f} s)")
        journal = Journal(tmp / "journal.sqlite3")
        report = push(statements, lrs_a.url, Credentials(lrs_a.key, lrs_a.secret), batch=args.batch, journal=journal)
        print(f"ripple push:  {report.sent / report.seconds:8.0f} statements/s ({report.seconds:.1f} s, "
              f"{report.batches} batches, {len(report.conflicts)} conflicts)")
        ratio = report.seconds / floor
        print(f"ratio: {ratio:.2f}x the bare client (target within 1.5x)")
        # The period push that follows: the first settles every workshop, the second has nothing new.
        creds = Credentials(lrs_a.key, lrs_a.secret)
        push_period(store, XapiRequest(), HOME, lrs_a.url, creds, batch=args.batch, journal=journal)
        t = time.perf_counter()
        again = push_period(store, XapiRequest(), HOME, lrs_a.url, creds, batch=args.batch, journal=journal)
        second = time.perf_counter() - t
        print(f"second push, nothing new: {second:.2f} s, {again.sent} sent, {again.skipped:,} skipped "
              "(target under 2 s)")
    finally:
        stop_ralph(proc_a)
        stop_ralph(proc_b)
        store.close()
    return 0 if ratio <= 1.5 and second < 2.0 and again.sent == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
