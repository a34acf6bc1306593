"""Run by test_charts.py in a process of its own (QT_SCALE_FACTOR must be set before Qt
starts): draws each insight chart from one workshop and prints, as JSON, the sizes it drew
with — pen widths, symbol sizes and fonts in device pixels — and the measured thickness of
the trend line in the grabbed image."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def _device_sizes(chart: Any) -> dict[str, Any]:
    """What ``chart`` draws with, in device pixels."""
    import pyqtgraph as pg
    from PySide6.QtGui import QFontMetricsF

    dpr = chart.devicePixelRatioF()
    pens: list[float] = []
    symbols: list[float] = []
    fonts: list[float] = []
    for item in chart.plotItem.items:
        if isinstance(item, pg.PlotDataItem):
            pens.append(round(item.opts["pen"].widthF(), 2))
        elif isinstance(item, pg.ScatterPlotItem):
            # a spot's own size and pen, or the item's (-1 and None mean "the item's")
            symbols += [round((float(s) if s >= 0 else float(item.opts["size"])) * dpr, 2) for s in item.data["size"]]
            pens += [round((p if p is not None else item.opts["pen"]).widthF(), 2) for p in item.data["pen"]]
        elif isinstance(item, pg.InfiniteLine):
            pens.append(round(item.pen.widthF(), 2))
        elif isinstance(item, pg.TextItem):
            fonts.append(round(QFontMetricsF(item.textItem.font(), chart).height() * dpr, 1))
    for name in ("left", "bottom"):
        axis = chart.getAxis(name)
        if axis.isVisible():
            pens.append(round(axis.pen().widthF(), 2))
            fonts.append(round(QFontMetricsF(axis.style["tickFont"], chart).height() * dpr, 1))
    return {"pens": sorted(set(pens)), "symbols": sorted(set(symbols)), "fonts": sorted(set(fonts))}


def _line_thickness(chart: Any, colour: str) -> int:
    """Device pixels of ``colour`` down the middle column of the grabbed chart."""
    from PySide6.QtGui import QColor

    image = chart.grab().toImage()
    want = QColor(colour)
    x = image.width() // 2
    return sum(1 for y in range(image.height())
               if max(abs(image.pixelColor(x, y).red() - want.red()), abs(image.pixelColor(x, y).green() - want.green()),
                      abs(image.pixelColor(x, y).blue() - want.blue())) < 40)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from app.insights.workshop import workshop_insights
    from db.store import Store
    from tests.helpers.insights import load_into, quiet_and_loud
    from ui.app import make_app
    from ui.insights.charts import EquityChart, NetworkChart, TimelineChart, TrendChart
    from ui.kit import theme

    app = make_app()
    theme.apply(app, "light")
    tmp = Path(tempfile.mkdtemp(prefix="ripple-chart-probe-"))
    store = Store.open(f"sqlite:///{tmp / 'charts.db'}")
    _cast, doc = quiet_and_loud()
    (wid,) = load_into(store, tmp, doc)
    wi = workshop_insights(store, wid)
    out: dict[str, Any] = {"ratio": 0.0}
    charts: list[tuple[str, Any]] = []
    for name, cls in (("timeline", TimelineChart), ("network", NetworkChart), ("equity", EquityChart)):
        chart = cls()
        chart.resize(800, 500)
        chart.show()
        chart.show_insights(wi)
        charts.append((name, chart))
    trend = TrendChart()
    trend.resize(800, 500)
    trend.show()
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    trend.show_series("Quinn", [(start + timedelta(days=7 * i), 2.0, f"week {i}") for i in range(1, 4)], 3.0)
    charts.append(("trend", trend))
    for _ in range(10):
        app.processEvents()
    for name, chart in charts:
        out[name] = _device_sizes(chart)
    out["ratio"] = trend.devicePixelRatioF()
    out["trend_line_px"] = _line_thickness(trend, theme.current().accent)
    print(json.dumps(out))
    for _name, chart in charts:
        chart.close()
    QApplication.processEvents()
    store.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    main()
