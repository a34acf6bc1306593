"""The one task mechanism: owner, key (newest wins), lanes, cancel, progress, failures as objects."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from shiboken6 import delete

from app.errors import RippleError
from ui.changes import CLIPS, Changes, hub
from ui.tasks import cancel_tasks, describe, pending, pool, run_task, wait_for_all

WAIT = 10_000  # ms: generous for a loaded CI machine


@pytest.fixture
def owner() -> Iterator[QObject]:
    obj = QObject()
    yield obj
    wait_for_all()


def _gate() -> tuple[threading.Event, Callable[..., Any]]:
    """A function that blocks until the gate opens, then returns what it was given."""
    gate = threading.Event()

    def held(value: Any = None) -> Any:
        assert gate.wait(WAIT / 1000), "the test never opened the gate"
        return value

    return gate, held


def test_the_result_arrives_on_the_ui_thread(qtbot: QtBot, owner: QObject) -> None:
    got: list[Any] = []
    finished: list[bool] = []
    run_task(owner, lambda a, b: a + b, 2, 3, on_success=got.append, on_finished=lambda: finished.append(True))
    qtbot.waitUntil(lambda: finished == [True], timeout=WAIT)
    assert got == [5] and not pending(owner)


def test_a_newer_task_of_the_same_key_supersedes_the_older(qtbot: QtBot, owner: QObject) -> None:
    gate, held = _gate()
    got: list[str] = []
    older = run_task(owner, held, "older", key="status", on_success=got.append)
    newer = run_task(owner, lambda: "newer", key="status", on_success=got.append)
    assert older.cancelled and not newer.cancelled
    qtbot.waitUntil(lambda: got == ["newer"], timeout=WAIT)
    gate.set()  # the older one finishes last, as a slow read on a loaded pool would
    qtbot.waitUntil(lambda: older.done, timeout=WAIT)
    assert got == ["newer"] and not pending(owner, "status")


def test_other_keys_and_other_owners_are_not_superseded(qtbot: QtBot, owner: QObject) -> None:
    other = QObject()
    got: list[str] = []
    run_task(owner, lambda: "a", key="one", on_success=got.append)
    run_task(owner, lambda: "b", key="two", on_success=got.append)
    run_task(other, lambda: "c", key="one", on_success=got.append)
    run_task(owner, lambda: "d", on_success=got.append)  # no key: never superseded
    qtbot.waitUntil(lambda: len(got) == 4, timeout=WAIT)
    assert sorted(got) == ["a", "b", "c", "d"]


def test_nothing_is_delivered_to_an_owner_that_is_gone(qtbot: QtBot) -> None:
    owner = QObject()
    started, gate = threading.Event(), threading.Event()
    saw_cancel: list[bool] = []
    got: list[Any] = []

    def work(cancelled: Callable[[], bool]) -> str:
        started.set()
        assert gate.wait(WAIT / 1000)
        saw_cancel.append(cancelled())
        return "late"

    task = run_task(owner, work, cancellable=True, on_success=got.append, on_failure=got.append,
                    on_finished=lambda: got.append("finished"))
    assert started.wait(WAIT / 1000)
    delete(owner)  # the widget closed while its task ran
    assert task.cancelled
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=WAIT)
    assert saw_cancel == [True] and got == []


def test_lanes_are_independent(qtbot: QtBot, owner: QObject) -> None:
    gate, held = _gate()
    busy = [run_task(owner, held, i, lane="network") for i in range(pool("network").maxThreadCount() + 1)]
    try:
        got: list[str] = []
        run_task(owner, lambda: "status", lane="store", on_success=got.append)
        qtbot.waitUntil(lambda: got == ["status"], timeout=WAIT)  # not queued behind the syncs
        assert all(t.pending for t in busy)
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not pending(owner), timeout=WAIT)


def test_cancel_is_cooperative_and_delivers_nothing(qtbot: QtBot, owner: QObject) -> None:
    started = threading.Event()
    rounds: list[int] = []
    got: list[Any] = []

    def long_work(cancelled: Callable[[], bool]) -> str:
        started.set()
        while not cancelled():
            rounds.append(1)
            threading.Event().wait(0.005)
        return "stopped early"

    task = run_task(owner, long_work, cancellable=True, on_success=got.append, on_failure=got.append)
    assert started.wait(WAIT / 1000)
    task.cancel()
    qtbot.waitUntil(lambda: task.done, timeout=WAIT)
    assert got == [] and not task.pending


def test_a_task_cancelled_before_it_starts_never_runs(qtbot: QtBot, owner: QObject) -> None:
    gate, held = _gate()
    blockers = [run_task(owner, held, lane="media") for _ in range(pool("media").maxThreadCount())]
    ran: list[bool] = []
    queued = run_task(owner, lambda: ran.append(True), lane="media")
    cancel_tasks(owner)
    assert all(t.cancelled for t in [*blockers, queued])
    gate.set()
    qtbot.waitUntil(lambda: queued.done, timeout=WAIT)
    assert ran == []


def test_failures_arrive_as_the_exception_objects(qtbot: QtBot, owner: QObject,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    refusal = RippleError("That workshop is finished.")

    def refuse() -> None:
        raise refusal

    def bug() -> None:
        raise ZeroDivisionError("division by zero")

    failures: list[BaseException] = []
    with caplog.at_level(logging.ERROR, logger="ripple.ui.tasks"):
        run_task(owner, refuse, on_failure=failures.append)
        run_task(owner, bug, on_failure=failures.append)
        qtbot.waitUntil(lambda: len(failures) == 2, timeout=WAIT)
    user = next(f for f in failures if isinstance(f, RippleError))
    crash = next(f for f in failures if isinstance(f, ZeroDivisionError))
    assert user is refusal and describe(user) == "That workshop is finished."
    assert describe(crash) == "Something went wrong (ZeroDivisionError); details are in the log."
    # the bug's traceback is in the log; the user's refusal is not a bug and is not logged
    bug_records = [r for r in caplog.records if r.exc_info]
    assert len(bug_records) == 1 and bug_records[0].exc_info[0] is ZeroDivisionError  # type: ignore[index]
    assert "refuse" not in caplog.text


def test_progress_arrives_in_order(qtbot: QtBot, owner: QObject) -> None:
    steps: list[int] = []
    got: list[str] = []

    def counting(progress: Callable[[int], None]) -> str:
        for i in range(5):
            progress(i)
        return "done"

    run_task(owner, counting, on_progress=steps.append, on_success=got.append)
    qtbot.waitUntil(lambda: got == ["done"], timeout=WAIT)
    assert steps == [0, 1, 2, 3, 4]


def test_a_write_announces_what_it_changed(qtbot: QtBot, owner: QObject) -> None:
    heard: list[tuple[Changes, object]] = []

    def listen(changes: Changes, initiator: object) -> None:
        heard.append((changes, initiator))

    hub().sig_changed.connect(listen)
    try:
        change = Changes.of(CLIPS)
        with qtbot.waitSignal(hub().sig_changed, timeout=WAIT):
            run_task(owner, lambda: 1, changes=change)
        assert heard == [(change, owner)]
        # a failed write announces nothing; a function of the result may find nothing to say
        run_task(owner, lambda: 1 / 0, changes=change, on_failure=lambda _e: None)
        run_task(owner, lambda: 0, changes=lambda n: change if n else None)
        qtbot.waitUntil(lambda: not pending(owner), timeout=WAIT)  # (announced while delivering)
        assert len(heard) == 1
    finally:
        hub().sig_changed.disconnect(listen)
