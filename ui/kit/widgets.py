"""Small building blocks shared by the pages: banner, cards, titles, buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.kit import icons, theme

ID_ROLE = Qt.ItemDataRole.UserRole
"""Where list items, table items and combo entries keep the id of what they show."""


def button(
    text: str, *, primary: bool = False, danger: bool = False, tip: str = "", icon: str = ""
) -> QPushButton:
    """A themed push button; ``icon`` names its purpose in ``ui.kit.icons`` (drawn in the
    button's tone: on the accent for a primary button, red for a destructive one)."""
    b = QPushButton(text)
    if icon:
        b.setIcon(icons.icon(icon, "primary" if primary else "danger" if danger else "text"))
    b.setProperty("icon_purpose", icon)
    if primary:
        b.setProperty("primary", True)
    if danger:
        b.setProperty("danger", True)
    if tip:
        b.setToolTip(tip)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    return b


def relabel(b: QPushButton, text: str, icon: str) -> None:
    """Show ``text`` and the ``icon`` purpose on ``b`` (a Play that turns into Pause), in the
    tone :func:`button` gave it."""
    b.setText(text)
    if b.property("icon_purpose") != icon:
        tone = "primary" if b.property("primary") else "danger" if b.property("danger") else "text"
        b.setIcon(icons.icon(icon, tone))
        b.setProperty("icon_purpose", icon)


def destructive(b: QPushButton) -> QPushButton:
    """Mark the button that destroys something (a dialog's "Delete"): drawn in solid red."""
    set_style_property(b, "destructive", True)
    return b


def confirm_destructive(parent: QWidget, heading: str, text: str, action: str = "Delete") -> bool:
    """Ask before destroying something: ``text`` says what goes, ``action`` is the red button
    (the dialog's one destructive button, beside Cancel, which is the default). True when
    the user pressed ``action``."""
    return _ask(parent, heading, text, action, destructive_action=True)


def confirm(parent: QWidget, heading: str, text: str, action: str) -> bool:
    """Ask before a step that changes more than a tap and is not destructive (resuming a
    finished workshop, re-dating one): ``action`` is the primary, default button beside
    Cancel. True when the user pressed ``action``."""
    return _ask(parent, heading, text, action, destructive_action=False)


def _ask(parent: QWidget, heading: str, text: str, action: str, *, destructive_action: bool) -> bool:
    box = QDialog(parent)
    box.setWindowTitle(heading)
    lay = QVBoxLayout(box)
    message = QLabel(text)
    message.setWordWrap(True)
    message.setMinimumWidth(message.fontMetrics().averageCharWidth() * 48)
    lay.addWidget(message)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    role = QDialogButtonBox.ButtonRole.DestructiveRole if destructive_action else QDialogButtonBox.ButtonRole.AcceptRole
    yes = buttons.addButton(action, role)
    if destructive_action:
        cancel.setDefault(True)
        yes.setAutoDefault(False)
        destructive(yes)
    else:
        yes.setProperty("primary", True)
        yes.setDefault(True)
    yes.clicked.connect(box.accept)
    buttons.rejected.connect(box.reject)
    lay.addWidget(buttons)
    return box.exec() == QDialog.DialogCode.Accepted


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
    """A non-blocking message over the page (errors never use modal boxes): a toast.

    It floats over its host (:meth:`float_over`): showing or hiding it never moves the page's
    widgets under the pointer. News fades after a while; an error stays until its close
    button, the next message, or :meth:`clear_error` (the window calls it when the next
    action succeeds).

    Where: bottom-centre of the page, above the bottom line where pages keep their hints and
    status text, at most about 60 characters wide. At the top it lay over the controls every
    page keeps there for a few seconds (the console's Undo right after "Resumed…", the
    planner's title); the bottom middle of the pages is their quietest place (the console's
    tile area below the last row, the planner's consent history).
    """

    MARGIN = 10  # px between the banner and the host's sides
    WIDEST = 60  # characters: narrow enough to leave the pages' bottom-corner buttons clear
    FOOT_LINES = 2.5  # lines kept clear under it: the pages' hint and status lines

    def __init__(self, parent: QWidget | None = None) -> None:
        self._on_action: Callable[[], None] | None = None
        self._host: QWidget | None = None
        self._fresh = False  # shown in this turn of the event loop: a change now is its own cause
        super().__init__(parent)
        self.setObjectName("Banner")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(14, 8, 6, 8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.action_button.clicked.connect(self._act)
        self.close_button = QPushButton("✕")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.setFixedWidth(self.close_button.fontMetrics().horizontalAdvance("✕") * 3)
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.action_button)
        lay.addWidget(self.close_button)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 70))
        self.setGraphicsEffect(shadow)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def float_over(self, host: QWidget) -> None:
        """Overlay ``host``'s bottom middle (see the class), following its size; the banner is
        a child of ``host`` outside any layout."""
        self._host = host
        self.setParent(host)
        host.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        host = self._host
        if host is None:
            return
        widest = self.fontMetrics().averageCharWidth() * self.WIDEST
        width = max(120, min(widest, host.width() // 2, host.width() - 2 * self.MARGIN))
        height = self.heightForWidth(width) if self.hasHeightForWidth() else -1
        height = max(height, self.sizeHint().height())
        foot = self.MARGIN + round(self.fontMetrics().lineSpacing() * self.FOOT_LINES)
        self.setGeometry((host.width() - width) // 2, max(self.MARGIN, host.height() - foot - height), width, height)
        self.raise_()

    def _act(self) -> None:
        callback, self._on_action = self._on_action, None
        self.hide()
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
        set_style_property(self, "level", level)
        self.label.setText(text)
        self.action_button.setText(action)
        self.action_button.setVisible(bool(action))
        self.show()
        self._place()
        self._fresh = True
        QTimer.singleShot(0, self._settled)
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def _settled(self) -> None:
        self._fresh = False

    def clear_error(self) -> None:
        """Something the person did succeeded: an error shown before it is no longer news.
        (An error shown in the same turn of the event loop is about that very action: kept.)"""
        if self.isVisible() and self.level() == "error" and not self._fresh:
            self.hide()

    def level(self) -> str:
        return str(self.property("level") or "")

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a property the stylesheet selects on (``[active="true"]``, ``[level="error"]``) and
    have the new look applied: Qt re-reads a stylesheet only when the widget is re-polished."""
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


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
        indent = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]  # kept on every line
        line = ""
        for word in paragraph[len(indent):].split(" "):  # (double spaces stay double)
            candidate = f"{line} {word}" if line else word
            if line and fm.horizontalAdvance(indent + candidate) > width:
                lines.append(indent + line)
                line = word
            else:
                line = candidate
        lines.append(indent + line)
    return lines


class WrappingList(QListWidget):
    """A list whose items' text is broken into lines for the width the list really has.

    Qt sizes word-wrapped items for an unbounded width and then elides whatever does not fit
    (with the theme's item padding, a second line was cut off). Here the lines are broken
    before Qt sees them, and again whenever the list's width changes.
    """

    LABEL_ROLE = Qt.ItemDataRole.UserRole + 1  # the text before it was broken into lines

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().installEventFilter(self)

    def add(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem()
        self.addItem(item)
        self.set_label(item, text)
        return item

    def set_label(self, item: QListWidgetItem, text: str) -> None:
        item.setData(self.LABEL_ROLE, text)
        self._wrap(item)

    @classmethod
    def label(cls, item: QListWidgetItem) -> str:
        return str(item.data(cls.LABEL_ROLE) or item.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            for i in range(self.count()):
                self._wrap(self.item(i))
        return super().eventFilter(watched, event)

    def _wrap(self, item: QListWidgetItem) -> None:
        font = QFont(self.font())  # the list's (themed) font, bold where the item is
        font.setBold(item.font().bold())
        fm = QFontMetrics(font)
        # the viewport less the theme's item margins (4 px a side) and padding (0.5 em a side)
        width = max(60, self.viewport().width() - 8 - fm.height() - 16)
        item.setText("\n".join(self.lines(self.label(item), fm, width)))

    def lines(self, label: str, fm: QFontMetrics, width: int) -> list[str]:
        """``label`` as the lines shown ``width`` wide: broken between words. A list whose
        entries have a better place to break (the Latest list: before the kind) overrides this."""
        return wrap_words(label, fm, width)
