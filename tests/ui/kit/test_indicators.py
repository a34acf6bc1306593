"""Check boxes, radio buttons and the tables' check cells read in dark and light: an unticked
box has an edge of at least 3:1 against what it sits on (WCAG 1.4.11, relative luminance),
and a ticked one is filled, plainly unlike it. In dark the unticked consent boxes of the
planner's participants and "Remember the password" were all but invisible."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.brand import Palette
from ui.kit import theme


def luminance(colour: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor | str, b: QColor | str) -> float:
    la, lb = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture(params=["dark", "light"])
def palette(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Palette]:
    yield theme.apply(qapp, request.param)
    theme.apply(qapp, "light")


def strong_pixels(image: QImage, background: QColor, at_least: float = 3.0) -> int:
    """How many pixels stand out from ``background`` by ``at_least`` (an edge, a fill, a tick)."""
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if contrast(QColor(image.pixel(x, y)), background) >= at_least)


def drawn(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_the_unticked_edge_has_3_to_1_against_every_surface(palette: Palette) -> None:
    edge = theme.indicator_border(palette)
    for ground in (palette.bg, palette.surface, palette.surface2):
        assert contrast(edge, ground) >= 3.0, (palette.name, edge, ground)
    assert contrast(palette.accent, palette.surface) >= 3.0  # the ticked fill against the box's own
    sheet = theme.stylesheet(palette, theme.arrows(palette))
    assert f"border: 2px solid {edge}" in sheet


@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_an_unticked_box_shows_its_edge_and_a_ticked_one_is_filled(
        qtbot: QtBot, palette: Palette, kind: type[QCheckBox] | type[QRadioButton]) -> None:
    box = kind("")
    qtbot.addWidget(box)
    box.setFixedSize(box.sizeHint())
    box.show()
    qtbot.waitExposed(box)
    ground = QColor(palette.bg)  # a page's background (Settings → sync)
    assert QColor(drawn(box).pixel(box.width() - 1, box.height() // 2)) == ground
    unticked = strong_pixels(drawn(box), ground)
    assert unticked >= 4 * box.fontMetrics().height() // 2  # the whole edge, not a faint dot
    box.setChecked(True)
    qtbot.waitUntil(lambda: strong_pixels(drawn(box), ground) >= 2 * unticked, timeout=2000)


def test_a_tables_check_cells_show_their_edge_unticked_and_are_filled_ticked(qtbot: QtBot, palette: Palette) -> None:
    table = QTableWidget(2, 1)
    qtbot.addWidget(table)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    for row, state in ((0, Qt.CheckState.Unchecked), (1, Qt.CheckState.Checked)):
        item = QTableWidgetItem("")
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(state)
        table.setItem(row, 0, item)
    table.resize(300, 200)
    table.show()
    qtbot.waitExposed(table)
    image = table.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    counts = []
    for row, ground in ((0, palette.surface), (1, palette.surface2)):  # a row and an alternate row
        rect = table.visualItemRect(table.item(row, 0))
        cell = image.copy(rect)
        assert QColor(cell.pixel(cell.width() - 2, cell.height() // 2)) == QColor(ground)
        counts.append(strong_pixels(cell, QColor(ground)))
    unticked, ticked = counts
    assert unticked >= 2 * table.fontMetrics().height()  # the box's edge reads (it was ~1.3:1)
    assert ticked >= 2 * unticked  # filled with the accent: plainly ticked
