"""Leaving booth mode: a long press whose progress shows, then the trainer's PIN if one is set.

Why: in booth mode participants record on their own. A tap must not leave (so the button
is held, and a bar shows how long is left to hold); when the trainer set a PIN
(``app.clips.booth_pin``), holding is not enough either: the PIN is asked inline.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.clips.booth_pin import check_booth_pin, has_booth_pin
from app.settings import Settings
from ui.kit import icons, theme
from ui.kit.widgets import button, muted

EXIT_HOLD_MS = 1500
WRONG_PIN = "That PIN is not right; ask the trainer."


class LeaveBooth(QWidget):
    """The hold-to-leave button, its progress, and the PIN row (shown only when a PIN is set)."""

    sig_leave = Signal()
    """() — held long enough, and the PIN (if any) was right."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton("Hold to leave booth mode")
        self.button.setObjectName("Chip")
        self.button.setIcon(icons.icon("leave"))
        self.progress = QProgressBar()
        self.progress.setRange(0, EXIT_HOLD_MS)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setValue(0)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.progress)
        layout.addWidget(self._build_pin_row())
        self._held = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(30)
        self._tick.timeout.connect(self._advance)
        self.button.pressed.connect(self._press)
        self.button.released.connect(self._release)

    def _build_pin_row(self) -> QWidget:
        self.pin_row = QWidget()
        row = QHBoxLayout(self.pin_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("Trainer's PIN")
        self.pin_edit.setMaxLength(8)
        self.pin_ok = button("Leave", primary=True, icon="leave")
        self.pin_cancel = button("Stay", icon="back")
        self.pin_message = muted("", wrap=False)
        for w in (self.pin_message, self.pin_edit, self.pin_ok, self.pin_cancel):
            row.addWidget(w)
        self.pin_edit.returnPressed.connect(self.submit_pin)
        self.pin_ok.clicked.connect(self.submit_pin)
        self.pin_cancel.clicked.connect(self.reset)
        self.pin_row.hide()
        return self.pin_row

    def _press(self) -> None:
        self._held.start()
        self.progress.setValue(0)
        self._tick.start()

    def _release(self) -> None:
        if self._tick.isActive():  # let go too early: start over
            self._tick.stop()
            self.progress.setValue(0)

    def _advance(self) -> None:
        held = min(EXIT_HOLD_MS, int(self._held.elapsed()))
        self.progress.setValue(held)
        if held < EXIT_HOLD_MS:
            return
        self._tick.stop()
        if has_booth_pin(self.settings):
            self.pin_message.setText("Trainer's PIN:")
            self.pin_message.setStyleSheet("")
            self.pin_row.show()
            self.pin_edit.setFocus()
        else:
            self.reset()
            self.sig_leave.emit()

    def submit_pin(self) -> None:
        """Leave if the PIN is right; otherwise say so and stay (the field is emptied)."""
        if check_booth_pin(self.settings, self.pin_edit.text()):
            self.reset()
            self.sig_leave.emit()
            return
        self.pin_edit.clear()
        self.pin_message.setText(WRONG_PIN)
        self.pin_message.setStyleSheet(f"color: {theme.current().danger};")

    def reset(self) -> None:
        """Back to the plain button: no progress, no PIN row."""
        self._tick.stop()
        self.progress.setValue(0)
        self.pin_edit.clear()
        self.pin_message.setText("")
        self.pin_row.hide()
