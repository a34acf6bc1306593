"""A finished workshop in the console: read-only, with the reason said and Resume at hand.

The console calls :meth:`ReadOnly.update` whenever it paints the workshop's state. While the
workshop is finished, every control that writes is disabled (tiles, kind chips, timer and
agenda buttons, undo, edit and delete), clicks on the agenda and the Latest list are ignored
(both still scroll and read), and a bar says why: "This workshop finished on 3 Dec. Resume
it to log more." Keys that would log are refused by ``LiveWorkshop`` itself with the same
sentence. Resume asks first, then reopens the workshop (``LiveWorkshop.resume``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFrame, QGraphicsOpacityEffect, QHBoxLayout, QLabel, QWidget

from ui.kit.widgets import button, confirm

if TYPE_CHECKING:
    from ui.live.console import Console

#: Mouse events the agenda and the Latest list ignore while the workshop is finished.
_CLICKS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                     QEvent.Type.MouseButtonDblClick})


class ReadOnly(QObject):
    """The console's read-only state: the bar over the console and the controls it locks."""

    def __init__(self, console: Console) -> None:
        super().__init__(console)
        self.console = console
        self.locked = False
        self.bar = QFrame()
        self.bar.setObjectName("ReadOnlyBar")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(12, 6, 6, 6)
        self.reason = QLabel()
        self.reason.setObjectName("Muted")
        self.reason.setWordWrap(True)
        row.addWidget(self.reason, 1)
        self.resume_button = button("Resume workshop…", tip="Make the workshop live again to log more")
        self.resume_button.clicked.connect(self.ask_resume)
        row.addWidget(self.resume_button)
        self.bar.hide()
        for view in (console.agenda, console.recent):
            view.viewport().installEventFilter(self)

    def _controls(self) -> list[QWidget]:
        c = self.console
        return [c.tiles, c.start_button, c.plus_button, c.next_button, c.undo_button, c.end_button,
                c.edit_button, c.delete_button, c.builds_chip, c.take_over_button, c.merge_button,
                c.roleplay, *c.kind_chips.values()]

    def update(self) -> None:
        """Lock or unlock the console for the workshop it shows (the console calls this
        after painting the agenda, so what it enabled is corrected here)."""
        live = self.console.live
        reason = live.read_only_reason() if live is not None else ""
        was, self.locked = self.locked, bool(reason)
        self.reason.setText(reason)
        self.bar.setVisible(self.locked)
        if self.locked or was:  # unlocking gives back what locking took; the rest is the console's
            for w in self._controls():
                w.setEnabled(not self.locked)
        if self.locked != was:
            self._fade(self.locked)
        if was and not self.locked and live is not None:
            self.console.undo_button.setEnabled(live.last_logged() is not None)

    def _fade(self, on: bool) -> None:
        """The tiles paint themselves: a locked grid is drawn faded so it reads as off."""
        if on:
            effect = QGraphicsOpacityEffect(self.console.tiles)
            effect.setOpacity(0.45)
            self.console.tiles.setGraphicsEffect(effect)
        else:
            self.console.tiles.setGraphicsEffect(None)  # type: ignore[arg-type]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.locked and event.type() in _CLICKS:
            return True  # reading and scrolling yes, jumping or arming no
        return super().eventFilter(watched, event)

    def ask_resume(self) -> None:
        """Resume asks first: a finished workshop's insights change with what is logged next."""
        live = self.console.live
        if live is None or not live.finished:
            return
        question = (f"Resume “{live.plan.title}”? It becomes live again, run from this laptop: taps, the timer "
                    "and the agenda work as before, and what you log joins its insights.")
        if confirm(self.console, "Resume workshop", question, "Resume"):
            self.console.guard(live.resume)
            if not live.finished:
                self.console.sig_info.emit(f"“{live.plan.title}” is live again.")


__all__ = ["ReadOnly"]
