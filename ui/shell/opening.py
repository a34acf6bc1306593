"""What the window shows while the store opens, and the opening itself (start-up).

Why: opening the store imports SQLAlchemy, Alembic and the models (about half a second of
CPU on a laptop) and checks or migrates the schema. A trainer should see Ripple's window at
once, not after that. So ``ripple`` builds the window without a store and shows this page in
it (the rail is there, its buttons wait); once the page's first frame is painted, the store is
opened on the store lane (``ui.tasks``) and the window fills the Plan page with it. A store
that cannot be opened is said here, in its one sentence, and the page stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.kit.widgets import muted, title

if TYPE_CHECKING:
    from app.context import Ripple
    from app.settings import Settings

OPENING = "Opening your workshops…"
CANNOT_OPEN = "Ripple cannot open its store"


class OpeningPage(QWidget):
    """The page in the window's stack until the store is open (or could not be opened)."""

    sig_painted = Signal()
    """() — the page's first frame is on the screen: the store may start opening now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self._painted = False
        col = QVBoxLayout(self)
        col.setContentsMargins(48, 48, 48, 48)
        col.addStretch(1)
        self.heading = title(OPENING, 1.3)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(self.heading)
        self.detail = muted("")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()
        col.addWidget(self.detail)
        col.addStretch(2)

    def show_failure(self, sentence: str) -> None:
        """The store could not be opened: say so, and why, where the workshops would be."""
        self.heading.setText(CANNOT_OPEN)
        self.detail.setText(sentence)
        self.detail.show()

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        if not self._painted:
            self._painted = True
            # Queued: the frame this paint belongs to is flushed to the screen first.
            QTimer.singleShot(0, self, self.sig_painted.emit)


def open_ripple(db_url: str | None, settings: Settings) -> Ripple:
    """On a store-lane worker: the store opened (created or migrated as needed) and the
    context around it. SQLAlchemy and the models are first imported here, off the UI thread."""
    from app.context import Ripple

    return Ripple.open(db_url, settings=settings)
