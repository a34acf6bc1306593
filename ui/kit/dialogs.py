"""The one way a screen asks before doing something that changes more than a tap: a small
dialog with the question in plain words, the action named on its button, and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.kit.widgets import destructive as make_destructive


def confirm(parent: QWidget | None, window_title: str, question: str, action: str, *,
            destructive: bool = False) -> bool:
    """Ask ``question``; True when the person pressed ``action`` (red when ``destructive``)."""
    box = QDialog(parent)
    box.setObjectName("Confirm")
    box.setWindowTitle(window_title)
    lay = QVBoxLayout(box)
    text = QLabel(question)
    text.setWordWrap(True)
    text.setMinimumWidth(text.fontMetrics().averageCharWidth() * 50)
    lay.addWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    role = QDialogButtonBox.ButtonRole.DestructiveRole if destructive else QDialogButtonBox.ButtonRole.AcceptRole
    yes = buttons.addButton(action, role)
    if destructive:
        make_destructive(yes)
    else:
        yes.setProperty("primary", True)
        yes.setDefault(True)
    yes.clicked.connect(box.accept)
    buttons.rejected.connect(box.reject)
    lay.addWidget(buttons)
    return box.exec() == QDialog.DialogCode.Accepted


__all__ = ["confirm"]
