"""The audience window (title "Ripple audience — …"): a :class:`RoomView` painted large.

Keys here (and the console's room menu): ``B`` blanks the room to black, ``F`` freezes it on
what it shows now (the console carries on; the room catches up when unfrozen), ``S`` asks to
swap screens with the console. Painting reads only the RoomView it is handed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.room.view import RoomView
from ui.audience.clip import ClipStage
from ui.audience.stage import Recognition, Stage
from ui.audience.style import palette

TITLE = "Ripple audience"


class AudienceWindow(QWidget):
    """What the projector shows; never the console."""

    sig_key = Signal(str)
    """(action: str) — a key asked for "blank", "freeze" or "swap"."""
    sig_closed = Signal()
    """() — the person closed the window (its close button, Esc in a window)."""
    sig_clip_finished = Signal()
    """() — the clip on air played to its end."""
    sig_painted = Signal()
    """() — a new view was painted (the bench and the tests time it)."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.setObjectName("Audience")
        self.setMinimumSize(480, 270)
        self.blanked = False
        self.frozen = False
        self.view: RoomView | None = None  # what the room sees (the frozen one while frozen)
        self.latest: RoomView | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        lay.addWidget(self.pages)
        self.stage = Stage()
        self.clip = ClipStage()
        self.clip.sig_finished.connect(self.sig_clip_finished)
        self.recognition = Recognition()
        self.black = QWidget()
        self.black.setStyleSheet("background: black;")
        for w in (self.stage, self.clip, self.recognition, self.black):
            self.pages.addWidget(w)
        self._colour()

    # ------------------------------------------------------------ API

    def show_view(self, v: RoomView) -> None:
        """Paint ``v`` (unless frozen: then it is kept for when the room is unfrozen)."""
        self.latest = v
        if self.frozen:
            return
        old = self.view
        self.view = v
        self.setWindowTitle(f"{TITLE} — {v.title}")
        if old is not None and old.mode == v.mode == "stage" and _only_clock(old, v):
            self.stage.show_timer(v)
        elif v.mode == "recognition" and v.recognition is not None:
            self.clip.stop()
            self.recognition.show_recognition(v.recognition)
        elif v.mode == "clip" and v.clip is not None:
            self.clip.show_clip(v.clip)
        else:
            self.clip.stop()
            self.stage.show_view(v)
        self._page()
        self.sig_painted.emit()

    def set_blanked(self, on: bool) -> None:
        """Black, and a clip on air pauses; unblanked, it plays on."""
        was = self.blanked
        self.blanked = on
        if on:
            self.clip.player.pause()
        elif was and self.page == "clip" and self.clip.currentWidget() is self.clip.video:
            self.clip.player.play()
        self._page()

    def set_frozen(self, on: bool) -> None:
        self.frozen = on
        if not on and self.latest is not None:
            self.show_view(self.latest)

    @property
    def page(self) -> str:
        """What the room sees now: "black", "stage", "clip" or "recognition"."""
        if self.blanked:
            return "black"
        return self.view.mode if self.view is not None else "stage"

    # ------------------------------------------------------------ inside

    def _page(self) -> None:
        target = {"black": self.black, "stage": self.stage, "clip": self.clip,
                  "recognition": self.recognition}[self.page]
        self.pages.setCurrentWidget(target)

    def _colour(self) -> None:
        p = palette()
        self.setStyleSheet(f"#Audience {{ background: {p.bg}; }} #Audience QLabel {{ color: {p.text}; }}")

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        h = e.size().height()
        self.stage.scale_to(h)
        self.recognition.scale_to(h)
        self.clip.scale_to(h)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        action = {Qt.Key.Key_B: "blank", Qt.Key.Key_F: "freeze", Qt.Key.Key_S: "swap"}.get(Qt.Key(e.key()))
        if action and not e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.sig_key.emit(action)
            return
        if e.key() == Qt.Key.Key_Period:  # what presentation remotes send for "black screen"
            self.sig_key.emit("blank")
            return
        super().keyPressEvent(e)

    def closeEvent(self, e: QCloseEvent) -> None:
        self.clip.stop()
        if e.spontaneous():
            self.sig_closed.emit()
        super().closeEvent(e)


def _only_clock(old: RoomView, new: RoomView) -> bool:
    """Whether the views differ only in their clocks (a tick repaints just the timer)."""
    from dataclasses import replace

    rp = new.roleplay
    if rp is not None and old.roleplay is not None:
        rp = replace(rp, phase_timer=old.roleplay.phase_timer)
    return replace(new, timer=old.timer, roleplay=rp) == old


__all__ = ["TITLE", "AudienceWindow"]
