"""The review's timeline: the clip's length as a track, the play head, and every marker as a
tick coloured by its criterion, above the track for a strength and below it for "to improve".

A click on the track asks to seek there (``sig_seek``); a click near a marker asks for that
marker (``sig_marker``). Colours come from :func:`criterion_colour`, the same in the list.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.roleplay.views import Criterion, MarkerView
from ui.kit import theme

# Distinct hues, readable on light and dark surfaces (one per criterion, in rubric order).
HUES = ("#2f7fd8", "#8a5cd6", "#d6489a", "#e0782b", "#1c9c8c", "#6d8f1f", "#c23d3d", "#b08a10",
        "#4a5fc1", "#2c9a52", "#a0522d", "#5b7083")


def criterion_colour(rubric: Sequence[Criterion], criterion: str | None) -> QColor:
    """A criterion's colour (grey for a bookmark)."""
    ids = [c.id for c in rubric]
    if criterion is None or criterion not in ids:
        return QColor(theme.current().muted)
    return QColor(HUES[ids.index(criterion) % len(HUES)])


class MarkerTimeline(QWidget):
    """The track with markers; ``set_markers``, ``set_duration`` and ``set_position`` feed it."""

    sig_seek = Signal(float)
    """(seconds: float) — the track was clicked there."""
    sig_marker = Signal(object)
    """(marker: MarkerView) — a marker was clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubric: tuple[Criterion, ...] = ()
        self.markers: list[MarkerView] = []
        self.duration_s = 0.0
        self.position_s = 0.0
        self.current: MarkerView | None = None
        self.loop: tuple[float, float] | None = None
        self.setMinimumHeight(self.fontMetrics().height() * 3)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to jump; markers above the line are strengths, below are things to improve")

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().height() * 3)

    def set_markers(self, rubric: tuple[Criterion, ...], markers: Sequence[MarkerView]) -> None:
        self.rubric, self.markers = rubric, list(markers)
        self.update()

    def set_duration(self, seconds: float) -> None:
        self.duration_s = max(0.0, seconds)
        self.update()

    def set_position(self, seconds: float) -> None:
        self.position_s = seconds
        self.update()

    def set_current(self, marker: MarkerView | None, loop: tuple[float, float] | None = None) -> None:
        self.current, self.loop = marker, loop
        self.update()

    # ------------------------------------------------------------ geometry

    def _track(self) -> QRectF:
        h = self.height()
        return QRectF(8, h / 2 - 3, max(1, self.width() - 16), 6)

    def x_of(self, seconds: float) -> float:
        t = self._track()
        if self.duration_s <= 0:
            return t.left()
        return t.left() + t.width() * min(1.0, max(0.0, seconds / self.duration_s))

    def seconds_at(self, x: float) -> float:
        t = self._track()
        return max(0.0, min(1.0, (x - t.left()) / t.width())) * self.duration_s

    # ------------------------------------------------------------ painting and clicks

    def paintEvent(self, e: QPaintEvent) -> None:
        p = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = self._track()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(p.border))
        painter.drawRoundedRect(track, 3, 3)
        if self.loop is not None:
            a, b = self.x_of(self.loop[0]), self.x_of(self.loop[1])
            shade = QColor(p.accent)
            shade.setAlpha(60)
            painter.setBrush(shade)
            painter.drawRect(QRectF(a, 2, max(2.0, b - a), self.height() - 4))
        played = QRectF(track.left(), track.top(), self.x_of(self.position_s) - track.left(), track.height())
        painter.setBrush(QColor(p.accent))
        painter.drawRoundedRect(played, 3, 3)
        mid = track.center().y()
        for m in self.markers:
            x = self.x_of(m.at_s)
            colour = criterion_colour(self.rubric, m.criterion)
            painter.setPen(QPen(colour, 2))
            up = m.polarity != "improve"
            tip = mid - 5 if up else mid + 5
            end = 4 if up else self.height() - 4
            painter.drawLine(QPointF(x, mid), QPointF(x, tip))
            painter.setBrush(colour)
            size = 7 if m is self.current or (self.current and m.id == self.current.id) else 5
            if up:
                head = QPolygonF([QPointF(x, end), QPointF(x - size, end + size * 1.6), QPointF(x + size, end + size * 1.6)])
            else:
                head = QPolygonF([QPointF(x, end), QPointF(x - size, end - size * 1.6), QPointF(x + size, end - size * 1.6)])
            painter.drawPolygon(head)
        painter.setPen(QPen(QColor(p.text), 2))
        x = self.x_of(self.position_s)
        painter.drawLine(QPointF(x, 2), QPointF(x, self.height() - 2))
        painter.end()

    def mousePressEvent(self, e: QMouseEvent) -> None:
        x = e.position().x()
        near = min(self.markers, key=lambda m: abs(self.x_of(m.at_s) - x), default=None)
        if near is not None and abs(self.x_of(near.at_s) - x) <= 6:
            self.sig_marker.emit(near)
        else:
            self.sig_seek.emit(self.seconds_at(x))
