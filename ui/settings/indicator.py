"""The sync status in the nav rail: last sync, changes waiting, or the error with a retry."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from app.text import ago
from ui.kit import theme
from ui.settings.controller import SyncController


class SyncIndicator(QFrame):
    """The status in the nav rail: last sync, changes waiting, or the error with a retry."""

    sig_open_settings = Signal()
    """() — the person clicked the status, or "Password…": show the Settings page."""

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
        controller.sig_state_changed.connect(self.refresh)
        self.refresh()

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self.sig_open_settings.emit()
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
            self.sig_open_settings.emit()
        else:
            self.controller.sync_now(manual=True)
