"""The live console's domain: timer, agenda, one-tap logging, undo and edit, resume."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.errors import NotFound, RippleError
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, load_plan
from db.models import Contribution
from db.store import Store


class FakeClock:
    def __init__(self) -> None:
        self.t = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


def _setup(store: Store) -> tuple[uuid.UUID, list[uuid.UUID], list[uuid.UUID]]:
    wid = create_workshop(store, "Live")
    items = [add_agenda_item(store, wid, "challenge", f"C{i}", minutes=10) for i in range(3)]
    people = [add_participant(store, wid, name) for name in ("Ana", "Ben", "Chloé")]
    return wid, items, people


def test_timer_start_pause_extend_overtime_and_next(store: Store) -> None:
    wid, items, _ = _setup(store)
    clock = FakeClock()
    live = LiveWorkshop(store, wid, now=clock)
    assert live.current_item is not None and live.current_item.id == items[0]
    live.start()
    clock.advance(120)
    assert live.timer().remaining_s == pytest.approx(480)  # type: ignore[union-attr]
    live.pause()
    clock.advance(300)
    assert live.timer().remaining_s == pytest.approx(480)  # type: ignore[union-attr]
    live.extend(2)
    assert live.timer().total_s == pytest.approx(720)  # type: ignore[union-attr]
    live.start()
    clock.advance(700)
    t = live.timer()
    assert t is not None and t.overtime and t.remaining_s == pytest.approx(-100)
    assert live.next()
    assert live.current_item.id == items[1]  # type: ignore[union-attr]
    assert live.timer().running  # type: ignore[union-attr]  # keeps going when it was running
    assert live.timer(items[0]).finished  # type: ignore[union-attr]
    assert live.next() and not live.next()  # at the end
    assert live.previous() and live.current_item.id == items[1]  # type: ignore[union-attr]
    assert live.status == "live"


def test_log_spontaneous_and_prompted_with_kind_and_builds_on(store: Store) -> None:
    wid, items, (ana, ben, chloe) = _setup(store)
    live = LiveWorkshop(store, wid)
    a = live.log(ana)
    b = live.log(ben, "prompted", kind="failure", builds_on=a.id)
    with store.read() as s:
        rows = {c.id: c for c in s.scalars(select(Contribution))}
    assert rows[a.id].initiative == "spontaneous" and rows[a.id].kind == "story"
    assert rows[a.id].agenda_item_id == items[0]
    assert rows[b.id].initiative == "prompted" and rows[b.id].kind == "failure"
    assert rows[b.id].builds_on_id == a.id
    t = live.tallies()
    assert (t[ana].spontaneous, t[ben].prompted, t[chloe].total) == (1, 1, 0)
    assert live.silent() == [chloe]
    with pytest.raises(RippleError, match="someone else"):
        live.log(ana, builds_on=a.id)
    with pytest.raises(NotFound):
        live.log(uuid.uuid4())
    with pytest.raises(RippleError, match="not a contribution kind"):
        live.log(ana, kind="rant")


def test_undo_and_edit(store: Store) -> None:
    wid, _, (ana, ben, _c) = _setup(store)
    live = LiveWorkshop(store, wid)
    a = live.log(ana)
    b = live.log(ben, builds_on=a.id)
    undone = live.undo()
    assert undone is not None and undone.id == b.id
    assert [c.id for c in live.recent()] == [a.id]
    live.edit(a.id, kind="tip", initiative="prompted")
    live.edit(a.id, participant_id=ben)
    with store.read() as s:
        rows = s.scalars(select(Contribution)).all()
        assert len(rows) == 1 and rows[0].kind == "tip" and rows[0].initiative == "prompted"
        assert rows[0].participant_id == ben
        gone = s.scalars(select(Contribution).execution_options(include_deleted=True)).all()
        assert len(gone) == 2  # the undone one is a tombstone, so sync can carry the undo
    assert live.undo() is not None and live.undo() is None


def test_deleting_a_contribution_unlinks_what_built_on_it(store: Store) -> None:
    wid, _, (ana, ben, _c) = _setup(store)
    live = LiveWorkshop(store, wid)
    a = live.log(ana)
    b = live.log(ben, builds_on=a.id)
    live.delete(a.id)
    assert live.contribution(b.id).builds_on_id is None  # type: ignore[union-attr]
    reopened = LiveWorkshop(store, wid)
    assert reopened.contribution(b.id).builds_on_id is None  # type: ignore[union-attr]


def test_reopening_resumes_item_and_running_timer(store: Store) -> None:
    wid, items, (ana, *_rest) = _setup(store)
    clock = FakeClock()
    live = LiveWorkshop(store, wid, now=clock)
    live.next()
    live.start()
    live.log(ana)
    clock.advance(90)
    again = LiveWorkshop(store, wid, now=clock)
    assert again.current_item.id == items[1]  # type: ignore[union-attr]
    t = again.timer()
    assert t is not None and t.running and t.elapsed_s == pytest.approx(90)
    assert len(again.contributions()) == 1


def test_finish_marks_the_workshop(store: Store) -> None:
    wid, _, _ = _setup(store)
    live = LiveWorkshop(store, wid)
    live.start()
    live.finish()
    assert load_plan(store, wid).status == "finished"
    assert not live.timer().running  # type: ignore[union-attr]


def test_a_workshop_is_dated_when_it_really_starts(store: Store) -> None:
    """Run a week early (or late), it belongs on the day it ran: analytics, exports and the
    timeline go by the workshop's date."""
    wid, _, _people = _setup(store)
    planned = load_plan(store, wid).started_at
    clock = FakeClock()
    clock.t = planned - timedelta(days=7, hours=3)
    live = LiveWorkshop(store, wid, now=clock)
    clock.advance(60)
    live.start()
    plan = load_plan(store, wid)
    assert plan.status == "live" and plan.started_at == clock.t and live.plan.started_at == clock.t
    clock.advance(600)
    live.pause()
    live.start()  # resuming does not move it again
    assert load_plan(store, wid).started_at == clock.t - timedelta(seconds=600)

    # Logging before any timer ran also starts it.
    wid2, _, people2 = _setup(store)
    live2 = LiveWorkshop(store, wid2, now=clock)
    live2.log(people2[0])
    plan2 = load_plan(store, wid2)
    assert plan2.status == "live" and plan2.started_at == clock.t


def test_listeners_hear_what_changed(sqlite_store: Store) -> None:
    wid, _, (ana, *_r) = _setup(sqlite_store)
    live = LiveWorkshop(sqlite_store, wid)
    heard: list[str] = []
    live.subscribe(heard.append)
    live.log(ana)
    live.start()
    assert heard == ["contributions", "timer"]


def test_empty_agenda_explains_itself(sqlite_store: Store) -> None:
    wid = create_workshop(sqlite_store, "Empty")
    live = LiveWorkshop(sqlite_store, wid)
    with pytest.raises(RippleError, match="no agenda items"):
        live.start()
