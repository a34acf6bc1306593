"""A push killed between its rows landing on the shared store and the renumbering of the
agendas they touched (db/sync/push.py): the shared store is left with two items at one
place, and the next sync of that laptop has nothing left to push. The laptop remembers how
far its pushes were renumbered (db/sync/positions.py ``renumbered_upto``), so its next sync
renumbers what the dead push touched, and every store ends with unique places in the one
order. Another laptop's sync leaves that agenda alone: it cannot tell a dead push from one
still under way, whose second half must not lose to a renumbering.

The kill is real: the laptop syncs in its own process (tests/helpers/sync_worker.py), which
SIGKILLs itself at that point."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from app.planning.agenda import add_agenda_item
from app.planning.workshops import create_workshop
from db.models import AgendaItem, agenda_order
from db.sql import fetch_rows
from db.store import Store
from db.sync.engine import sync
from db.sync.positions import ORDERED
from db.sync.remote import open_remote
from tests.helpers import REPO_ROOT
from tests.helpers.sync import state


def _untidy(conn: Connection) -> dict[str, set[Any]]:
    """The parents whose live ordered children are not at 0, 1, 2, … (after every renumbering
    none): one grouped scan of each ordered table."""
    out: dict[str, set[Any]] = {}
    dialect = conn.dialect.name
    for table, parent in ORDERED:
        column = f"replace({parent}::text, '-', '')" if dialect == "postgresql" else parent
        sql = (f"SELECT {column} FROM {table} WHERE deleted_at IS NULL GROUP BY {parent} "
               "HAVING count(*) <> count(DISTINCT position) OR min(position) <> 0 OR max(position) <> count(*) - 1")
        ids = {r[0] for r in fetch_rows(conn, sql, {})}
        if ids:
            out[table] = ids
    return out


def _places(store: Store, workshop: uuid.UUID) -> list[tuple[uuid.UUID, int]]:
    """(item, place) of the workshop's live items in the one order."""
    with store.read() as s:
        return [(i.id, i.position) for i in s.scalars(
            select(AgendaItem).where(AgendaItem.workshop_id == workshop).order_by(*agenda_order(AgendaItem)))]


def _sync_killed_before_renumber(local: Store, remote_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.sync_worker", str(local.url), remote_url, "--die-before-renumber"],
        capture_output=True, text=True, cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_a_push_killed_before_its_renumbering_is_repaired_by_the_next_sync(
    remote_url: str, tmp_path: Path
) -> None:
    remote = open_remote(remote_url)
    seeder = Store.open(f"sqlite:///{tmp_path / 'seeder.db'}")
    wid = create_workshop(seeder, "Killed renumber")
    for i in range(3):
        add_agenda_item(seeder, wid, "challenge", f"Item {i}")
    sync(seeder, remote)
    a, b = (Store.open(f"sqlite:///{tmp_path / f'{n}.db'}") for n in ("a", "b"))
    try:
        for store in (a, b):
            sync(store, remote)
        # Both add "at the end" offline: place 3 on each laptop.
        b_item = add_agenda_item(b, wid, "break", "B's break")
        a_item = add_agenda_item(a, wid, "debrief", "A's debrief")
        a.close()  # the worker process writes a's store
        sync(b, remote)
        _sync_killed_before_renumber(a, str(remote.url))
        a = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
        # The kill landed where it should: a's row arrived, the tie is there.
        tied = [p for _i, p in _places(remote, wid)]
        assert sorted(tied) == [0, 1, 2, 3, 3], tied
        with remote.engine.connect() as conn:
            assert set(_untidy(conn)) == {"agenda_items"}

        sync(b, remote)  # b has nothing to push, and a's agenda is not b's to renumber
        assert sorted(p for _i, p in _places(remote, wid)) == [0, 1, 2, 3, 3]
        sync(a, remote)  # a has nothing left to push either, but knows its push was not renumbered
        assert [p for _i, p in _places(remote, wid)] == [0, 1, 2, 3, 4]
        for store in (b, a):
            sync(store, remote)

        final = _places(remote, wid)
        assert {i for i, _p in final[3:]} == {a_item, b_item}
        for store in (a, b, remote):
            assert _places(store, wid) == final  # unique places, in the one order, everywhere
        assert state(a) == state(b) == state(remote)
        with remote.engine.connect() as conn:
            assert _untidy(conn) == {}
    finally:
        for store in (a, b, seeder):
            store.close()
        remote.close()
