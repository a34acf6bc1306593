"""The trust rules for merges (PRODUCT.md), end to end through the app's own calls, on a
shared SQLite file and on PostgreSQL: edits of different fields both stick, a stale grant
never undoes a withdrawal, an informed one does, an old file never rewinds or revives
anything, and groups never double."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, delete_agenda_item, set_groups
from app.planning.participants import add_participant, set_consent, update_participant
from app.planning.workshops import create_workshop, load_plan, update_workshop
from app.portable.apply import import_workshop
from app.portable.write import export_workshop
from db.models import AgendaGroup, Contribution, Participant
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import skew_clock, state

HOUR_MS = 3_600_000


def _shared(remote_url: str, laptops: Callable[..., Store]) -> tuple[Store, Store, Store]:
    return laptops("a"), laptops("b"), open_remote(remote_url)


def _consent(store: Store, pid: object) -> tuple[bool, bool, bool]:
    with store.read() as s:
        p = s.get(Participant, pid)
        assert p is not None
        return p.consent_video, p.consent_community, p.consent_analytics


def test_edits_of_different_fields_on_two_laptops_both_stick(remote_url: str, laptops: Callable[..., Store]) -> None:
    a, b, remote = _shared(remote_url, laptops)
    wid = create_workshop(a, "Kick-off")
    carla = add_participant(a, wid, "Carla", email="carla@example.org")
    sync(a, remote)
    sync(b, remote)
    update_participant(b, carla, team="Service")  # B changes the team
    set_consent(a, carla, analytics=True, by="Marta")  # A, later, her consent
    update_workshop(a, wid, notes="bring markers")
    update_workshop(b, wid, location="Room 2")
    for store in (b, a, b):
        sync(store, remote)
    for store in (a, b, remote):
        plan = load_plan(store, wid)
        assert plan.participants[0].team == "Service" and plan.participants[0].consent.analytics
        assert (plan.notes, plan.location) == ("bring markers", "Room 2")
    assert state(a) == state(b) == state(remote)


def test_a_stale_grant_never_undoes_a_withdrawal_whatever_the_clocks(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b, remote = _shared(remote_url, laptops)
    skew_clock(b, 3 * HOUR_MS)  # B's clock is hours ahead: its grant is "later" by the clock
    wid = create_workshop(a, "Negotiation")
    hana = add_participant(a, wid, "Hana", email="hana@example.org")
    set_consent(a, hana, video=True, analytics=True, by="Marta")
    sync(a, remote)
    sync(b, remote)
    stale_view = load_plan(b, wid).participants[0].consent  # B's form is drawn now
    set_consent(a, hana, analytics=False, by="Hana by e-mail")  # she withdraws, on A
    sync(a, remote)
    sync(b, remote)
    # B's form, drawn before the withdrawal arrived, grants analytics again (a stale click).
    result = set_consent(b, hana, analytics=True, by="Marta", seen=stale_view.withdrawals_seen)
    assert result.analytics is False  # the withdrawal wins, and the caller is told
    for store in (b, a, b):
        sync(store, remote)
    for store in (a, b, remote):
        assert _consent(store, hana)[2] is False
    # A form that did not touch consent writes none: a team edit leaves it as it is.
    update_participant(b, hana, team="Retail")
    sync(b, remote)
    assert _consent(remote, hana)[2] is False
    # Asked again in person, having seen the withdrawal: an informed re-grant restores it.
    informed = load_plan(b, wid).participants[0].consent
    assert set_consent(b, hana, analytics=True, by="Marta", seen=informed.withdrawals_seen).analytics
    for store in (b, a):
        sync(store, remote)
    assert all(_consent(s, hana)[2] for s in (a, b, remote))
    assert state(a) == state(b) == state(remote)


def test_an_old_file_never_rewinds_an_edit_nor_revives_a_deleted_row(tmp_path: Path, sqlite_store: Store) -> None:
    store = sqlite_store
    wid = create_workshop(store, "Old title")
    item = add_agenda_item(store, wid, "challenge", "Challenge 1", minutes=10)
    gone = add_agenda_item(store, wid, "debrief", "Debrief")
    ana = add_participant(store, wid, "Ana", email="ana@example.org")
    set_consent(store, ana, video=True, analytics=True, by="Marta")
    old = tmp_path / "old.json"
    export_workshop(store, wid, old)

    update_workshop(store, wid, title="Renamed later")
    from app.planning.agenda import update_agenda_item

    update_agenda_item(store, item, minutes=25)
    delete_agenda_item(store, gone)
    set_consent(store, ana, analytics=False, by="Ana")

    result = import_workshop(store, old)
    plan = load_plan(store, wid)
    assert plan.title == "Renamed later"
    assert [(a.title, a.minutes) for a in plan.agenda] == [("Challenge 1", 25)]
    assert plan.participants[0].consent.analytics is False
    assert "Kept" in result.summary() and "title" in result.summary()
    assert "deleted here" in result.summary()
    again = import_workshop(store, old)
    assert again.changes.total == 0


def test_an_old_file_imported_elsewhere_loses_to_newer_edits_at_the_next_sync(
    tmp_path: Path, remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b, remote = _shared(remote_url, laptops)
    wid = create_workshop(a, "Kick-off")
    add_agenda_item(a, wid, "challenge", "Challenge 1", minutes=10)
    old = tmp_path / "old.json"
    export_workshop(a, wid, old)
    update_workshop(a, wid, title="Marta's newer title")
    sync(a, remote)
    import_workshop(b, old)  # B never synced: the file's rows are new there
    for store in (b, a, b):
        sync(store, remote)
    assert {load_plan(s, wid).title for s in (a, b, remote)} == {"Marta's newer title"}
    assert state(a) == state(b) == state(remote)


def test_groups_never_double_across_export_import_and_sync(
    tmp_path: Path, remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b, remote = _shared(remote_url, laptops)
    wid = create_workshop(a, "Groups")
    item = add_agenda_item(a, wid, "challenge", "In pairs")
    people = [add_participant(a, wid, n, email=f"{n}@example.org") for n in "wxyz"]
    set_groups(a, item, [people[:2], people[2:]])
    path = tmp_path / "w.json"
    export_workshop(a, wid, path)
    import_workshop(b, path)
    import_workshop(b, path)
    for store in (a, b, a):
        sync(store, remote)
    for store in (a, b, remote):
        with store.read() as s:
            assert len(list(s.query(AgendaGroup).filter_by(agenda_item_id=item))) == 2


def test_a_workshops_own_export_always_imports_after_deletes_on_any_laptop(
    tmp_path: Path, remote_url: str, laptops: Callable[..., Store]
) -> None:
    from app.live import LiveWorkshop

    a, b, remote = _shared(remote_url, laptops)
    wid = create_workshop(a, "Deletes")
    first = add_agenda_item(a, wid, "challenge", "Challenge 1")
    add_agenda_item(a, wid, "debrief", "Debrief")
    people = [add_participant(a, wid, n, email=f"{n}@example.org") for n in ("ana", "ben")]
    live = LiveWorkshop(a, wid)
    live.start()
    seed = live.log(people[0], "spontaneous").id
    sync(a, remote)
    sync(b, remote)
    # B builds on A's share while A deletes it, and A deletes the item the shares are in.
    LiveWorkshop(b, wid).log(people[1], "spontaneous", builds_on=seed)
    live.undo()
    delete_agenda_item(a, first)
    for store in (a, b, a):
        sync(store, remote)
    for name, store in (("a", a), ("b", b)):
        path = tmp_path / f"{name}.json"
        export_workshop(store, wid, path)
        fresh = laptops(f"fresh-{name}")
        result = import_workshop(fresh, path)  # its own export never refuses
        assert result.changes.total > 0
        assert import_workshop(store, path).changes.total == 0


def test_a_sync_warns_when_the_laptops_clock_is_off(pg_url: str, laptops: Callable[..., Store]) -> None:
    from db.sync.report import clock_note

    a = laptops("a")
    remote = open_remote(pg_url)
    create_workshop(a, "On time")
    assert "clock" not in sync(a, remote).summary()
    skew_clock(a, -3 * HOUR_MS)
    report = sync(a, remote)
    assert report.clock_offset_s is not None and report.clock_offset_s < -3 * 3600 + 60
    assert "This laptop's clock is 3 h 0 min behind the shared store's" in report.summary()
    assert clock_note(30.0) == "" and "ahead of" in clock_note(600.0)


def test_an_edit_of_what_a_file_brought_beats_the_files_versions_whatever_the_clocks(
    tmp_path: Path, remote_url: str, laptops: Callable[..., Store]
) -> None:
    # Found by the state machine: A, its clock 3 h behind, imported B's file and deleted a
    # share in it; the share came back at the next sync, since the file's rows carry no
    # version and A's delete was stamped 3 h before B had logged it. A laptop that has read
    # a file has seen everything in it: its later edits are stamped after the file's clock.
    a, b, remote = _shared(remote_url, laptops)
    skew_clock(a, -3 * HOUR_MS)
    wid = create_workshop(b, "Kick-off")
    add_agenda_item(b, wid, "challenge", "Challenge 1", minutes=10)
    ana = add_participant(b, wid, "Ana", email="ana@example.org")
    live = LiveWorkshop(b, wid)
    live.next()
    share = live.log(ana, "spontaneous").id
    sync(b, remote)
    path = tmp_path / "kick-off.json"
    export_workshop(b, wid, path)
    import_workshop(a, path)  # A never synced
    LiveWorkshop(a, wid).delete(share)
    update_workshop(a, wid, title="A's title")
    for store in (a, b, a):
        sync(store, remote)
    for store in (a, b, remote):
        with store.read() as s:
            row = s.get(Contribution, share, execution_options={"include_deleted": True})
            assert row is not None and row.deleted_at is not None
        assert load_plan(store, wid).title == "A's title"
    assert state(a) == state(b) == state(remote)


def test_a_file_carries_its_writers_clock_past_what_that_laptop_pulled(
    tmp_path: Path, remote_url: str, laptops: Callable[..., Store]
) -> None:
    # B's own clock is right, but it pulled C's edit made 3 h ahead: the file it writes is
    # behind its content by its wall clock, not by its version stamp, which it carries.
    a, b, c = laptops("a"), laptops("b"), laptops("c", skew_ms=3 * HOUR_MS)
    remote = open_remote(remote_url)
    wid = create_workshop(c, "Kick-off")
    update_workshop(c, wid, title="C's title")
    sync(c, remote)
    sync(b, remote)
    path = tmp_path / "kick-off.json"
    export_workshop(b, wid, path)
    import_workshop(a, path)
    update_workshop(a, wid, title="A's title, read from the file")
    for store in (a, b, c, a, b, c):
        sync(store, remote)
    assert {load_plan(s, wid).title for s in (a, b, c, remote)} == {"A's title, read from the file"}
