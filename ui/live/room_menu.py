"""The console's room button: which screen the room sees (and saying so on the button),
blank, freeze, swap screens, a clip for the room, and recognition.

It only asks: ``sig_room(action, argument)`` goes to whoever owns the audience window (the
shell wires it to ``ui.audience``); :meth:`RoomMenu.show_status` shows the answer.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from app.clips.catalogue import list_clips
from app.context import Ripple
from app.errors import USER_ERRORS
from app.room.recognition import recognition_enabled


class RoomMenu(QPushButton):
    """"Room sees: HDMI-1 ▾" in the console's header."""

    sig_room = Signal(str, str)
    """(action: str, argument: str) — "screen" (a screen's name, "window" or "none"), "blank",
    "freeze", "swap", "allow_recognition" ("on"/"off"), "recognize" ("day"/"item"),
    "hide_recognition", "clip" (a clip id), "clip_stop"."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.workshop_id: uuid.UUID | None = None
        self.setObjectName("RoomButton")
        self.setStyleSheet("#RoomButton::menu-indicator { image: none; width: 0px; }")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolTip("What the projector shows (Ctrl+B blank, Ctrl+Shift+F freeze)")
        self.menu_ = QMenu(self)
        self.menu_.aboutToShow.connect(self._fill)
        self.setMenu(self.menu_)
        self.show_status("Room: nothing shown")

    def show_status(self, text: str) -> None:
        self.setText(f"{text}  ▾")
        self.setAccessibleName(text)

    def ask(self, action: str, argument: str = "") -> None:
        self.sig_room.emit(action, argument)

    def _fill(self) -> None:
        """Built on opening: the screens plugged in now, this workshop's clips now."""
        m = self.menu_
        m.clear()
        m.addSection("Show the room on")
        for s in QGuiApplication.screens():
            g = s.geometry()
            mine = " · the console's" if s is self.window().screen() else ""
            self._add(m, f"{s.name()}  ({g.width()}×{g.height()}){mine}", "screen", s.name())
        self._add(m, "A window (rehearsing on one screen)", "screen", "window")
        self._add(m, "Nothing", "screen", "none")
        m.addSeparator()
        self._add(m, "Blank the room  Ctrl+B", "blank")
        self._add(m, "Freeze the room  Ctrl+Shift+F", "freeze")
        self._add(m, "Swap screens with the console", "swap")
        if self.workshop_id is None:
            return
        try:
            clips = list_clips(self.ctx.store, self.workshop_id)
            allowed = recognition_enabled(self.ctx.store, self.workshop_id)
        except USER_ERRORS:
            return
        if clips:
            sub = m.addMenu("Play a clip to the room")
            for c in clips[:20]:
                self._add(sub, f"{c.owner}" + (f" — {c.agenda_title}" if c.agenda_title else ""), "clip", str(c.id))
            self._add(sub, "Back to the agenda", "clip_stop")
        m.addSection("Recognition")
        toggle = QAction("Recognition on for this workshop", m)
        toggle.setCheckable(True)
        toggle.setChecked(allowed)
        toggle.toggled.connect(lambda on: self.ask("allow_recognition", "on" if on else "off"))
        m.addAction(toggle)
        for text, arg in (("Show whose shares set others off today", "day"),
                          ("… in this agenda item", "item")):
            act = self._add(m, text, "recognize", arg)
            act.setEnabled(allowed)
        self._add(m, "Back to the agenda", "hide_recognition").setEnabled(allowed)

    def _add(self, menu: QMenu, text: str, action: str, argument: str = "") -> QAction:
        act = menu.addAction(text)
        act.triggered.connect(lambda _c=False: self.ask(action, argument))
        return act
