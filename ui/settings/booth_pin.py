"""The trainer's setting for the booth PIN: a small widget the Settings screen places.

Why here and not in ``ui/settings``: the PIN belongs to the booth (``app.clips.booth_pin``);
the Settings screen only gives it a place (one line of wiring).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.clips.booth_pin import clear_booth_pin, has_booth_pin, set_booth_pin
from app.context import Ripple
from app.errors import FieldError
from ui.kit import theme
from ui.kit.widgets import button, muted

NO_PIN = "No PIN: holding the button leaves booth mode."
PIN_SET = "A PIN is set: leaving booth mode asks for it."


class BoothPinSetting(QWidget):
    """Set, change or remove the PIN that leaving booth mode asks for; saved at once."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("4 to 8 digits")
        self.pin_edit.setMaxLength(8)
        self.pin_edit.setAccessibleName("Booth PIN")
        self.set_button = button("Set PIN", primary=True)
        self.remove_button = button("Remove PIN")
        row.addWidget(self.pin_edit, 1)
        row.addWidget(self.set_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.status = muted("")
        layout.addWidget(self.status)
        self.set_button.clicked.connect(self.apply)
        self.pin_edit.returnPressed.connect(self.apply)
        self.remove_button.clicked.connect(self.remove)
        self._show()

    def apply(self) -> None:
        """Set the PIN typed; a bad one is refused with the rule, and nothing changes."""
        try:
            set_booth_pin(self.ctx.settings, self.pin_edit.text())
        except FieldError as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet(f"color: {theme.current().danger};")
            return
        self.ctx.save_settings()
        self.pin_edit.clear()
        self._show()

    def remove(self) -> None:
        clear_booth_pin(self.ctx.settings)
        self.ctx.save_settings()
        self._show()

    def _show(self) -> None:
        on = has_booth_pin(self.ctx.settings)
        self.status.setStyleSheet("")
        self.status.setText(PIN_SET if on else NO_PIN)
        self.remove_button.setEnabled(on)
        self.set_button.setText("Change PIN" if on else "Set PIN")
