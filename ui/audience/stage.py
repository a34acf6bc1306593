"""The room's stage: the workshop and item, their public instructions, the big timer, the
groups or a role play's round, cast and phase — and the recognition view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from app.room.view import RoomRecognition, RoomRolePlay, RoomView
from ui.audience.style import RoomPalette, palette, room_font, tone_colour

_BOLD = QFont.Weight.Bold


def _label(wrap: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


class _Box(QFrame):
    """A group's (or a cast member's) card: a heading over lines of names."""

    def __init__(self, heading: str, lines: list[str], height: int, p: RoomPalette) -> None:
        super().__init__()
        self.setObjectName("RoomBox")
        self.setStyleSheet(f"#RoomBox {{ background: {p.surface}; border-radius: {height // 60}px; }}")
        lay = QVBoxLayout(self)
        m = height // 45
        lay.setContentsMargins(m, m // 2, m, m // 2)
        lay.setSpacing(0)
        head = _label()
        head.setText(heading)
        head.setFont(room_font("label", height, _BOLD))
        head.setStyleSheet(f"color: {p.accent};")
        lay.addWidget(head)
        for line in lines:
            row = _label(wrap=True)
            row.setText(line)
            row.setFont(room_font("label", height))
            lay.addWidget(row)
        lay.addStretch(1)


class Stage(QWidget):
    """Item, instructions and timer; groups or the role play below."""

    def __init__(self) -> None:
        super().__init__()
        self._height = 720
        self._boxes_key: object = None
        outer = QVBoxLayout(self)
        self.outer = outer
        top = QHBoxLayout()
        self.workshop = _label()
        self.place = _label()
        self.place.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.workshop, 1)
        top.addWidget(self.place)
        outer.addLayout(top)
        middle = QHBoxLayout()
        left = QVBoxLayout()
        self.kind = _label()
        self.item_title = _label(wrap=True)
        self.instructions = _label(wrap=True)
        self.instructions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for w in (self.kind, self.item_title, self.instructions):
            left.addWidget(w)
        left.addStretch(1)
        middle.addLayout(left, 5)
        right = QVBoxLayout()
        self.timer = _label()
        self.timer.setObjectName("RoomTimer")
        self.timer.setAccessibleName("Room timer")
        self.timer.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.phase = _label()
        self.phase.setAlignment(Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.timer)
        right.addWidget(self.phase)
        right.addStretch(1)
        middle.addLayout(right, 4)
        outer.addLayout(middle, 1)
        self.boxes = QGridLayout()
        outer.addLayout(self.boxes)
        self.next = _label()
        outer.addWidget(self.next)
        self.view: RoomView | None = None

    # ------------------------------------------------------------ painting

    def scale_to(self, height: int) -> None:
        """Fonts in fractions of the screen height (see ui.audience.style)."""
        self._height = max(240, height)
        h = self._height
        m = h // 24
        self.outer.setContentsMargins(m, m // 2, m, m // 2)
        self.outer.setSpacing(h // 60)
        self.workshop.setFont(room_font("label", h, QFont.Weight.DemiBold))
        self.place.setFont(room_font("label", h))
        self.kind.setFont(room_font("label", h, _BOLD))
        self.item_title.setFont(room_font("headline", h, _BOLD))
        self.instructions.setFont(room_font("body", h))
        self.timer.setFont(room_font("timer", h, QFont.Weight.Black))
        self.phase.setFont(room_font("name", h, _BOLD))
        self.next.setFont(room_font("label", h))
        self._boxes_key = None
        if self.view is not None:
            self.show_view(self.view)

    def show_view(self, v: RoomView) -> None:
        self.view = v
        p = palette()
        self.workshop.setText(v.title)
        self.workshop.setStyleSheet(f"color: {p.muted};")
        self.place.setStyleSheet(f"color: {p.muted};")
        self.kind.setStyleSheet(f"color: {p.accent};")
        self.next.setStyleSheet(f"color: {p.muted};")
        if v.item is None:
            self.place.setText("")
            self.kind.setText("")
            self.item_title.setText("Welcome" if v.status != "finished" else "Thank you")
            self.instructions.setText("")
        else:
            self.place.setText(f"{v.item.number} of {v.item.of}")
            self.kind.setText(v.item.kind.upper())
            self.item_title.setText(v.item.title)
            self.instructions.setText(v.item.instructions)
        self.show_timer(v)
        self.next.setText(f"Next: {v.next_title}" if v.next_title else "")
        self._show_boxes(v, p)

    def show_timer(self, v: RoomView) -> None:
        """The clock alone (the 4 Hz tick repaints only this)."""
        p = palette()
        t = v.timer
        self.timer.setText(t.text)
        self.timer.setStyleSheet(f"color: {tone_colour(p, t.tone)};")
        rp = v.roleplay
        if rp is not None:
            phase = rp.phase.upper()
            if rp.phase_timer is not None:
                phase += f"  {rp.phase_timer.text}"
                self.phase.setStyleSheet(f"color: {tone_colour(p, rp.phase_timer.tone)};")
            else:
                self.phase.setStyleSheet(f"color: {p.accent};")
            self.phase.setText(phase)
        self.phase.setVisible(rp is not None)

    def _show_boxes(self, v: RoomView, p: RoomPalette) -> None:
        rp = v.roleplay
        key = (rp.round, rp.group, rp.cast, rp.situation) if rp else v.groups
        if key == self._boxes_key:
            return
        self._boxes_key = key
        _clear(self.boxes)
        h = self._height
        if rp is not None:
            self._show_roleplay(rp, h, p)
            return
        per_row = 4 if len(v.groups) > 3 else max(1, len(v.groups))
        for i, g in enumerate(v.groups):
            self.boxes.addWidget(_Box(g.name, [", ".join(g.members)], h, p), i // per_row, i % per_row)

    def _show_roleplay(self, rp: RoomRolePlay, h: int, p: RoomPalette) -> None:
        where = f"Round {rp.round}" + (f" · {rp.group}" if rp.group else "")
        self.boxes.addWidget(_Box(f"{rp.scenario} — {where}", [rp.situation], h, p), 0, 0, 1, max(1, len(rp.cast)))
        for i, c in enumerate(rp.cast):
            self.boxes.addWidget(_Box(c.role, [c.person] + ([c.public] if c.public else []), h, p), 1, i)


class Recognition(QWidget):
    """Whose shares set others off: names and one line each, never a number or a rank."""

    def __init__(self) -> None:
        super().__init__()
        self._height = 720
        self.lay = QVBoxLayout(self)
        self.rec: RoomRecognition | None = None

    def scale_to(self, height: int) -> None:
        self._height = max(240, height)
        if self.rec is not None:
            self.show_recognition(self.rec, force=True)

    def show_recognition(self, rec: RoomRecognition, *, force: bool = False) -> None:
        if rec == self.rec and not force:
            return
        self.rec = rec
        p = palette()
        h = self._height
        m = h // 20
        self.lay.setContentsMargins(m, m // 2, m, m // 2)
        _clear(self.lay)
        heading = _label(wrap=True)
        heading.setText(rec.heading + (" today" if rec.scope == "today" else f" in “{rec.scope}”"))
        heading.setFont(room_font("headline", h, _BOLD))
        heading.setStyleSheet(f"color: {p.accent};")
        self.lay.addWidget(heading)
        self.lay.addSpacing(h // 30)
        rows = rec.starters or ()
        if not rows:
            empty = _label(wrap=True)
            empty.setText("Thank you all for sharing.")
            empty.setFont(room_font("name", h))
            self.lay.addWidget(empty)
        many = len(rows) > 5
        for s in rows:
            name = _label()
            name.setText(s.name)
            name.setFont(room_font("label" if many else "name", h, _BOLD))
            line = _label(wrap=True)
            line.setText(s.line)
            line.setFont(room_font("label" if many else "body", h))
            line.setStyleSheet(f"color: {p.muted};")
            self.lay.addWidget(name)
            self.lay.addWidget(line)
            self.lay.addSpacing(h // (90 if many else 50))
        self.lay.addStretch(1)
