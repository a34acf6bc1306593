"""Two and three laptops syncing through the shared store (a SQLite file and the live
PostgreSQL): nothing lost, nothing doubled, the same data everywhere."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, delete_agenda_item, set_groups, update_agenda_item
from app.planning.participants import add_participant, update_participant
from app.planning.workshops import (
    create_workshop,
    delete_workshop,
    list_workshops,
    load_plan,
    update_workshop,
)
from db.errors import StoreError
from db.models import Contribution, Participant, SyncPushMark, SyncRemote, Workshop
from db.store import Store
from db.sync.engine import local_state, sync
from db.sync.remote import open_remote
from tests.helpers.sync import state

HOUR_MS = 3_600_000


def _plan(store: Store) -> tuple[uuid.UUID, list[uuid.UUID], list[uuid.UUID]]:
    wid = create_workshop(store, "Negotiation lab", facilitator="Ana Ruiz", team="Sales")
    items = [add_agenda_item(store, wid, "challenge", f"Challenge {i}") for i in range(2)]
    people = [
        add_participant(store, wid, name, email=f"{name.lower()}@example.org")
        for name in ("Ana", "Ben", "Chloe", "Dev")
    ]
    set_groups(store, items[0], [people[:2], people[2:]])
    return wid, items, people


def test_two_laptops_log_the_same_workshop_offline_and_end_identical(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, _items, people = _plan(a)
    sync(a, remote)
    sync(b, remote)
    assert state(b) == state(a)

    # The day itself: both co-facilitators log on their own laptop, offline.
    la, lb = LiveWorkshop(a, wid), LiveWorkshop(b, wid)
    la.next()
    la.start()
    lb.next()
    mine = [la.log(people[i % 4], "spontaneous").id for i in range(30)]
    theirs = [lb.log(people[i % 4], "prompted").id for i in range(20)]
    first = mine[0]
    la.log(people[1], "spontaneous", builds_on=first)
    lb.undo()  # B takes back a mis-tap: a tombstone that must travel too
    # Both add the same late-comer: the same deterministic id, so one person, one membership.
    add_participant(a, wid, "Eve", email="eve@example.org")
    add_participant(b, wid, "Eve", email="eve@example.org")
    update_workshop(a, wid, notes="Great energy")
    update_workshop(b, wid, location="Room 2")

    for _ in range(2):
        sync(a, remote)
        sync(b, remote)
    assert state(a) == state(b) == state(remote)

    logged = {c.id for c in LiveWorkshop(a, wid).contributions()}
    assert logged == set(mine) | set(theirs[:-1]) | {c for c in logged if c not in mine + theirs}
    assert len(logged) == 30 + 19 + 1
    plan = load_plan(b, wid)
    assert sorted(p.name for p in plan.participants) == ["Ana", "Ben", "Chloe", "Dev", "Eve"]
    with remote.read() as s:
        w = s.get(Workshop, wid)
        assert w is not None
        # Last writer wins per field: A's notes and B's location are both kept.
        assert (w.location, w.notes) == ("Room 2", "Great energy")
    assert local_state(a).waiting == 0 and local_state(b).waiting == 0
    remote.close()


def test_three_laptops_round_trip(remote_url: str, laptops: Callable[..., Store]) -> None:
    a, b, c = laptops("a"), laptops("b"), laptops("c")
    remote = open_remote(remote_url)
    made = {}
    for name, store in (("a", a), ("b", b), ("c", c)):
        wid = create_workshop(store, f"Workshop from {name}")
        pid = add_participant(store, wid, f"Person {name}", email=f"{name}@example.org")
        add_agenda_item(store, wid, "debrief", "Debrief")
        live = LiveWorkshop(store, wid)
        live.next()
        for _ in range(5):
            live.log(pid, "spontaneous")
        made[name] = wid
    for store in (a, b, c, a, b):
        sync(store, remote)
    assert state(a) == state(b) == state(c) == state(remote)
    assert {w.title for w in list_workshops(c)} == {f"Workshop from {n}" for n in "abc"}
    assert sum(w.contributions for w in list_workshops(b)) == 15
    remote.close()


def test_a_repeated_batch_is_a_no_op(remote_url: str, laptops: Callable[..., Store]) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    _plan(a)
    first = sync(a, remote)
    assert first.sent > 0
    sync(b, remote)
    before = state(remote)
    # Forget both watermarks: everything is sent and fetched again, and nothing changes.
    with remote.engine.begin() as conn:
        conn.execute(SyncPushMark.__table__.delete())
    with b.engine.begin() as conn:
        conn.execute(SyncRemote.__table__.delete())
    again = sync(a, remote, batch_rows=3)
    assert again.sent == 0 and again.received == 0
    pulled = sync(b, remote, batch_rows=3)
    assert pulled.received == 0
    assert state(remote) == before == state(b)
    remote.close()


def test_small_batches_bring_parents_along(remote_url: str, laptops: Callable[..., Store]) -> None:
    """Children committed before their parents' latest edit: a batch cut between them must
    still carry the parents, or the shared store (and the puller) would hold orphans."""
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, items, people = _plan(a)
    live = LiveWorkshop(a, wid)
    live.next()
    logged = [live.log(people[i % 4], "spontaneous").id for i in range(7)]
    live.log(people[1], "spontaneous", builds_on=logged[0])
    # Now the parents get newer versions (higher seqs) than their children.
    update_workshop(a, wid, title="Renamed after the fact")
    update_participant(a, people[0], name="Ana María")
    update_agenda_item(a, items[0], title="Warm-up")
    report = sync(a, remote, batch_rows=2)
    assert report.sent >= 8
    sync(b, remote, batch_rows=2)
    assert state(a) == state(b) == state(remote)
    with b.engine.connect() as conn:
        assert list(conn.exec_driver_sql("PRAGMA foreign_key_check")) == []
    remote.close()


def test_deletions_travel_as_tombstones(remote_url: str, laptops: Callable[..., Store]) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, items, _people = _plan(a)
    sync(a, remote)
    sync(b, remote)
    delete_agenda_item(b, items[1])
    sync(b, remote)
    delete_workshop(a, wid)
    sync(a, remote)
    sync(b, remote)
    assert list_workshops(b) == [] and list_workshops(a) == []
    with b.read() as s:
        row = s.get(Workshop, wid, execution_options={"include_deleted": True})
        assert row is not None and row.deleted_at is not None
    assert state(a) == state(b) == state(remote)
    remote.close()


def test_a_laptop_hours_ahead_does_not_win_forever(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a = laptops("a")
    b = laptops("b", skew_ms=5 * HOUR_MS)  # B's clock runs five hours fast
    remote = open_remote(remote_url)
    wid, _items, _people = _plan(a)
    sync(a, remote)
    sync(b, remote)

    update_workshop(b, wid, title="B's title (clock 5 h ahead)")
    sync(b, remote)
    update_workshop(a, wid, title="A's title, later in real time")
    sync(a, remote)
    sync(b, remote)
    # A had not seen B's version when it wrote: the higher version wins, the same everywhere.
    titles = {load_plan(s, wid).title for s in (a, b)}
    assert titles == {"B's title (clock 5 h ahead)"}

    # But A has now seen it: A's next edit wins although A's wall clock is five hours behind.
    update_workshop(a, wid, title="A's second thought")
    sync(a, remote)
    sync(b, remote)
    assert {load_plan(s, wid).title for s in (a, b)} == {"A's second thought"}
    assert state(a) == state(b) == state(remote)
    remote.close()


def test_a_laptop_hours_behind_still_gets_its_later_edits_through(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a = laptops("a")
    c = laptops("c", skew_ms=-3 * HOUR_MS)
    remote = open_remote(remote_url)
    _wid, _items, people = _plan(a)
    update_participant(a, people[2], team="Retail")
    sync(a, remote)
    sync(c, remote)
    update_participant(c, people[2], team="Wholesale")
    sync(c, remote)
    sync(a, remote)
    with a.read() as s:
        p = s.get(Participant, people[2])
        assert p is not None and p.team == "Wholesale"
    assert state(a) == state(c) == state(remote)
    remote.close()


def test_schema_older_or_newer_than_this_ripple(remote_url: str) -> None:
    from db.connect import make_engine
    from db.migrate import head_revision, run_alembic

    engine = make_engine(remote_url)
    run_alembic(engine, "upgrade", "0002")
    engine.dispose()
    with pytest.raises(StoreError, match=r"older schema \(0002\).*`ripple sync --upgrade-remote`"):
        open_remote(remote_url)
    upgraded = open_remote(remote_url, upgrade=True)
    assert upgraded.schema_state() == (head_revision(), head_revision())
    with upgraded.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    upgraded.close()
    with pytest.raises(StoreError, match=r"newer Ripple \(schema 0099\); update Ripple on this laptop"):
        open_remote(remote_url)


def test_a_laptop_store_is_not_a_shared_store(laptops: Callable[..., Store], tmp_path: Path) -> None:
    a = laptops("a")
    same = open_remote(f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(StoreError, match="this laptop's own store"):
        sync(a, same)
    same.close()


def test_counts_per_table_in_the_report(remote_url: str, laptops: Callable[..., Store]) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, _items, people = _plan(a)
    live = LiveWorkshop(a, wid)
    live.next()
    for p in people:
        live.log(p, "spontaneous")
    sent = sync(a, remote)
    assert sent.pushed["contributions"] == 4 and sent.pushed["workshops"] == 1
    assert "Sent" in sent.summary() and "4 contributions" in sent.summary()
    got = sync(b, remote)
    assert got.pulled == sent.pushed
    assert "received 4" not in got.summary() and "contributions" in got.summary()
    assert sync(b, remote).summary().startswith("Already in sync")
    with b.read() as s:
        assert len(list(s.scalars(select(Contribution)))) == 4
    remote.close()


def test_switching_to_a_new_shared_store_brings_everything(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    """Rows a laptop pulled from its old shared store reach the new one too."""
    a, b = laptops("a"), laptops("b")
    old = open_remote(f"sqlite:///{tmp_path / 'old-share.db'}")
    _plan(a)
    sync(a, old)
    sync(b, old)  # B now holds A's rows, pulled (not written) there
    create_workshop(b, "B's own")
    new = open_remote(remote_url)
    sync(b, new)
    assert state(new) == state(b)
    assert {w.title for w in list_workshops(new)} == {"Negotiation lab", "B's own"}
    sync(a, new)
    assert state(a) == state(b) == state(new)
    old.close()
    new.close()


def test_an_edit_beats_the_version_it_was_made_on_even_from_another_process(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    """The app is open while `ripple sync` (another process) brings in a row stamped by a
    laptop whose clock runs ahead: the app's next edit of that row must still win."""
    a = laptops("a")
    b = laptops("b", skew_ms=6 * HOUR_MS)
    remote = open_remote(remote_url)
    wid, _items, _people = _plan(b)
    sync(b, remote)
    app = a
    script = Store.open(str(a.url))  # the same laptop store, opened by another process
    sync(script, remote)
    update_workshop(app, wid, title="Edited in the app after the sync")
    sync(app, remote)
    sync(b, remote)
    assert {load_plan(s, wid).title for s in (a, b)} == {"Edited in the app after the sync"}
    script.close()
    remote.close()


def test_a_shared_store_restored_from_an_older_backup_catches_up(
    laptops: Callable[..., Store], tmp_path: Path
) -> None:
    """The admin restores last night's copy: laptops send again what it lost, and a laptop
    that synced after the backup still receives what others send from then on."""
    import shutil

    from db.models import Workshop
    from db.sync.engine import sync
    from db.sync.remote import open_remote

    share = tmp_path / "share"
    share.mkdir()
    url = f"sqlite:///{share / 'ripple.db'}"
    a, c = laptops("a"), laptops("c")
    create_workshop(a, "Before the backup")
    remote = open_remote(url)
    sync(a, remote)
    remote.close()
    shutil.copy(share / "ripple.db", tmp_path / "backup.db")
    for i in range(5):
        create_workshop(a, f"After the backup {i}")
    remote = open_remote(url)
    sync(a, remote)
    remote.close()

    shutil.copy(tmp_path / "backup.db", share / "ripple.db")  # the restore
    create_workshop(c, "New laptop after the restore")
    remote = open_remote(url)
    sync(c, remote)
    report = sync(a, remote)
    assert report.restored and "restored from a backup" in report.summary()
    assert report.pushed["workshops"] == 5  # what the backup had lost came back
    sync(c, remote)
    for store in (a, c):
        with store.read() as s:
            titles = set(s.scalars(select(Workshop.title)))
        assert "New laptop after the restore" in titles and "After the backup 4" in titles
    assert not sync(a, remote).restored
    remote.close()
