"""The one way to run work off the UI thread: :func:`run_async` over the global
QThreadPool, with the result or the error delivered back on the UI thread by signals."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import USER_ERRORS

log = logging.getLogger("ripple.ui")


class WorkerSignals(QObject):
    progress = Signal(object)
    result = Signal(object)
    error = Signal(str)
    finished = Signal()


class Worker(QRunnable):
    """Calls ``fn(*args, progress=emit, **kwargs)`` if ``with_progress`` else ``fn(*args, **kwargs)``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False, **kwargs: Any) -> None:
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.with_progress = with_progress
        self.signals = WorkerSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            if self.with_progress:
                out = self.fn(*self.args, progress=self._emit_progress, **self.kwargs)
            else:
                out = self.fn(*self.args, **self.kwargs)
        except USER_ERRORS as exc:
            self._emit(self.signals.error, str(exc))
        except Exception as exc:  # a bug: say so in one sentence, keep the details in the log
            log.error("background task failed\n%s", traceback.format_exc())
            self._emit(self.signals.error, f"Something went wrong ({type(exc).__name__}); details are in the log.")
        else:
            self._emit(self.signals.result, out)
        finally:
            self._emit(self.signals.finished)

    def _emit_progress(self, value: Any) -> None:
        self._emit(self.signals.progress, value)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        # When the app quits while work is still running, Qt may already have deleted the
        # signals' object; the result has nobody left to go to, so it is dropped quietly.
        try:
            signal.emit(*args)
        except RuntimeError:
            log.debug("a background result arrived after its receiver was gone")


_alive: set[Worker] = set()


def run_async(
    fn: Callable[..., Any],
    *args: Any,
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Worker:
    worker = Worker(fn, *args, with_progress=on_progress is not None, **kwargs)
    if on_result:
        worker.signals.result.connect(on_result)
    if on_error:
        worker.signals.error.connect(on_error)
    if on_progress:
        worker.signals.progress.connect(on_progress)
    _alive.add(worker)

    def done() -> None:
        _alive.discard(worker)
        if on_finished:
            on_finished()

    worker.signals.finished.connect(done)
    QThreadPool.globalInstance().start(worker)
    return worker


def wait_for_all(msecs: int = 30000) -> bool:
    return QThreadPool.globalInstance().waitForDone(msecs)
