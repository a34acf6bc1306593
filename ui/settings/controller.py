"""Syncing in the background: on a timer, on request, with the status the rail and the
Settings page show. Every sync, connection test and status count is a task: a sync on the
``network`` lane (it may take minutes), the status on the ``store`` lane (it never waits for
a sync). When a sync brought rows from other laptops, every screen hears that the store changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.context import Ripple
from app.sync import PasswordNeeded, RemoteNotSetUp, SyncService, SyncStatus, next_try_minutes
from ui.changes import Changes
from ui.tasks import describe, run_task

STATUS_REFRESH_MS = 20_000
SETUP_QUESTION = ("There is no shared store at this address yet. If the address is right, set it up "
                  "as the shared store; if not, correct it above.")
FIRST_SYNC_DELAY_MS = 8_000


@dataclass(frozen=True)
class _Outcome:
    """What a background sync returns to the UI thread (the report, or why a password is needed)."""

    report: Any = None
    password_problem: str = ""
    setup_needed: str = ""


def _brought_rows(outcome: _Outcome) -> Changes | None:
    """Rows from other laptops may touch anything any screen shows."""
    return Changes.everything() if outcome.report is not None and outcome.report.received else None


class SyncController(QObject):
    """Runs syncs (on demand and on a timer) and keeps what the status line shows."""

    sig_state_changed = Signal()
    """() — something the status line shows changed (running, progress, status, error)."""
    sig_synced = Signal(object, bool)
    """(report: SyncReport, manual: bool) — a sync finished; ``manual``: the person asked for it."""
    sig_failed = Signal(str, bool)
    """(message: str, manual: bool) — a sync failed, in one sentence; ``manual`` as above."""

    def __init__(self, ctx: Ripple, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.running = False
        self.error = ""
        self.password_problem = ""
        #: the address names no shared store yet (an empty database, no file): the page asks
        #: whether to set one up there, and no background sync tries it meanwhile
        self.setup_needed = ""
        self.progress = ""
        self.status: SyncStatus | None = None
        self.last_summary = ""
        self.failures = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.sync_now(manual=False))
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)

    @property
    def service(self) -> SyncService:
        return self.ctx.sync

    def start(self) -> None:
        """Begin background work: a status now, a first sync soon after start-up."""
        self.refresh_status()
        self._status_timer.start()
        if self.service.configured and self.ctx.settings.sync_every_minutes > 0:
            self._timer.start(FIRST_SYNC_DELAY_MS)

    def stop(self) -> None:
        self._timer.stop()
        self._status_timer.stop()

    @property
    def sync_scheduled(self) -> bool:
        """Whether a background sync is due (none while a password is known to be wrong)."""
        return self._timer.isActive()

    def next_try_minutes(self) -> int:
        return next_try_minutes(self.failures, self.ctx.settings.sync_every_minutes)

    def reschedule(self) -> None:
        self._timer.stop()
        minutes = self.next_try_minutes()
        if self.service.configured and minutes > 0 and not self.password_problem and not self.setup_needed:
            self._timer.start(minutes * 60_000)
        self.sig_state_changed.emit()

    def refresh_status(self) -> None:
        # Reads are asked for after a sync, after a save, on a timer; one keyed task means an
        # older read finishing late never overwrites a newer one.
        run_task(self, self.service.status, key="status", on_success=self._got_status)

    def _got_status(self, status: SyncStatus) -> None:
        self.status = status
        self.sig_state_changed.emit()

    def sync_now(self, manual: bool = True, init_remote: bool = False) -> None:
        """Sync now; ``init_remote``: the person agreed to make the (empty) address the shared store."""
        if self.running:
            return
        if not self.service.configured:
            if manual:
                self.sig_failed.emit("No shared store is set up yet; add its address in Settings.", True)
            return
        self.running = True
        self.progress = "Starting…"
        self.sig_state_changed.emit()
        service = self.service

        def work(progress: Any) -> _Outcome:
            try:
                return _Outcome(report=service.sync_now(progress=lambda *step: progress(step),
                                                        init_remote=init_remote))
            except PasswordNeeded as exc:
                return _Outcome(password_problem=str(exc))
            except RemoteNotSetUp as exc:
                return _Outcome(setup_needed=str(exc))

        run_task(
            self, work, key="sync", lane="network",
            on_success=lambda outcome: self._done(outcome, manual),
            on_failure=lambda exc: self._failed(describe(exc), manual),
            on_progress=self._on_progress,
            on_finished=self._finished,
            changes=_brought_rows,
        )

    def _on_progress(self, step: tuple[str, int, int]) -> None:
        phase, done, total = step
        names = {"push": "Sending", "pull": "Receiving", "clips": "Clip files"}
        self.progress = f"{names.get(phase, phase)} {done:,}" + (f" / {total:,}" if total else "")
        self.sig_state_changed.emit()

    def _done(self, outcome: _Outcome, manual: bool) -> None:
        if outcome.password_problem:
            self.password_problem = outcome.password_problem
            self._failed(outcome.password_problem, manual)
            return
        if outcome.setup_needed:
            self.setup_needed = SETUP_QUESTION
            self._failed(SETUP_QUESTION, manual)
            return
        self.error = self.password_problem = self.setup_needed = ""
        self.failures = 0
        self.last_summary = outcome.report.summary()
        self.sig_synced.emit(outcome.report, manual)

    def _failed(self, message: str, manual: bool) -> None:
        self.error = message
        self.failures += 1
        self.sig_failed.emit(message, manual)

    def _finished(self) -> None:
        self.running = False
        self.progress = ""
        self.reschedule()
        self.refresh_status()
