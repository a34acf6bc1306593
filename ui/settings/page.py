"""Settings for the shared store, syncing in the background, and the status in the nav rail.

Every sync, connection test and status count runs in a worker (``ui.tasks.run_async``); the
UI thread only draws. A failed background sync changes the rail's status (never a modal box,
never a banner every ten minutes while a laptop is offline) and is retried after 1, 2, 5,
then 10 minutes; a sync the person asked for reports in the banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.platform import credentials
from app.sync import PasswordNeeded, SyncService, SyncStatus
from app.text import ago, noun, weekday_minute
from ui.kit import theme
from ui.kit.widgets import Card, button, muted, section, title
from ui.tasks import run_async

RETRY_MINUTES = (1, 2, 5, 10)
STATUS_REFRESH_MS = 20_000
FIRST_SYNC_DELAY_MS = 8_000


@dataclass(frozen=True)
class _Outcome:
    """What a background sync returns to the UI thread (the report, or why a password is needed)."""

    report: Any = None
    password_problem: str = ""


class SyncController(QObject):
    """Runs syncs (on demand and on a timer) and keeps what the status line shows."""

    changed = Signal()
    synced = Signal(object, bool)  # SyncReport, whether the person asked for this sync
    failed = Signal(str, bool)  # message, whether the person asked for this sync

    def __init__(self, ctx: Ripple, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.running = False
        self.error = ""
        self.password_problem = ""
        self.progress = ""
        self.status: SyncStatus | None = None
        self._status_asked = 0
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

    def next_try_minutes(self) -> int:
        every = self.ctx.settings.sync_every_minutes
        if self.failures:
            wait = RETRY_MINUTES[min(self.failures, len(RETRY_MINUTES)) - 1]
            return min(wait, every) if every > 0 else wait
        return every

    def reschedule(self) -> None:
        self._timer.stop()
        minutes = self.next_try_minutes()
        if self.service.configured and minutes > 0 and not self.password_problem:
            self._timer.start(minutes * 60_000)
        self.changed.emit()

    def refresh_status(self) -> None:
        # Several reads can be in flight (after a sync, after a save, on a timer); the pool may
        # finish them in any order, so only the newest request's answer is shown.
        self._status_asked += 1
        token = self._status_asked
        run_async(self.service.status, on_result=lambda st: self._got_status(token, st), on_error=lambda _m: None)

    def _got_status(self, token: int, status: SyncStatus) -> None:
        if token != self._status_asked:
            return
        self.status = status
        self.changed.emit()

    def sync_now(self, manual: bool = True) -> None:
        if self.running:
            return
        if not self.service.configured:
            if manual:
                self.failed.emit("No shared store is set up yet; add its address in Settings.", True)
            return
        self.running = True
        self.progress = "Starting…"
        self.changed.emit()
        service = self.service

        def work(progress: Any) -> _Outcome:
            try:
                return _Outcome(report=service.sync_now(progress=lambda *step: progress(step)))
            except PasswordNeeded as exc:
                return _Outcome(password_problem=str(exc))

        run_async(
            work,
            on_result=lambda outcome: self._done(outcome, manual),
            on_error=lambda message: self._failed(message, manual),
            on_progress=self._on_progress,
            on_finished=self._finished,
        )

    def _on_progress(self, step: tuple[str, int, int]) -> None:
        phase, done, total = step
        names = {"push": "Sending", "pull": "Receiving", "clips": "Clip files"}
        self.progress = f"{names.get(phase, phase)} {done:,}" + (f" / {total:,}" if total else "")
        self.changed.emit()

    def _done(self, outcome: _Outcome, manual: bool) -> None:
        if outcome.password_problem:
            self.password_problem = outcome.password_problem
            self._failed(outcome.password_problem, manual)
            return
        self.error = self.password_problem = ""
        self.failures = 0
        self.last_summary = outcome.report.summary()
        self.synced.emit(outcome.report, manual)

    def _failed(self, message: str, manual: bool) -> None:
        self.error = message
        self.failures += 1
        self.failed.emit(message, manual)

    def _finished(self) -> None:
        self.running = False
        self.progress = ""
        self.reschedule()
        self.refresh_status()


class SyncIndicator(QFrame):
    """The status in the nav rail: last sync, changes waiting, or the error with a retry."""

    open_settings = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncIndicator")
        self.controller = controller
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setFont(theme.font(0.8))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.action = QPushButton()
        self.action.setObjectName("SyncAction")
        self.action.setFont(theme.font(0.8, QFont.Weight.DemiBold))
        self.action.setStyleSheet("QPushButton#SyncAction { padding: 0.2em 0.3em; }")
        self.action.setCursor(Qt.CursorShape.PointingHandCursor)
        self.action.clicked.connect(self._act)
        lay.addWidget(self.label)
        lay.addWidget(self.action)
        controller.changed.connect(self.refresh)
        self.refresh()

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self.open_settings.emit()
        super().mousePressEvent(e)

    def state(self) -> str:
        c = self.controller
        if not c.service.configured:
            return "off"
        if c.running:
            return "running"
        if c.password_problem:
            return "password"
        if c.error:
            return "error"
        if c.status is not None and c.status.waiting:
            return "waiting"
        return "ok"

    def refresh(self) -> None:
        p = theme.current()
        c = self.controller
        st = c.status
        state = self.state()
        color = {"off": p.muted, "running": p.accent, "password": p.warning, "error": p.danger,
                 "waiting": p.warning, "ok": p.success}[state]
        last = ago(st.last_sync_at if st else None)
        waiting = st.waiting if st else 0
        lines = {
            "off": "Sync off",
            "running": "Syncing…",
            "password": "Password needed",
            "error": "Sync failed",
            "waiting": f"Synced {last}" if st and st.last_sync_at else "Not synced yet",
            "ok": f"Synced {last}" if st and st.last_sync_at else "Not synced yet",
        }
        detail = ""
        if state == "running":
            detail = c.progress
        elif state == "error" and c.next_try_minutes() > 0:
            detail = f"retry in {c.next_try_minutes()} min"
        elif waiting:
            detail = f"{waiting:,} waiting"
        self.label.setText(
            f"<span style='color:{color}; font-size:large'>●</span> {lines[state]}"
            + (f"<br><span style='color:{p.muted}'>{detail}</span>" if detail else "")
        )
        tip = {
            "off": "No shared store yet: add it in Settings to sync this laptop.",
            "password": c.password_problem + " Enter it in Settings.",
            "error": c.error,
        }.get(state, c.last_summary or f"Shared store: {c.service.masked_remote}")
        self.setToolTip(tip)
        self.action.setVisible(state not in ("off", "running"))
        self.action.setText({"error": "Retry", "password": "Password…"}.get(state, "Sync"))

    def _act(self) -> None:
        if self.state() == "password":
            self.open_settings.emit()
        else:
            self.controller.sync_now(manual=True)


class SyncSettingsPage(QWidget):
    """Settings: the shared store (address, password, how often), its status, this laptop."""

    error = Signal(str)
    info = Signal(str)
    #: a sync the person asked for failed (the window offers a retry)
    sync_failed = Signal(str)

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Page")
        self.controller = SyncController(ctx, self)
        self.indicator = SyncIndicator(self.controller)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("Page")
        scroll.setWidget(body)
        col = QVBoxLayout(body)
        col.setContentsMargins(24, 16, 24, 24)
        col.setSpacing(14)
        col.addWidget(title("Settings"))

        # -- the shared store
        store_card = Card()
        store_card.body.addWidget(section("Shared store"))
        store_card.body.addWidget(muted(
            "This laptop keeps everything it logs and works offline. Whenever it can, it syncs "
            "with one shared store — PostgreSQL, or a SQLite file on a network drive — so that "
            "co-facilitators see each other's work and L&D can export across workshops."
        ))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(16)
        self.address = QLineEdit()
        self.address.setPlaceholderText(
            "postgresql+psycopg://trainer@db.example.org/ripple?sslmode=verify-full   or   "
            "sqlite:////mnt/team/ripple.db"
        )
        self.address.setToolTip("A SQLAlchemy address. TLS options (sslmode, sslrootcert…) go in the query.")
        form.addRow("Address", self.address)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Password", self.password)
        self.remember = QCheckBox("Remember the password in this computer's keychain")
        self.keychain_note = muted("", wrap=False)
        remember_box = QVBoxLayout()
        remember_box.setSpacing(2)
        remember_box.addWidget(self.remember)
        remember_box.addWidget(self.keychain_note)
        form.addRow("", remember_box)
        self.every = QSpinBox()
        self.every.setRange(0, 24 * 60)
        self.every.setSuffix(" min")
        self.every.setSpecialValueText("only when I ask")
        self.every.setFixedWidth(self.every.fontMetrics().horizontalAdvance("only when I ask") * 2)
        form.addRow("Sync every", self.every)
        store_card.body.addLayout(form)
        actions = QHBoxLayout()
        self.test_button = button("Test connection", tip="Check the address and password (creates nothing)")
        self.save_button = button("Save", primary=True)
        self.forget_button = button("Stop syncing", danger=True,
                                    tip="Forget the shared store and its password (this laptop's data stays)")
        actions.addWidget(self.test_button)
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        actions.addWidget(self.forget_button)
        store_card.body.addLayout(actions)
        self.result = muted("")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        store_card.body.addWidget(self.result)
        col.addWidget(store_card)

        # -- status
        status_card = Card()
        status_card.body.addWidget(section("Sync"))
        self.status_line = QLabel()
        self.status_line.setFont(theme.font(1.15, QFont.Weight.DemiBold))
        self.status_line.setWordWrap(True)
        self.waiting_line = muted("")
        self.summary_line = muted("")
        self.error_line = QLabel()
        self.error_line.setWordWrap(True)
        self.error_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        lines = QVBoxLayout()
        lines.setSpacing(4)
        for w in (self.status_line, self.waiting_line, self.summary_line, self.error_line):
            lines.addWidget(w)
        row.addLayout(lines, 1)
        self.sync_button = button("Sync now", primary=True, tip="Send this laptop's changes and bring back the others'")
        row.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)
        status_card.body.addLayout(row)
        col.addWidget(status_card)

        # -- this laptop
        laptop_card = Card()
        laptop_card.body.addWidget(section("This laptop"))
        self.laptop_line = muted("")
        self.laptop_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        laptop_card.body.addWidget(self.laptop_line)
        col.addWidget(laptop_card)
        col.addStretch(1)

        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.forget_button.clicked.connect(self.forget)
        self.sync_button.clicked.connect(lambda: self.controller.sync_now(manual=True))
        self.controller.changed.connect(self.refresh_status)
        self.controller.synced.connect(self._synced)
        self.controller.failed.connect(self._failed)
        self.load()

    # ------------------------------------------------------------ settings

    def load(self) -> None:
        svc = self.ctx.sync
        self.address.setText(svc.remote_url)
        self.every.setValue(self.ctx.settings.sync_every_minutes)
        self.password.clear()
        has_keychain = credentials.keyring_available()
        self.remember.setEnabled(has_keychain)
        remembered = has_keychain and svc.password_remembered()
        self.remember.setChecked(remembered)
        self.password.setPlaceholderText(
            "remembered in the keychain" if remembered else "for PostgreSQL; leave empty for a SQLite file"
        )
        self.keychain_note.setText(
            "" if has_keychain else
            "This computer has no keychain: Ripple keeps the password for this session only and asks again next time."
        )
        self.keychain_note.setVisible(not has_keychain)
        self.laptop_line.setText(
            f"Store: {self.ctx.store_label}<br>Device id: {self.ctx.store.device_id}"
        )
        self.refresh_status()

    def save(self) -> bool:
        svc = self.ctx.sync
        before = svc.remote_url
        try:
            svc.configure(
                self.address.text(),
                password=self.password.text() or None,
                remember=self.remember.isChecked() if self.remember.isEnabled() else None,
                every_minutes=self.every.value(),
            )
            self.ctx.save_settings()
        except Exception as exc:  # RippleError/StoreError: one sentence for the banner
            self._say(str(exc), error=True)
            return False
        self.address.setText(svc.remote_url)  # shown without any password it carried
        self.password.clear()
        if svc.remote_url != before:
            self.controller.last_summary = ""  # that was about the other shared store
        self.controller.password_problem = self.controller.error = ""
        self.controller.failures = 0
        self.controller.reschedule()
        self.controller.refresh_status()
        every = self.ctx.settings.sync_every_minutes
        self._say(
            f"Saved. Ripple syncs every {every} min in the background." if every
            else "Saved. Ripple syncs when you press Sync now."
        )
        self.load()
        return True

    def forget(self) -> None:
        self.ctx.sync.forget()
        self.ctx.save_settings()
        self.controller.error = self.controller.password_problem = ""
        self.controller.reschedule()
        self.load()
        self._say("This laptop no longer syncs; everything it holds stays here.")

    def test_connection(self) -> None:
        url, password = self.address.text(), self.password.text() or None
        self.test_button.setEnabled(False)
        self.result.setText("Connecting…")
        run_async(
            self.ctx.sync.test_connection, url, password,
            on_result=lambda text: self._say(text),
            on_error=lambda text: self._say(text, error=True),
            on_finished=lambda: self.test_button.setEnabled(True),
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        p = theme.current()
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {p.danger};" if error else "")
        (self.error if error else self.info).emit(text)

    # ------------------------------------------------------------ status

    def refresh_status(self) -> None:
        c = self.controller
        st = c.status
        p = theme.current()
        configured = self.ctx.sync.configured
        self.sync_button.setEnabled(configured and not c.running)
        self.forget_button.setVisible(configured)
        if not configured:
            self.status_line.setText("Not syncing yet")
        elif c.running:
            self.status_line.setText(f"Syncing… {c.progress}")
        else:
            when = weekday_minute(st.last_sync_at.astimezone()) if st and st.last_sync_at else None
            self.status_line.setText(
                f"Last sync {ago(st.last_sync_at if st else None)} ({when})" if when else "Not synced yet"
            )
        waiting = st.waiting if st else 0
        self.waiting_line.setText(
            f"{waiting:,} {noun(waiting, 'change')} waiting to be sent" if waiting
            else "Nothing waiting to be sent"
        )
        self.summary_line.setText(c.last_summary)
        self.summary_line.setVisible(bool(c.last_summary))
        problem = c.password_problem or c.error
        retry = c.next_try_minutes()
        self.error_line.setText(
            problem + (f" Ripple tries again in {retry} min." if c.error and not c.password_problem and retry else "")
        )
        self.error_line.setStyleSheet(f"color: {p.danger};")
        self.error_line.setVisible(bool(problem) and not c.running)
        self.sync_button.setText("Retry" if problem else "Sync now")

    def _synced(self, report: Any, manual: bool) -> None:
        if manual:
            self.info.emit(report.summary())
        for problem in report.clip_problems[:1]:
            self.error.emit(problem)

    def _failed(self, message: str, manual: bool) -> None:
        if manual:
            self.sync_failed.emit(message)
        if self.controller.password_problem:
            self.password.setFocus()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        self.controller.refresh_status()
