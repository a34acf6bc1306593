"""Settings: the shared store (address, password, how often), syncing, privacy
(ui.settings.privacy), About (ui.settings.about).

Every sync, connection test and status count runs in a task (``ui.tasks``); the UI thread
only draws. A failed background sync changes the rail's status (never a modal box, never a
banner every ten minutes while a laptop is offline) and is tried again later (when:
``app.sync.next_try_minutes``); a sync the person asked for reports in the banner.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.platform import credentials
from app.text import ago
from ui.kit import theme
from ui.kit.page import Page
from ui.kit.widgets import Card, button, muted, section, title
from ui.settings.about import AboutCard
from ui.settings.controller import SyncController
from ui.settings.indicator import SyncIndicator
from ui.settings.preferences import PreferencesCard
from ui.settings.privacy import PrivacyCard
from ui.tasks import describe, run_task


class SyncSettingsPage(Page):
    """Settings: the shared store (address, password, how often), its status, About."""

    sig_sync_failed = Signal(str)
    """(message: str) — a sync the person asked for failed (the window offers a retry)."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
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
        self.preferences = PreferencesCard(ctx)  # appearance, facilitator, booth defaults
        self.preferences.sig_error.connect(self.sig_error)
        col.addWidget(self.preferences)
        col.addWidget(self._build_store_card())
        col.addWidget(self._build_status_card())
        self.privacy = PrivacyCard(ctx)
        self.privacy.sig_said.connect(lambda text, error: (self.sig_error if error else self.sig_info).emit(text))
        col.addWidget(self.privacy)
        self.about = AboutCard(ctx)
        self.about.sig_info.connect(self.sig_info)
        self.about.sig_error.connect(self.sig_error)
        col.addWidget(self.about)
        col.addStretch(1)

        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.forget_button.clicked.connect(self.forget)
        self.sync_button.clicked.connect(lambda: self.controller.sync_now(manual=True))
        self.setup_button.clicked.connect(lambda: self.controller.sync_now(manual=True, init_remote=True))
        self.controller.sig_state_changed.connect(self.refresh_status)
        self.controller.sig_synced.connect(self._synced)
        self.controller.sig_failed.connect(self._failed)
        self.loaded = False  # the form is filled when first shown: asking for the keychain takes a while

    def _build_store_card(self) -> Card:
        """The shared store: address, password, keychain, how often; test, save, stop."""
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
        return store_card

    def _build_status_card(self) -> Card:
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
        self.setup_button = button("Set it up as the shared store", primary=True,
                                   tip="Make this empty database (or new file) the team's shared store")
        buttons = QVBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.setup_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        status_card.body.addLayout(row)
        return status_card

    # ------------------------------------------------------------ settings

    def load(self) -> None:
        self.loaded = True
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
        except Exception as exc:  # RippleError/StoreError, or an unreadable address: one sentence
            self._say(str(exc), error=True)
            return False
        self.address.setText(svc.remote_url)  # shown without any password it carried
        self.password.clear()
        if svc.remote_url != before:
            self.controller.last_summary = ""  # that was about the other shared store
        self.controller.password_problem = self.controller.error = self.controller.setup_needed = ""
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
        run_task(
            self, self.ctx.sync.test_connection, url, password, key="test", lane="network",
            on_success=lambda text: self._say(text),
            on_failure=lambda exc: self._say(describe(exc), error=True),
            on_finished=lambda: self.test_button.setEnabled(True),
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        p = theme.current()
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {p.danger};" if error else "")
        (self.sig_error if error else self.sig_info).emit(text)

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
            when = st.last_sync_at.astimezone().strftime("%a %d %b, %H:%M") if st and st.last_sync_at else None
            self.status_line.setText(
                f"Last sync {ago(st.last_sync_at if st else None)} ({when})" if when else "Not synced yet"
            )
        waiting = st.waiting if st else 0
        self.waiting_line.setText(
            f"{waiting:,} change{'s' if waiting != 1 else ''} waiting to be sent" if waiting
            else "Nothing waiting to be sent"
        )
        self.summary_line.setText(c.last_summary)
        self.summary_line.setVisible(bool(c.last_summary))
        problem = c.password_problem or c.setup_needed or c.error
        self.setup_button.setVisible(bool(c.setup_needed) and configured and not c.running)
        retry = c.next_try_minutes()
        self.error_line.setText(
            problem + (f" Ripple tries again in {retry} min." if c.error and not c.password_problem and retry else "")
        )
        self.error_line.setStyleSheet(f"color: {p.danger};")
        self.error_line.setVisible(bool(problem) and not c.running)
        self.sync_button.setText("Retry" if problem else "Sync now")
        self.sync_button.setVisible(not c.setup_needed)

    def _synced(self, report: Any, manual: bool) -> None:
        if manual:
            self.sig_info.emit(report.summary())
        for problem in report.clip_problems[:1]:
            self.sig_error.emit(problem)

    def _failed(self, message: str, manual: bool) -> None:
        if manual:
            self.sig_sync_failed.emit(message)
        if self.controller.password_problem:
            self.password.setFocus()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if not self.loaded:
            self.load()  # (which refreshes the status too)
            return
        self.controller.refresh_status()
