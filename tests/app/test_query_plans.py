"""The queries the app runs on contributions most keep an index (issue #10 dropped the ones no
query used; this holds the ones that are used).

The statements are the ones the app really sends (recorded from the engine while the live
console loads and deletes, the analysis fingerprint runs, a sync batch is read and a store
opens), planned with SQLite's EXPLAIN QUERY PLAN on a populated store. SQLite only: a laptop
store has no ANALYZE statistics, so its planner chooses from the schema alone and the plan
is the same for ten rows and a million; PostgreSQL's choice depends on the table's size and
statistics, so a small test store would say nothing about the shared one.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.queries.kept_analyses import fingerprints
from db.store import Store
from db.sync.rows import read_batch

_CONTRIBUTIONS = re.compile(r"\bcontributions\b")


@contextmanager
def _recorded() -> Iterator[list[str]]:
    """Every SELECT on contributions SQLite runs inside the block, its values written in.

    SQLite's own trace, so the statements sent straight to the driver's cursor (a sync
    batch, db/sql.fetch_rows) are there too; set on each connection the block takes from a
    pool, taken off again at the end."""
    seen: list[str] = []
    traced: list[sqlite3.Connection] = []

    def record(statement: str) -> None:
        if statement.lstrip().upper().startswith("SELECT") and _CONTRIBUTIONS.search(statement):
            seen.append(statement)

    def trace(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(record)
            traced.append(dbapi_connection)

    event.listen(Pool, "checkout", trace)
    try:
        yield seen
    finally:
        event.remove(Pool, "checkout", trace)
        for con in traced:
            try:
                con.set_trace_callback(None)
            except sqlite3.ProgrammingError:
                pass  # closed since (a store opened and closed inside the block)


def _plans(path: Path, statements: list[str]) -> list[list[str]]:
    con = sqlite3.connect(path)
    try:
        return [[row[3] for row in con.execute(f"EXPLAIN QUERY PLAN {sql}")] for sql in statements]
    finally:
        con.close()


def _scans_contributions(plan: list[str]) -> bool:
    """A step that reads contributions row by row without an index."""
    return any(re.match(r"SCAN contributions\b", step) and "INDEX" not in step for step in plan)


@pytest.fixture
def populated(tmp_path: Path) -> Iterator[tuple[Store, Path, uuid.UUID, LiveWorkshop]]:
    path = tmp_path / "store.db"
    store = Store.open(f"sqlite:///{path}")
    lives = []
    for w in range(3):
        wid = create_workshop(store, f"W{w}")
        add_agenda_item(store, wid, "challenge", "C", minutes=10)
        people = [add_participant(store, wid, name) for name in ("Ana", "Ben", "Chloé")]
        live = LiveWorkshop(store, wid)
        first = live.log(people[0])
        for i in range(20):
            live.log(people[i % 3], builds_on=first.id if i % 5 == 4 and i % 3 else None)
        lives.append((wid, live))
    try:
        yield store, path, lives[0][0], lives[0][1]
    finally:
        store.close()


def _one(path: Path, action: Callable[[], object]) -> list[list[str]]:
    with _recorded() as seen:
        action()
    assert seen, "the action sent no query on contributions"
    return _plans(path, seen)


def test_the_live_console_reads_a_workshop_in_time_order_from_an_index(
    populated: tuple[Store, Path, uuid.UUID, LiveWorkshop],
) -> None:
    store, path, wid, _ = populated
    plans = _one(path, lambda: LiveWorkshop(store, wid))
    load = [p for p in plans if any("ix_contributions_workshop_at_seq" in step for step in p)]
    assert load, plans
    assert not any("TEMP B-TREE" in step for p in load for step in p), load  # the index gives the order
    assert not any(_scans_contributions(p) for p in plans), plans


def test_deleting_a_contribution_finds_what_built_on_it_by_index(
    populated: tuple[Store, Path, uuid.UUID, LiveWorkshop],
) -> None:
    _, path, _, live = populated
    target = live.contributions()[0].id
    plans = _one(path, lambda: live.delete(target))
    assert any("ix_contributions_builds_on_id" in step for p in plans for step in p), plans
    assert not any(_scans_contributions(p) for p in plans), plans


def test_the_analysis_fingerprint_is_one_pass_over_a_covering_index(
    populated: tuple[Store, Path, uuid.UUID, LiveWorkshop],
) -> None:
    store, path, wid, _ = populated

    def run() -> None:
        with store.read() as s:
            assert fingerprints(s, [str(wid)])[str(wid)]

    plans = _one(path, run)
    steps = [step for p in plans for step in p if re.search(r"\bcontributions\b", step)]
    assert steps == ["SCAN contributions USING COVERING INDEX ix_contributions_workshop_at_seq"], plans


def test_a_sync_batch_and_the_clock_at_open_read_contributions_by_index(
    populated: tuple[Store, Path, uuid.UUID, LiveWorkshop],
) -> None:
    store, path, _, _ = populated

    def batch() -> None:
        with store.snapshot() as conn:
            assert read_batch(conn, after=0, limit=10).rows["contributions"]

    plans = _one(path, batch)
    assert any("ix_contributions_seq" in step for p in plans for step in p), plans
    assert not any(_scans_contributions(p) for p in plans), plans

    plans = _one(path, lambda: Store.open(f"sqlite:///{path}").close())
    assert any("COVERING INDEX ix_contributions_hlc" in step for p in plans for step in p), plans
    assert not any(_scans_contributions(p) for p in plans), plans
