"""The one way to run work off the UI thread (after Anki's ``CollectionOp``/``QueryOp`` and
Orange's ``ConcurrentMixin``).

``run_task(owner, fn, *args, ...)`` calls ``fn(*args, **kwargs)`` on a worker thread and hands
the outcome back on the UI thread:

- **owner** — the QObject the result is for. When it is destroyed, its tasks are cancelled
  and nothing is delivered to it (no callback ever runs on a half-deleted widget).
- **key** — a newer task with the same owner and key *supersedes* the older one: the older
  is cancelled and its result is never delivered, whenever it finishes. "The newest request
  wins" is therefore built in; no screen counts its requests.
- **lane** — ``store`` (reads and writes of the local store, analyses), ``network`` (the
  shared store: syncs, connection tests, exports from it), ``media`` (encoding, transcoding).
  Each lane has a thread pool of its own, so a sync that takes minutes never queues a status
  read that takes milliseconds.
- **cancel** — :meth:`Task.cancel` raises a flag; with ``cancellable=True`` the function gets
  ``cancelled=`` (a ``() -> bool``) and may stop early. A cancelled task delivers nothing, and
  one cancelled before a worker picked it up never runs.
- **progress** — with ``on_progress`` the function gets ``progress=`` (a one-argument
  callable); each value reaches ``on_progress`` on the UI thread, in order.
- **outcome** — ``on_success(value)``, or ``on_failure(exc)`` with the exception *object*.
  A user error (:data:`app.errors.USER_ERRORS`) carries its own sentence; anything else is a
  bug: its traceback goes to the log and it is delivered as well, and :func:`describe` turns
  either into the one sentence the UI shows. ``on_finished()`` follows either.
- **changes** — a write names what it touched (a :class:`ui.changes.Changes`, or a function
  of the result giving one or ``None``); after a success it is announced to every screen.

Callbacks run on the UI thread; the function must not touch widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, Signal
from shiboken6 import isValid

from app.errors import USER_ERRORS
from ui.changes import Changes, announce

log = logging.getLogger("ripple.ui.tasks")

Lane = Literal["store", "network", "media"]
LANES: tuple[Lane, ...] = ("store", "network", "media")


def _threads(lane: Lane) -> int:
    # The store lane serves every screen's reads: as many threads as cores (at least two).
    # Two syncs never run at once, and two encodes would fight for the same cores.
    return max(2, QThread.idealThreadCount()) if lane == "store" else 2


_pools: dict[Lane, QThreadPool] = {}


def pool(lane: Lane) -> QThreadPool:
    """The thread pool of one lane (made on first use)."""
    if lane not in LANES:
        raise ValueError(f"unknown lane {lane!r}; one of {', '.join(LANES)}")
    if lane not in _pools:
        p = QThreadPool()
        p.setMaxThreadCount(_threads(lane))
        _pools[lane] = p
    return _pools[lane]


def describe(exc: BaseException) -> str:
    """The one sentence the UI shows for a failure: a user error says it itself; a bug says
    that it happened and where the details are."""
    if isinstance(exc, USER_ERRORS):
        return str(exc)
    return f"Something went wrong ({type(exc).__name__}); details are in the log."


class Task(QObject):
    """One run of a function; what :func:`run_task` returns. Lives on the UI thread."""

    # Emitted from the worker thread, delivered on the UI thread (queued connections).
    sig_progress = Signal(object)
    """(value: object) — what the function passed to ``progress``."""
    sig_ended = Signal(object, object)
    """(value: object, error: BaseException | None) — the function returned or raised; both
    ``None`` when a cancelled task was skipped before it ran."""

    def __init__(
        self,
        owner: QObject,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        key: str | None,
        lane: Lane,
        on_success: Callable[[Any], Any] | None,
        on_failure: Callable[[BaseException], Any] | None,
        on_progress: Callable[[Any], Any] | None,
        on_finished: Callable[[], Any] | None,
        changes: Changes | Callable[[Any], Changes | None] | None,
    ) -> None:
        super().__init__()
        self.owner, self.key, self.lane = owner, key, lane
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._on_success, self._on_failure = on_success, on_failure
        self._on_progress, self._on_finished = on_progress, on_finished
        self._changes = changes
        self._cancel = threading.Event()
        self.done = False
        self.sig_progress.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.sig_ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------ the caller's side

    def cancel(self) -> None:
        """Deliver nothing; a function that asked for ``cancelled=`` sees it and may stop."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def pending(self) -> bool:
        """Queued or running, and its outcome still wanted."""
        return not self.done and not self.cancelled

    def _wanted(self) -> bool:
        return not self.cancelled and isValid(self.owner)

    # ------------------------------------------------------------ the worker's side

    def _run(self) -> None:
        if self.cancelled:
            self._emit(self.sig_ended, None, None)
            return
        try:
            value = self._fn(*self._args, **self._kwargs)
        except BaseException as exc:  # delivered as the object it is
            if not isinstance(exc, USER_ERRORS):
                log.error("background task %s failed", getattr(self._fn, "__qualname__", self._fn), exc_info=exc)
            self._emit(self.sig_ended, None, exc)
        else:
            self._emit(self.sig_ended, value, None)

    def _progress(self, value: Any) -> None:
        if not self.cancelled:
            self._emit(self.sig_progress, value)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        # When the app quits while work is still running, Qt may already have deleted the
        # task's object; the outcome has nobody left to go to, so it is dropped quietly.
        try:
            signal.emit(*args)
        except RuntimeError:
            log.debug("a background result arrived after the UI was gone")

    # ------------------------------------------------------------ back on the UI thread

    def _progressed(self, value: Any) -> None:
        if self._wanted() and self._on_progress is not None:
            self._on_progress(value)

    def _ended(self, value: Any, error: BaseException | None) -> None:
        self.done = True
        _forget(self)
        if not self._wanted():
            return
        try:
            if error is not None:
                if self._on_failure is not None:
                    self._on_failure(error)
            elif self._on_success is not None:
                self._on_success(value)
        finally:
            if error is None:
                changes = self._changes(value) if callable(self._changes) else self._changes
                if changes is not None:
                    announce(changes, self.owner)
            if self._on_finished is not None:
                self._on_finished()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


# Every task not yet ended (so Python keeps it), and per owner the newest task of each key.
_live: set[Task] = set()
_keyed: dict[int, dict[str, Task]] = {}
_WATCHED = "ripple_tasks_watched"  # a dynamic property: the owner's destroyed signal is connected


def _forget(task: Task) -> None:
    _live.discard(task)
    keyed = _keyed.get(id(task.owner))
    if keyed is not None and task.key is not None and keyed.get(task.key) is task:
        del keyed[task.key]


def _owner_gone(owner_id: int, *_destroyed: Any) -> None:
    for task in list(_live):
        if id(task.owner) == owner_id:
            task.cancel()
    _keyed.pop(owner_id, None)


def run_task(
    owner: QObject,
    fn: Callable[..., Any],
    *args: Any,
    key: str | None = None,
    lane: Lane = "store",
    on_success: Callable[[Any], Any] | None = None,
    on_failure: Callable[[BaseException], Any] | None = None,
    on_progress: Callable[[Any], Any] | None = None,
    on_finished: Callable[[], Any] | None = None,
    cancellable: bool = False,
    changes: Changes | Callable[[Any], Changes | None] | None = None,
    **kwargs: Any,
) -> Task:
    """Run ``fn(*args, **kwargs)`` on a worker of ``lane`` for ``owner`` (see the module's
    docstring for what each argument means). Call on the UI thread."""
    task = Task(owner, fn, args, kwargs, key=key, lane=lane, on_success=on_success, on_failure=on_failure,
                on_progress=on_progress, on_finished=on_finished, changes=changes)
    if on_progress is not None:
        kwargs["progress"] = task._progress  # (the task holds this very dict)
    if cancellable:
        kwargs["cancelled"] = task._cancel.is_set
    oid = id(owner)  # unique while any task holds the owner
    if not owner.property(_WATCHED):
        owner.setProperty(_WATCHED, True)
        owner.destroyed.connect(partial(_owner_gone, oid))
    if key is not None:
        keyed = _keyed.setdefault(oid, {})
        older = keyed.get(key)
        if older is not None and older.owner is owner:
            older.cancel()
        keyed[key] = task
    _live.add(task)
    pool(lane).start(_Runnable(task))
    return task


def cancel_tasks(owner: QObject, key: str | None = None) -> None:
    """Cancel the owner's tasks (only the one of ``key`` when given)."""
    for task in list(_live):
        if task.owner is owner and (key is None or task.key == key):
            task.cancel()


def pending(owner: QObject, key: str | None = None) -> bool:
    """Whether a task of the owner (of ``key`` when given) is still to deliver."""
    return any(t.pending for t in _live if t.owner is owner and (key is None or t.key == key))


def wait_for_all(msecs: int = 30000) -> bool:
    """Block until every lane is idle (before closing the store, and in tests). Outcomes are
    delivered by the event loop afterwards."""
    return all(pool(lane).waitForDone(msecs) for lane in LANES)
