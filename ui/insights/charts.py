"""The insight charts (pyqtgraph): workshop timeline, ripple network, equity bars, trend line.

Each chart draws plain view objects from ``app.insights.workshop`` that a worker computed; nothing here
reads the store or computes analytics. Colours come from :mod:`ui.kit.theme` (spontaneous and
prompted keep their meaning everywhere). Clicking a person emits ``sig_person_clicked``.

Sizes are given at 100 % and scaled by :meth:`_Chart.px` (pen widths: pyqtgraph's pens are
cosmetic, drawn in device pixels, so a 1-px line would be a hairline at 200 %) and
:meth:`_Chart.dots` (symbol sizes: pyqtgraph scales those by the device pixel ratio itself,
not by a larger logical DPI); fonts are in points, which follow both. Each chart remembers
what it last drew and draws it again when the theme changes (``theme.changed``) or the
window moves to a screen with another pixel ratio.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from app.insights.workshop import WorkshopInsights
from app.text import clock_label, day, workshop_time
from ui.kit import theme

_LABEL_CHARS = 18


def _short(name: str, n: int = _LABEL_CHARS) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def _color(hex_code: str, alpha: int = 255) -> QColor:
    c = QColor(hex_code)
    c.setAlpha(alpha)
    return c


class _Chart(pg.PlotWidget):
    """A calm plot: theme background, muted axes, no menu, no mouse zoom on the y axis."""

    sig_person_clicked = Signal(object)
    """(person_id: uuid.UUID) — the user clicked this person's dot, lane or node."""

    _redraw: Callable[[], None] | None = None
    """What was drawn last, to draw again."""
    _drawn: tuple[str, float] | None = None
    """(palette, px) the chart was drawn with; ``None`` until it is built."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.apply_theme()
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMinimumHeight(self.fontMetrics().height() * 10)

    def dots(self) -> float:
        """How much larger than at 100 % a symbol is drawn: the logical DPI over 96 (pyqtgraph
        multiplies by the device pixel ratio itself)."""
        return max(1.0, self.logicalDpiY() / 96.0)

    def px(self) -> float:
        """Device pixels per pixel at 100 %: the device pixel ratio times the logical DPI
        over 96 (2.0 at 200 %), what a cosmetic pen's width is multiplied by."""
        return max(1.0, self.devicePixelRatioF()) * self.dots()

    def pen(self, color: Any, width: float = 1.0, **kw: Any) -> QPen:
        """A pen ``width`` pixels wide at 100 %, as wide at any scale."""
        return pg.mkPen(color, width=width * self.px(), **kw)

    def apply_theme(self) -> None:
        p = theme.current()
        self._drawn = (p.name, self.px())
        self.setBackground(p.surface)
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(self.pen(p.border))
            axis.setTextPen(pg.mkPen(p.muted))
            axis.setTickFont(theme.font(0.85))

    def drawing(self, redraw: Callable[[], None]) -> None:
        """Remember ``redraw`` (the call being made) to repeat it in another theme or scale."""
        self._redraw = redraw

    def changeEvent(self, e: QEvent) -> None:
        super().changeEvent(e)
        if theme.changed(e):
            self._follow()

    def event(self, e: QEvent) -> bool:
        handled = super().event(e)
        if e.type() == QEvent.Type.DevicePixelRatioChange:
            self._follow()
        return handled

    def _follow(self) -> None:
        """Draw again if the theme or the pixel ratio is not what the chart was drawn with."""
        if self._drawn is None or self._drawn == (theme.current().name, self.px()):
            return
        self.apply_theme()
        if self._redraw is not None:
            self._redraw()

    def empty(self, text: str) -> None:
        """Only ``text``, where the chart would be."""
        self.drawing(lambda: self.empty(text))
        self._empty(text)

    def _empty(self, text: str) -> None:
        self.clear()
        p = theme.current()
        label = pg.TextItem(text, color=p.muted, anchor=(0.5, 0.5))
        label.setFont(theme.font(1.0))
        self.addItem(label)
        label.setPos(0.5, 0.5)
        self.setXRange(0, 1)
        self.setYRange(0, 1)
        self.getAxis("left").setTicks([[]])
        self.getAxis("bottom").setTicks([[]])


class _ClockAxis(pg.AxisItem):
    """Minutes since the start, shown on the workshop's clock (the console's Latest list shows
    the same minute: both go through ``app.text.workshop_time``)."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.start: datetime = datetime.now(UTC)
        self.offset_min = 0

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        return [workshop_time(self.start + timedelta(minutes=v), self.offset_min) for v in values]


class TimelineChart(_Chart):
    """One lane per participant; ● spontaneous, ○ prompted, ★ first move of an agenda item;
    lines join a share to its ripples (solid: built on explicitly, dashed: inferred)."""

    def __init__(self, parent: Any = None) -> None:
        self._clock = _ClockAxis()
        super().__init__(parent)
        self.setAxisItems({"bottom": self._clock})
        self.apply_theme()
        self.invertY(True)
        self.setMouseEnabled(x=True, y=False)
        self.lanes: list[uuid.UUID] = []
        self.clock_label = ""  # "times in CET": under the clock axis
        self._band: QGraphicsRectItem | None = None
        self._selected: uuid.UUID | None = None
        self.scene().sigMouseClicked.connect(self._scene_clicked)

    def show_insights(self, wi: WorkshopInsights) -> None:
        self.drawing(lambda: self.show_insights(wi))
        self.clear()
        self._band = None
        p = theme.current()
        self._clock.start = wi.workshop.started_at
        self._clock.offset_min = wi.workshop.utc_offset_min
        self.clock_label = clock_label(wi.workshop.utc_offset_min)
        self._clock.setLabel(self.clock_label, color=p.muted)
        self.lanes = [x.id for x in wi.lanes]
        if not wi.points:
            self._empty("Nothing was logged in this workshop yet.")
            return
        lane = {pid: i for i, pid in enumerate(self.lanes)}
        end = wi.duration_s / 60.0
        # agenda items: alternating soft bands with their titles
        for k, span in enumerate(wi.items):
            a, b = span.start_s / 60.0 - 0.5, span.end_s / 60.0 + 0.5
            region = pg.LinearRegionItem(values=(a, b), movable=False,
                                         brush=pg.mkBrush(_color(p.surface2, 150 if k % 2 == 0 else 70)),
                                         pen=pg.mkPen(None))
            region.setZValue(-20)
            self.addItem(region)
            title = pg.TextItem(_short(span.title, 24), color=p.muted, anchor=(0, 1))
            title.setFont(theme.font(0.8))
            self.addItem(title)
            title.setPos(a, -0.45 if k % 2 == 0 else -1.05)  # two rows, so neighbours never collide
        # ripple links
        at = {pt.id: (pt.offset_s / 60.0, lane[pt.person]) for pt in wi.points}
        for explicit in (False, True):
            xs: list[float] = []
            ys: list[float] = []
            for e in wi.edges:
                if e.explicit != explicit or e.source not in at or e.target not in at:
                    continue
                (x0, y0), (x1, y1) = at[e.source], at[e.target]
                xs += [x0, x1]
                ys += [y0, y1]
            if xs:
                pen = (self.pen(_color(p.accent, 190), 1.6) if explicit
                       else self.pen(_color(p.muted, 110), 1, style=Qt.PenStyle.DashLine))
                item = pg.PlotDataItem(np.array(xs), np.array(ys), connect="pairs", pen=pen)
                item.setZValue(-5)
                self.addItem(item)
        # contributions: one scatter per style (shared brushes keep thousands of points cheap)
        styles = (
            ("spont", lambda pt: pt.spontaneous and not pt.first_move, "o", 10,
             pg.mkBrush(p.spontaneous), self.pen(p.surface)),
            ("prompted", lambda pt: not pt.spontaneous and not pt.first_move, "o", 10,
             pg.mkBrush(p.surface), self.pen(p.prompted, 2)),
            ("first", lambda pt: pt.first_move, "star", 15,
             pg.mkBrush(p.spontaneous), self.pen(p.surface)),
        )
        for _name, keep, symbol, size, brush, pen in styles:
            chosen = [pt for pt in wi.points if keep(pt)]
            if not chosen:
                continue
            xy = np.array([at[pt.id] for pt in chosen], dtype=float)
            scatter = pg.ScatterPlotItem(x=xy[:, 0], y=xy[:, 1], data=[pt.person for pt in chosen], symbol=symbol,
                                         size=size * self.dots(), brush=brush, pen=pen, hoverable=True, tip=None)
            scatter.sigClicked.connect(self._points_clicked)
            self.addItem(scatter)
        left = self.getAxis("left")
        left.setTicks([[(i, _short(x.roster)) for i, x in enumerate(wi.lanes)]])
        left.setWidth(self.fontMetrics().horizontalAdvance("M" * 11))
        self.getAxis("bottom").setTicks(None)
        self.setXRange(-1, end + 1, padding=0.01)
        self.setYRange(-1.6, len(self.lanes) - 0.3, padding=0)
        if self._selected is not None:
            self.select(self._selected)

    def select(self, pid: uuid.UUID | None) -> None:
        """Highlight a participant's lane."""
        self._selected = pid
        if self._band is not None:
            self.removeItem(self._band)
            self._band = None
        if pid is None or pid not in self.lanes:
            return
        p = theme.current()
        i = self.lanes.index(pid)
        band = QGraphicsRectItem(-1e5, i - 0.45, 2e5, 0.9)
        band.setBrush(pg.mkBrush(_color(p.accent, 35)))
        band.setPen(pg.mkPen(None))
        band.setZValue(-10)
        self.addItem(band)
        self._band = band

    def _points_clicked(self, _item: Any, points: Any, *_a: Any) -> None:
        if len(points):
            self.sig_person_clicked.emit(points[0].data())

    def _scene_clicked(self, event: Any) -> None:
        if not self.lanes or event.isAccepted():
            return
        pos = self.plotItem.vb.mapSceneToView(event.scenePos())
        i = round(pos.y())
        if 0 <= i < len(self.lanes):
            self.sig_person_clicked.emit(self.lanes[i])


class NetworkChart(_Chart):
    """Who sets off whom: a node per person (size = people they set off), an arrow per pair
    (thicker = more ripples; accent = explicit links among them)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAspectLocked(True)
        self.getAxis("left").hide()
        self.getAxis("bottom").hide()
        self._ids: list[uuid.UUID] = []
        self.hidden_edges = 0
        self.drawn_edges = 0

    MAX_EDGES = 120  # a dense room draws its strongest links only (the ranking has the rest)

    def show_insights(self, wi: WorkshopInsights, selected: uuid.UUID | None = None) -> None:
        self.drawing(lambda: self.show_insights(wi, selected))
        self.clear()
        p = theme.current()
        if not wi.nodes:
            self._empty("No participants.")
            return
        self.getAxis("left").hide()
        self.getAxis("bottom").hide()
        index = {n.person: i for i, n in enumerate(wi.nodes)}
        pos = np.array([[n.x, n.y] for n in wi.nodes], dtype=float)
        self._ids = [n.person for n in wi.nodes]
        named = {x.id for x in wi.lanes if x.named}
        edges = sorted(wi.network, key=lambda e: (-(3 * e.explicit + e.inferred), str(e.source), str(e.target)))
        self.hidden_edges = max(0, len(edges) - self.MAX_EDGES)
        edges = edges[: self.MAX_EDGES]
        self.drawn_edges = len(edges)
        pairs = {(e.source, e.target) for e in edges}
        top = max((3 * e.explicit + e.inferred for e in edges), default=1.0) or 1.0
        # lines grouped by (explicit?, width class): a handful of items however many links
        groups: dict[tuple[bool, int], tuple[list[float], list[float]]] = {}
        heads: dict[bool, tuple[list[float], list[float]]] = {True: ([], []), False: ([], [])}
        for e in edges:
            a, b = pos[index[e.source]], pos[index[e.target]]
            d = b - a
            length = float(np.hypot(*d)) or 1.0
            unit = d / length
            normal = np.array([-unit[1], unit[0]])
            if (e.target, e.source) in pairs:  # both ways: draw the two side by side
                a, b = a + normal * 0.025, b + normal * 0.025
            width = min(3, int(3 * (3 * e.explicit + e.inferred) / top))
            xs, ys = groups.setdefault((bool(e.explicit), width), ([], []))
            xs += [a[0], b[0]]
            ys += [a[1], b[1]]
            tip = a + d * max(0.5, 1 - 0.1 / length)
            hx, hy = heads[bool(e.explicit)]
            for side in (1, -1):  # two short strokes make the arrowhead
                wing = tip - unit * 0.06 + normal * 0.03 * side
                hx += [tip[0], wing[0]]
                hy += [tip[1], wing[1]]
        for (explicit, width), (xs, ys) in groups.items():
            color = _color(p.accent, 200) if explicit else _color(p.muted, 140)
            line = pg.PlotDataItem(np.array(xs), np.array(ys), connect="pairs", pen=self.pen(color, 1 + width))
            line.setZValue(-5)
            self.addItem(line)
        for explicit, (hx, hy) in heads.items():
            if hx:
                color = _color(p.accent, 230) if explicit else _color(p.muted, 200)
                self.addItem(pg.PlotDataItem(np.array(hx), np.array(hy), connect="pairs",
                                             pen=self.pen(color, 2)))
        sizes = [(14 + 7 * math.sqrt(n.size)) * self.dots() for n in wi.nodes]
        brushes = []
        pens = []
        for n in wi.nodes:
            base = p.spontaneous if n.person in named else p.border
            brushes.append(pg.mkBrush(_color(base, 230 if n.size else 120)))
            pens.append(self.pen(p.text if n.person == selected else p.surface, 3 if n.person == selected else 1))
        scatter = pg.ScatterPlotItem(pos=pos, size=sizes, brush=brushes, pen=pens, data=self._ids, hoverable=True)
        scatter.sigClicked.connect(lambda _i, pts, *_a: self.sig_person_clicked.emit(pts[0].data()) if len(pts) else None)
        self.addItem(scatter)
        for n, (x, y), size in zip(wi.nodes, pos, sizes, strict=True):
            label = pg.TextItem(_short(n.label, 16), color=p.text if n.size else p.muted, anchor=(0.5, -0.05))
            label.setFont(theme.font(0.82, QFont.Weight.DemiBold if n.size else QFont.Weight.Normal))
            self.addItem(label)
            label.setPos(float(x), float(y) - size / self.dots() / 600)
        if self.hidden_edges:
            note = pg.TextItem(f"strongest {self.MAX_EDGES} of {len(wi.network)} links shown", color=p.muted,
                               anchor=(0, 0))
            note.setFont(theme.font(0.8))
            self.addItem(note)
            note.setPos(float(pos[:, 0].min()), float(pos[:, 1].max()) + 0.2)
        self.autoRange(padding=0.12)


class EquityChart(_Chart):
    """Contributions per person, most active first: spontaneous (solid) then prompted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.invertY(True)
        self.setMouseEnabled(x=False, y=False)
        self._order: list[uuid.UUID] = []

    def show_insights(self, wi: WorkshopInsights) -> None:
        self.drawing(lambda: self.show_insights(wi))
        self.clear()
        p = theme.current()
        eq = wi.equity
        if not eq.people:
            self._empty("No participants.")
            return
        labels = {str(x.id): x.roster for x in wi.lanes}
        self._order = [uuid.UUID(x.person) for x in eq.people]
        ys = np.arange(len(eq.people), dtype=float)
        spont = np.array([x.spontaneous for x in eq.people], dtype=float)
        prompted = np.array([x.prompted for x in eq.people], dtype=float)
        self.addItem(pg.BarGraphItem(x0=np.zeros_like(spont), y=ys, width=spont, height=0.62,
                                     brush=pg.mkBrush(p.spontaneous), pen=pg.mkPen(None)))
        self.addItem(pg.BarGraphItem(x0=spont, y=ys, width=prompted, height=0.62,
                                     brush=pg.mkBrush(_color(p.prompted, 200)), pen=pg.mkPen(None)))
        for y, x in zip(ys, eq.people, strict=True):
            if x.total == 0:
                t = pg.TextItem("not heard", color=p.danger, anchor=(0, 0.5))
                t.setFont(theme.font(0.8))
                self.addItem(t)
                t.setPos(0.1, float(y))
        left = self.getAxis("left")
        left.setTicks([[(i, _short(labels.get(x.person, "?"))) for i, x in enumerate(eq.people)]])
        left.setWidth(self.fontMetrics().horizontalAdvance("M" * 11))
        self.getAxis("bottom").setTicks(None)
        top = max(1.0, float((spont + prompted).max()))
        self.setXRange(0, top * 1.08, padding=0)
        self.setYRange(-0.7, len(eq.people) - 0.3, padding=0)
        self.setTitle(
            f"<span style='color:{p.muted}'>Gini {eq.gini:.2f} · {len(eq.silent)} not heard · "
            f"{eq.prompts} prompts</span>"
        )


class TrendChart(_Chart):
    """A participant's influence index workshop by workshop (1.0 = a typical participant)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.apply_theme()
        self.setMouseEnabled(x=True, y=False)
        # Workshop by workshop, numbered: the trend is "index per workshop", so the axis counts
        # workshops, not days (a month's gap is not a slope); each point's tip says when.
        self.setLabel("bottom", "workshop")
        self.setLabel("left", "index")

    def show_series(self, title: str, points: Sequence[tuple[datetime, float, str]], strong: float) -> None:
        """``points`` are (workshop start, index, workshop title), in time order."""
        self.drawing(lambda: self.show_series(title, points, strong))
        self.clear()
        p = theme.current()
        if not points:
            self._empty("Choose a participant to see their trend.")
            return
        xs = np.arange(1, len(points) + 1, dtype=float)
        ys = np.array([v for _t, v, _n in points])
        self.addItem(pg.InfiniteLine(pos=1.0, angle=0, pen=self.pen(_color(p.muted, 150), style=Qt.PenStyle.DashLine),
                                     label="typical", labelOpts={"color": p.muted, "position": 0.06}))
        self.addItem(pg.InfiniteLine(pos=strong, angle=0,
                                     pen=self.pen(_color(p.prompted, 150), style=Qt.PenStyle.DotLine),
                                     label="strong", labelOpts={"color": p.prompted, "position": 0.16}))
        self.addItem(pg.PlotDataItem(xs, ys, pen=self.pen(p.accent, 2.2)))
        if len(xs) >= 4:
            k = min(4, len(xs))
            smooth = np.convolve(ys, np.ones(k) / k, mode="valid")
            self.addItem(pg.PlotDataItem(xs[k - 1:], smooth, pen=self.pen(_color(p.accent, 90), 6)))
        scatter = pg.ScatterPlotItem(x=xs, y=ys, size=9 * self.dots(), brush=pg.mkBrush(p.accent), pen=self.pen(p.surface),
                                     hoverable=True, tip=lambda x, y, data: data,
                                     data=[f"{n} ({day(t)}): {v:.2f}" for t, v, n in points])
        self.addItem(scatter)
        self.getAxis("left").setTicks(None)
        self.getAxis("bottom").setTicks([[(float(x), str(int(x))) for x in xs]])
        self.setTitle(f"<span style='color:{p.text}'>{title}</span>")
        self.setXRange(0.6, len(xs) + 0.4, padding=0)
        self.setYRange(0, max(strong * 1.3, float(ys.max()) * 1.15), padding=0)


__all__ = ["EquityChart", "NetworkChart", "TimelineChart", "TrendChart"]
