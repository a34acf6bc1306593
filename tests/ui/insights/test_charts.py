"""The insight charts at 200 % and across a live theme switch.

At 200 % every line is drawn twice as many device pixels wide, and symbols and text twice as
large, as at 100 % (pyqtgraph's cosmetic pens would otherwise stay 1-px hairlines); a switch
between light and dark (Settings → Preferences) recolours a chart on show without reopening it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.brand import DARK, LIGHT
from app.context import Ripple
from tests.helpers.insights import load_into, quiet_and_loud
from ui.insights.page import InsightsPage
from ui.kit import theme
from ui.tasks import wait_for_all

ROOT = Path(__file__).resolve().parents[3]


def _hex(code: str) -> str:
    return code.lower()


def _probe(scale: str, tmp_path: Path) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "RIPPLE_HOME": str(tmp_path / f"home-{scale}"), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "insights" / "chart_probe.py")],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def test_charts_draw_lines_symbols_and_text_twice_as_large_at_200_percent(tmp_path: Path) -> None:
    one, two = _probe("1", tmp_path), _probe("2", tmp_path)
    assert (one["ratio"], two["ratio"]) == (1.0, 2.0)
    for chart in ("timeline", "network", "equity", "trend"):
        for what in ("pens", "symbols", "fonts"):
            assert two[chart][what] == [pytest.approx(2 * x, abs=0.2) for x in one[chart][what]], (chart, what)
        assert min(two[chart]["pens"]) >= 2  # no hairline at 200 %
    assert one["trend_line_px"] >= 2 and two["trend_line_px"] >= 2 * one["trend_line_px"]  # as drawn


@pytest.fixture
def light(qapp: QApplication) -> Iterator[QApplication]:
    theme.apply(qapp, "light")
    yield qapp
    theme.apply(qapp, "light")


def _brushes(chart: pg.PlotWidget) -> set[str]:
    out: set[str] = set()
    for item in chart.plotItem.items:
        if isinstance(item, pg.ScatterPlotItem):
            out |= {(b if b is not None else item.opts["brush"]).color().name() for b in item.data["brush"]}
    return out


def _pens(chart: pg.PlotWidget) -> set[str]:
    return {i.opts["pen"].color().name() for i in chart.plotItem.items if isinstance(i, pg.PlotDataItem)}


def test_a_theme_switch_recolours_the_charts_on_show(qtbot: QtBot, ctx: Ripple, tmp_path: Path, light: QApplication) -> None:
    _cast, doc = quiet_and_loud()
    load_into(ctx.store, tmp_path, doc)
    page = InsightsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignal(page.workshop.sig_loaded, timeout=20000):
        page.show()
    view = page.workshop
    page.period.trend.show_series("Quinn", [(datetime(2026, 3, 2, tzinfo=UTC) + timedelta(days=7 * i), 1.5, "w")
                                            for i in range(3)], 2.0)
    charts = (view.timeline, view.network, view.equity, page.period.trend)
    assert {c.backgroundBrush().color().name() for c in charts} == {_hex(LIGHT.surface)}
    assert _hex(LIGHT.spontaneous) in _brushes(view.timeline) and _hex(LIGHT.accent) in _pens(page.period.trend)
    lanes = list(view.timeline.lanes)

    theme.apply(QApplication.instance(), "dark")  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: all(c.backgroundBrush().color().name() == _hex(DARK.surface) for c in charts), timeout=5000)
    assert _hex(DARK.spontaneous) in _brushes(view.timeline) and _hex(LIGHT.spontaneous) not in _brushes(view.timeline)
    assert _hex(DARK.accent) in _pens(page.period.trend) and _hex(LIGHT.accent) not in _pens(page.period.trend)
    assert view.timeline.getAxis("left").pen().color().name() == _hex(DARK.border)
    assert view.timeline.lanes == lanes  # the same workshop drawn again, nothing re-read
    wait_for_all(20000)
