"""Participant tiles: one tap logs a spontaneous share, a second gesture a prompted one.

Gestures: click = spontaneous; right-click, Shift/Ctrl+click or a long press = prompted;
drag from one tile onto another = the second person builds on the first one's latest share.

Who has not been heard yet is a quiet nudge, not an alarm: at the start everyone is silent,
so a tile says "not yet shared" in muted type and nothing more; once the room is under way
(half of it heard, or a third of the agenda's time used: the rule in ``ui/live/heard.py``,
the same as the live panel's), a silent tile gains a small dot beside its avatar. A tile is as
tall as what it shows (avatar, a name on up to two lines, the counts), not stretched to fill
the console.
"""

from __future__ import annotations

import hashlib
import uuid

from PySide6.QtCore import (
    Property,
    QByteArray,
    QElapsedTimer,
    QMimeData,
    QPoint,
    QPropertyAnimation,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from app.planning.views import ParticipantView, Tally
from ui.kit import theme
from ui.kit.widgets import wrap_words
from ui.live.heard import under_way

MIME = "application/x-ripple-participant"
LONG_PRESS_MS = 550


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[-1][0]).upper()


def avatar_color(key: str) -> QColor:
    h = int(hashlib.sha1(key.encode()).hexdigest()[:4], 16) % 360
    dark = theme.current().name == "dark"
    return QColor.fromHsl(h, 120 if dark else 140, 95 if dark else 120)


class Tile(QWidget):
    """One participant: initials, name, counts, key; a small dot while they are not heard yet
    (once the room is under way: :attr:`nudged`)."""

    sig_tapped = Signal(object, str)
    """(participant_id: uuid.UUID, initiative: str) — log a share: "spontaneous" or "prompted"."""
    sig_dropped = Signal(object, object)
    """(source_id: uuid.UUID, target_id: uuid.UUID) — the source's tile was dropped on this one:
    the target shares now, building on the source's latest share."""

    def __init__(self, person: ParticipantView, hotkey: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        self.hotkey = hotkey
        self.tally = Tally()
        self.nudged = False  # silent while others have shared: the dot (set by the grid)
        self._flash = 0.0
        self._flash_color = QColor(theme.current().spontaneous)
        self._press_pos: QPoint | None = None
        self._press_clock = QElapsedTimer()
        self._long_timer = QTimer(self)
        self._long_timer.setSingleShot(True)
        self._long_timer.setInterval(LONG_PRESS_MS)
        self._long_timer.timeout.connect(self._long_press)
        self._long_fired = False
        self._anim = QPropertyAnimation(self, QByteArray(b"flash"), self)
        self._anim.setDuration(450)
        self._anim.setStartValue(1.0)
        self._anim.setEndValue(0.0)
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolTip(
            f"{person.name}\nClick: shared spontaneously · Right-click or long press: when prompted\n"
            f"Key {hotkey.upper()} / Shift+{hotkey.upper()} · Drag onto another tile: they build on this"
            if hotkey else person.name
        )
        self.setAccessibleName(f"{person.name}, tile")

    # animated property for the "logged" flash
    def _get_flash(self) -> float:
        return self._flash

    def _set_flash(self, v: float) -> None:
        self._flash = v
        self.update()

    flash = Property(float, _get_flash, _set_flash)

    def content_height(self) -> int:
        """What the tile shows, top to bottom: padding, a name on two lines (1.15 × the font),
        the counts, padding; the avatar sits beside them."""
        fm = self.fontMetrics()
        pad = max(8.0, fm.height() * 0.5)
        return round(6 + 2 * pad + fm.height() * (2 * 1.15 + 0.15 + 1.2) + fm.height() * 1.5)

    def minimumSizeHint(self) -> QSize:
        # The avatar beside "not yet shared" and a first name whole: at 16 characters the
        # grid chose four narrow columns on a 1366x768 laptop and cut both ("Consta…").
        return QSize(self.fontMetrics().averageCharWidth() * 22, self.content_height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * 22, self.content_height())

    def set_tally(self, tally: Tally) -> None:
        self.tally = tally
        self.update()
        grid = self.parentWidget()
        if isinstance(grid, TileGrid):
            grid.update_nudges()

    def set_nudged(self, on: bool) -> None:
        if on != self.nudged:
            self.nudged = on
            self.update()

    def pulse(self, initiative: str) -> None:
        p = theme.current()
        self._flash_color = QColor(p.spontaneous if initiative == "spontaneous" else p.prompted)
        self._anim.stop()
        self._anim.start()

    # ---------------------------------------------------------------- input

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self._press_pos = e.position().toPoint()
        self._long_fired = False
        if e.button() == Qt.MouseButton.LeftButton:
            self._press_clock.start()
            self._long_timer.start()

    def _long_press(self) -> None:
        self._long_fired = True
        self.sig_tapped.emit(self.person.id, "prompted")

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._press_pos is None or not (e.buttons() & Qt.MouseButton.LeftButton):
            return
        if (e.position().toPoint() - self._press_pos).manhattanLength() < max(12, self.fontMetrics().height()):
            return
        self._long_timer.stop()
        self._press_pos = None
        drag = QDrag(self)
        mime = QMimeData()
        mime.setData(MIME, QByteArray(str(self.person.id).encode()))
        drag.setMimeData(mime)
        pix = QPixmap(self.size())
        pix.fill(Qt.GlobalColor.transparent)
        self.render(pix)
        drag.setPixmap(pix.scaledToWidth(max(40, self.width() // 2)))
        drag.exec(Qt.DropAction.LinkAction)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        self._long_timer.stop()
        if self._press_pos is None:
            return
        self._press_pos = None
        if self._long_fired:
            return
        if e.button() == Qt.MouseButton.RightButton:
            self.sig_tapped.emit(self.person.id, "prompted")
        elif e.button() == Qt.MouseButton.LeftButton:
            mods = e.modifiers()
            prompted = bool(mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier))
            self.sig_tapped.emit(self.person.id, "prompted" if prompted else "spontaneous")

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasFormat(MIME) and bytes(e.mimeData().data(MIME).data()).decode() != str(self.person.id):
            e.setDropAction(Qt.DropAction.LinkAction)
            e.accept()
        else:
            e.ignore()

    def dropEvent(self, e: QDropEvent) -> None:
        source = uuid.UUID(bytes(e.mimeData().data(MIME).data()).decode())
        e.setDropAction(Qt.DropAction.LinkAction)
        e.accept()
        self.sig_dropped.emit(source, self.person.id)

    # ---------------------------------------------------------------- paint

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = theme.current()
        qp = QPainter(self)
        qp.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        radius = min(16.0, r.height() / 6)
        silent = self.tally.total == 0
        qp.setBrush(QColor(p.surface))
        qp.setPen(QPen(QColor(p.border), 1.0))
        qp.drawRoundedRect(r, radius, radius)
        if self._flash > 0:
            c = QColor(self._flash_color)
            c.setAlphaF(0.35 * self._flash)
            qp.setBrush(c)
            qp.setPen(Qt.PenStyle.NoPen)
            qp.drawRoundedRect(r, radius, radius)

        fm = self.fontMetrics()
        pad = max(8.0, fm.height() * 0.5)
        # avatar
        size = min(r.height() * 0.42, r.width() * 0.24)
        av = QRectF(r.left() + pad, r.top() + (r.height() - size) / 2 - fm.height() * 0.35, size, size)
        qp.setBrush(avatar_color(str(self.person.id)))
        qp.setPen(Qt.PenStyle.NoPen)
        qp.drawEllipse(av)
        f = QFont(self.font())
        f.setPointSizeF(max(7.0, size * 0.32 * 72 / max(1, self.logicalDpiY())))
        f.setWeight(QFont.Weight.Bold)
        qp.setFont(f)
        qp.setPen(QColor("white"))
        qp.drawText(av, Qt.AlignmentFlag.AlignCenter, initials(self.person.name))
        if self.nudged:  # a small dot on the avatar's shoulder, ringed in the tile's colour
            d = max(7.0, size * 0.26)
            dot = QRectF(av.right() - d * 0.85, av.top() - d * 0.15, d, d)
            qp.setBrush(QColor(p.warning))
            qp.setPen(QPen(QColor(p.surface), max(1.5, d * 0.18)))
            qp.drawEllipse(dot)

        # name
        text_left = av.right() + pad
        name_font = QFont(self.font())
        name_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        name_font.setWeight(QFont.Weight.DemiBold)
        qp.setFont(name_font)
        qp.setPen(QColor(p.text))
        nfm = qp.fontMetrics()
        badge = fm.height() * 1.3  # the key's badge: bottom right, under the counts
        width = r.right() - text_left - pad
        lines = _two_lines(self.person.name, nfm, int(width))
        name_rect = QRectF(text_left, av.center().y() - nfm.height() * (len(lines) * 0.5 + 0.55),
                           width, nfm.height() * len(lines))
        for i, line in enumerate(lines):
            qp.drawText(QRectF(name_rect.left(), name_rect.top() + i * nfm.height(), width, nfm.height()),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)

        # counts: ● spontaneous  ○ prompted
        qp.setFont(self.font())
        y = name_rect.bottom() + fm.height() * 0.15
        counts = QRectF(text_left, y, width, fm.height() * 1.2)
        if silent:
            qp.setPen(QColor(p.muted))
            qp.drawText(counts, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        "not heard yet" if self.nudged else "not yet shared")
        else:
            qp.setPen(QColor(p.spontaneous))
            s_text = f"● {self.tally.spontaneous}"
            qp.drawText(counts, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, s_text)
            qp.setPen(QColor(p.prompted))
            line2 = QRectF(counts.left() + fm.horizontalAdvance(s_text) + fm.averageCharWidth() * 2, counts.top(),
                           counts.width(), counts.height())
            qp.drawText(line2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"○ {self.tally.prompted}")

        # hotkey badge
        if self.hotkey:
            br = QRectF(r.right() - badge - pad * 0.6, r.bottom() - badge - pad * 0.6, badge, badge)
            qp.setBrush(QColor(p.surface2))
            qp.setPen(QPen(QColor(p.border), 1))
            qp.drawRoundedRect(br, 6, 6)
            qp.setPen(QColor(p.muted))
            qp.drawText(br, Qt.AlignmentFlag.AlignCenter, self.hotkey.upper())
        qp.end()


def _two_lines(name: str, fm: QFontMetrics, width: int) -> list[str]:
    """The name on one line if it fits, else split between words over two, eliding the rest."""
    lines = wrap_words(name, fm, width)
    shown = lines[:1] + ([" ".join(lines[1:])] if len(lines) > 1 else [])
    return [fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in shown]


class TileGrid(QWidget):
    """Lays tiles out in as many columns as fit, so 8 or 16 people fill the space."""

    LEGEND = ("Click: spontaneous ●   Right-click / Shift+click / long press: prompted ○   "
              "Drag a tile onto another: builds on   Dot: not heard yet")
    """The gestures, for the line under the grid."""

    sig_tapped = Signal(object, str)
    """(participant_id: uuid.UUID, initiative: str) — a tile's :attr:`Tile.sig_tapped`."""
    sig_dropped = Signal(object, object)
    """(source_id: uuid.UUID, target_id: uuid.UUID) — a tile's :attr:`Tile.sig_dropped`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(10)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.tiles: dict[uuid.UUID, Tile] = {}
        self._order: list[uuid.UUID] = []
        self.progress = (0.0, 0.0)  # (agenda seconds used, planned): set by the console

    def set_people(self, people: list[tuple[ParticipantView, str]]) -> None:
        for t in self.tiles.values():
            t.setParent(None)
            t.deleteLater()
        self.tiles.clear()
        self._order = []
        for person, key in people:
            tile = Tile(person, key, self)
            tile.sig_tapped.connect(self.sig_tapped)
            tile.sig_dropped.connect(self.sig_dropped)
            self.tiles[person.id] = tile
            self._order.append(person.id)
        self._relayout()
        self.update_nudges()

    def shares(self) -> int:
        """Shares logged in the room so far (the tiles' tallies)."""
        return sum(t.tally.total for t in self.tiles.values())

    @property
    def under_way(self) -> bool:
        """Whether silent people are worth a look now (``ui.live.heard.under_way``)."""
        heard = sum(1 for t in self.tiles.values() if t.tally.total)
        return under_way(heard, len(self.tiles), *self.progress)

    def set_agenda_progress(self, used_s: float, planned_s: float) -> None:
        """How much of the agenda's time is used (the other half of the rule)."""
        if (used_s, planned_s) != self.progress:
            self.progress = (used_s, planned_s)
            self.update_nudges()

    def update_nudges(self) -> None:
        """A silent tile shows its dot once the room is :attr:`under_way`."""
        on = self.under_way
        for tile in self.tiles.values():
            tile.set_nudged(on and tile.tally.total == 0)

    def _columns(self) -> int:
        n = len(self._order)
        if n == 0:
            return 1
        gap = self.grid.spacing()
        tile = next(iter(self.tiles.values()))
        comfortable = tile.minimumSizeHint().width() + gap  # names and "not yet shared" whole
        tightest = tile.fontMetrics().averageCharWidth() * 16 + gap  # names cut, but everyone seen
        ideal = 4 if n > 9 else 3 if n > 4 else 2
        cols = max(1, min(self.width() // max(1, comfortable), ideal, n))
        # A big room gets narrower tiles rather than rows below the window: nobody's tile may
        # be out of sight while the trainer taps.
        row_h = tile.content_height() + gap
        most = max(1, self.width() // max(1, tightest))
        while cols < min(most, n) and -(-n // cols) * row_h > self.height() + gap:
            cols += 1
        return cols

    def _relayout(self) -> None:
        cols = self._columns()
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        for i, pid in enumerate(self._order):
            self.grid.addWidget(self.tiles[pid], i // cols, i % cols)
        rows = -(-len(self._order) // cols)
        self.grid.setRowStretch(rows, 1)  # the room left below the tiles, not in them
        self._cols = cols

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        if getattr(self, "_cols", None) != self._columns():
            for t in self.tiles.values():
                self.grid.removeWidget(t)
            self._relayout()
