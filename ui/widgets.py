"""Small building blocks shared by the pages: banner, cards, titles, buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui import theme


def button(text: str, *, primary: bool = False, danger: bool = False, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    if primary:
        b.setProperty("primary", True)
    if danger:
        b.setProperty("danger", True)
    if tip:
        b.setToolTip(tip)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    return b


def title(text: str, scale: float = 1.6) -> QLabel:
    label = QLabel(text)
    label.setObjectName("PageTitle")
    label.setFont(theme.font(scale, QFont.Weight.Bold))
    return label


def section(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setObjectName("SectionTitle")
    label.setFont(theme.font(0.8, QFont.Weight.Bold))
    return label


def muted(text: str, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(wrap)
    return label


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 14, 16, 14)
        self.body.setSpacing(8)


class Banner(QFrame):
    """A non-blocking message strip at the top of the window (errors never use modal boxes)."""

    action = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        self._on_action: Callable[[], None] | None = None
        super().__init__(parent)
        self.setObjectName("Banner")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self._act)
        close = QPushButton("✕")
        close.setToolTip("Dismiss")
        close.setFixedWidth(close.fontMetrics().horizontalAdvance("✕") * 3)
        close.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.action_button)
        lay.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def _act(self) -> None:
        callback, self._on_action = self._on_action, None
        self.hide()
        self.action.emit()
        if callback is not None:
            callback()

    def show_message(
        self,
        text: str,
        level: str = "error",
        *,
        action: str = "",
        on_action: Callable[[], None] | None = None,
        timeout_ms: int = 0,
    ) -> None:
        """Show one message; ``on_action`` runs once if the person presses the action."""
        self._on_action = on_action
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.action_button.setText(action)
        self.action_button.setVisible(bool(action))
        self.show()
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


def index_of(combo: QComboBox, value: object) -> int:
    """Like ``findData`` but by value: ``findData`` compares Python objects (UUIDs) by identity."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            return i
    return -1


def wrap_words(text: str, fm: QFontMetrics, width: int) -> list[str]:
    """``text`` broken between words into lines at most ``width`` wide (a word wider than that
    keeps a line of its own); line breaks already in the text are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and fm.horizontalAdvance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines
