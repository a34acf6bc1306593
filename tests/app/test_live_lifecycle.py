"""A workshop's life in the console: finished is read-only until resumed; running one planned
for another day is asked first; undo and redo survive a restart."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.errors import RippleError
from app.live import LiveWorkshop
from app.live_history import UNDO_DEPTH
from app.planning.agenda import add_agenda_item
from app.planning.lifecycle import finished_reason, redate_question, runnable_workshops
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, load_plan, update_workshop
from db.models import Contribution
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote

DEC_3 = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def _setup(store: Store) -> tuple[uuid.UUID, list[uuid.UUID], list[uuid.UUID]]:
    wid = create_workshop(store, "Live", started_at=DEC_3)
    items = [add_agenda_item(store, wid, "challenge", f"C{i}", minutes=10) for i in range(2)]
    people = [add_participant(store, wid, name) for name in ("Ana", "Ben", "Chloé")]
    return wid, items, people


def _live_ids(store: Store, wid: uuid.UUID) -> list[uuid.UUID]:
    with store.read() as s:
        return list(s.scalars(select(Contribution.id).where(Contribution.workshop_id == wid)
                              .order_by(Contribution.at)))


# ------------------------------------------------------------ finished is read-only


def test_a_finished_workshop_takes_no_taps_moves_or_edits_until_resumed(store: Store) -> None:
    wid, items, (ana, ben, _c) = _setup(store)
    live = LiveWorkshop(store, wid, now=lambda: DEC_3)
    first = live.log(ana)
    live.finish()
    reason = "This workshop finished on 3 Dec. Resume it to log more."
    assert live.read_only_reason() == reason
    again = LiveWorkshop(store, wid, now=lambda: DEC_3 + timedelta(days=2))  # reopened later
    assert again.finished and again.read_only_reason() == reason
    refused = [lambda: again.log(ben), again.start, lambda: again.extend(1), again.next,
               lambda: again.go_to(items[1]), again.undo, again.redo, lambda: again.delete(first.id),
               lambda: again.edit(first.id, kind="failure"), again.take_over]
    for attempt in refused:
        with pytest.raises(RippleError, match=r"^This workshop finished on 3 Dec\. Resume it to log more\.$"):
            attempt()
    assert _live_ids(store, wid) == [first.id] and again.current_item_id == items[0]
    assert again.contribution(first.id).kind == "story"  # type: ignore[union-attr]
    assert again.last_logged() is None and not again.can_redo()  # the console's Undo is off

    again.resume()
    assert load_plan(store, wid).status == "live" and not again.finished and again.read_only_reason() == ""
    assert again.leads
    again.log(ben)
    assert len(_live_ids(store, wid)) == 2


def test_the_finished_reason_says_the_day_in_the_workshops_zone() -> None:
    late = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # already 4 Dec in Berlin
    assert finished_reason(late, 60, now=late) == "This workshop finished on 4 Dec. Resume it to log more."
    assert finished_reason(late, 0, now=late + timedelta(days=400)).startswith("This workshop finished on 3 Dec 2026.")
    assert finished_reason(None, 0) == "This workshop is finished. Resume it to log more."


# ------------------------------------------------------------ re-dating is asked first


def test_running_a_workshop_planned_for_another_day_is_asked_first() -> None:
    planned = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert redate_question("planned", planned, 0, now=DEC_3) == (
        "This workshop is planned for 10 Dec. Run it today and move it to 3 Dec?")
    assert redate_question("planned", planned, 0, now=planned - timedelta(hours=2)) is None  # today
    assert redate_question("live", planned, 0, now=DEC_3) is None  # already dated to its day
    assert redate_question("finished", planned, 0, now=DEC_3) is None
    # the days are the workshop's: 23:30 UTC on 9 Dec is 10 Dec in Berlin
    assert redate_question("planned", planned, 60, now=datetime(2026, 12, 9, 23, 30, tzinfo=UTC)) is None


def test_the_live_button_offers_live_then_todays_then_coming_workshops(store: Store) -> None:
    now = datetime.now(UTC)
    past = create_workshop(store, "Overdue", started_at=now - timedelta(days=3))
    later = create_workshop(store, "Next week", started_at=now + timedelta(days=7))
    soon = create_workshop(store, "Tomorrow", started_at=now + timedelta(days=1))
    today = create_workshop(store, "Today", started_at=now)
    done = create_workshop(store, "Done", started_at=now)
    update_workshop(store, done, status="finished")
    running = create_workshop(store, "Running", started_at=now - timedelta(days=1))
    update_workshop(store, running, status="live")
    assert [w.id for w in runnable_workshops(store, now)] == [running, today, soon, later, past]


# ------------------------------------------------------------ undo and redo survive a restart


def test_undo_after_a_restart_takes_back_the_last_entry_logged_here(store: Store) -> None:
    wid, _items, (ana, ben, chloe) = _setup(store)
    live = LiveWorkshop(store, wid)
    a, b, c = live.log(ana), live.log(ben), live.log(chloe)
    reopened = LiveWorkshop(store, wid)  # the app was closed (or killed) and opened again
    assert reopened.last_logged() == c
    assert reopened.undo() == c and reopened.undo() == b
    assert _live_ids(store, wid) == [a.id]
    assert LiveWorkshop(store, wid).undo() == a
    assert LiveWorkshop(store, wid).undo() is None and _live_ids(store, wid) == []


def test_undo_after_a_restart_reaches_back_twenty_entries(sqlite_store: Store) -> None:
    wid, _items, (ana, ben, _c) = _setup(sqlite_store)
    live = LiveWorkshop(sqlite_store, wid)
    logged = [live.log(ana if i % 2 else ben).id for i in range(UNDO_DEPTH + 5)]
    reopened = LiveWorkshop(sqlite_store, wid)
    taken = [reopened.undo() for _ in range(UNDO_DEPTH + 1)]
    assert [t.id for t in taken[:UNDO_DEPTH] if t] == logged[::-1][:UNDO_DEPTH] and taken[-1] is None
    assert _live_ids(sqlite_store, wid) == logged[:5]  # older ones stay: delete them in the Latest list


def test_redo_after_a_restart_brings_back_the_entry_and_its_links(store: Store) -> None:
    wid, _items, (ana, ben, chloe) = _setup(store)
    live = LiveWorkshop(store, wid)
    a = live.log(ana)
    b = live.log(ben, builds_on=a.id)
    live.delete(b.id)  # leave a alone on the undo stack
    b2 = live.log(chloe, builds_on=a.id)
    live.undo()  # b2
    live.undo()  # a: b2 is gone already; a's own links are kept for the redo
    assert _live_ids(store, wid) == []
    reopened = LiveWorkshop(store, wid)
    assert reopened.can_redo()
    back = reopened.redo()
    assert back is not None and back.id == a.id and _live_ids(store, wid) == [a.id]
    again = LiveWorkshop(store, wid)
    assert again.redo().id == b2.id  # type: ignore[union-attr]
    assert again.contribution(b2.id).builds_on_id == a.id  # type: ignore[union-attr]
    assert not again.can_redo() and again.redo() is None
    assert again.last_logged().id == b2.id  # type: ignore[union-attr]  # and Ctrl+Z may take it again


def test_a_new_entry_ends_redo_even_across_a_restart(sqlite_store: Store) -> None:
    wid, _items, (ana, ben, _c) = _setup(sqlite_store)
    live = LiveWorkshop(sqlite_store, wid)
    live.log(ana)
    live.undo()
    live.log(ben)
    assert not live.can_redo()
    assert not LiveWorkshop(sqlite_store, wid).can_redo()


def test_undo_never_takes_back_what_another_laptop_logged(remote_url: str, laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, _items, (ana, ben, _c) = _setup(a)
    mine = LiveWorkshop(a, wid).log(ana)
    sync(a, remote)
    sync(b, remote)
    theirs = LiveWorkshop(b, wid).log(ben)
    LiveWorkshop(b, wid).edit(mine.id, note="B wrote a note on A's entry")
    sync(b, remote)
    sync(a, remote)
    on_a = LiveWorkshop(a, wid)
    assert on_a.contribution(theirs.id) is not None
    gone = on_a.undo()  # B's note on it does not make A's entry B's
    assert gone is not None and gone.id == mine.id
    assert _live_ids(a, wid) == [theirs.id]  # A's own entry went; B's stays
    assert LiveWorkshop(a, wid).undo() is None
    remote.close()


def test_redo_is_refused_when_the_entry_changed_after_the_undo(remote_url: str, laptops) -> None:  # type: ignore[no-untyped-def]
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, _items, (ana, _b, _c) = _setup(a)
    logged = LiveWorkshop(a, wid).log(ana)
    sync(a, remote)
    sync(b, remote)
    LiveWorkshop(a, wid).undo()
    LiveWorkshop(b, wid).edit(logged.id, note="edited on B, after A's undo")  # B had not seen it
    sync(b, remote)
    sync(a, remote)
    reopened = LiveWorkshop(a, wid)
    assert reopened.can_redo()
    with pytest.raises(RippleError, match="changed after it was undone"):
        reopened.redo()
    assert not reopened.can_redo() and _live_ids(a, wid) == []  # nothing revived by a stale redo
    remote.close()
