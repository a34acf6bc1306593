"""The base of every screen of the nav rail: what it says to the banner, how it runs a use
case, and how it stays current when the store changes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.errors import USER_ERRORS
from ui.changes import Changes, announce, hub

if TYPE_CHECKING:  # the store (SQLAlchemy) is not loaded before the first window
    from app.context import Ripple


class Page(QWidget):
    """A screen: the window shows its messages in the banner and refreshes it when needed.

    A subclass names in :attr:`WATCHES` the kinds of change (``ui.changes``) it shows and
    implements :meth:`refresh`. When another screen (or a sync) writes such rows, a page on
    show refreshes at once and a hidden one is marked stale and refreshes when shown.
    """

    sig_error = Signal(str)
    """(text: str) — one sentence for the window's banner, shown as an error."""
    sig_info = Signal(str)
    """(text: str) — one sentence for the window's banner, shown as news that fades away."""

    WATCHES: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: Ripple, parent: QWidget | None = None, *, stale: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stale = stale
        self.setObjectName("Page")
        hub().sig_changed.connect(self._store_changed)

    def refresh(self) -> None:
        """Read again what the page shows."""

    def affected_by(self, changes: Changes) -> bool:
        """Whether ``changes`` (written by someone else) make what the page shows out of date."""
        return changes.touches(self.WATCHES)

    def guard(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a use case here and now (a small local transaction); a refusal becomes a banner
        message and ``None``, never a crash."""
        try:
            return fn(*args, **kwargs)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return None

    def announce(self, *kinds: str, workshop: uuid.UUID | None = None) -> None:
        """Tell the other screens what this page just wrote."""
        announce(Changes.of(*kinds, workshop=workshop), self)

    def _store_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self or not self.affected_by(changes):
            return
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if self.stale:
            self.stale = False
            self.refresh()
