"""One icon set, named by purpose, drawn in the theme's colours (light and dark)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.brand import DARK, LIGHT
from app.context import Ripple
from ui.kit import icons, theme
from ui.kit.widgets import button
from ui.shell.window import RAIL, MainWindow


def _ink(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off) -> set[str]:
    """The opaque colours an icon paints (its glyph's ink), as #rrggbb."""
    image = icon.pixmap(QSize(32, 32), mode, state).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())
            if QColor.fromRgba(image.pixel(x, y)).alpha() == 255}


@pytest.fixture
def dark_then_light(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    theme.apply(qapp, "light")


def test_every_purpose_draws_a_glyph(qapp: QApplication) -> None:
    theme.apply(qapp, "light")
    for purpose in icons.PURPOSES:
        assert _ink(icons.icon(purpose)), purpose


def test_icons_take_the_colours_of_the_theme(dark_then_light: QApplication) -> None:
    delete = icons.icon("delete", "danger")
    plain = icons.icon("sync")
    for preference, palette in (("light", LIGHT), ("dark", DARK)):
        theme.apply(dark_then_light, preference)
        assert _ink(plain) == {QColor(palette.text).name()}
        assert _ink(delete) == {QColor(palette.danger).name()}
    rail = icons.icon("plan", "rail")
    assert _ink(rail) == {QColor(DARK.muted).name()}
    assert _ink(rail, state=QIcon.State.On) == {QColor(DARK.accent_text).name()}


def test_an_unknown_purpose_or_tone_is_refused() -> None:
    with pytest.raises(KeyError):
        icons.icon("fly")
    with pytest.raises(ValueError):
        icons.icon("plan", "loud")


def test_the_rail_and_the_main_buttons_carry_icons(qtbot: QtBot, ctx: Ripple) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert all(not window.buttons[key].icon().isNull() for key, *_ in RAIL)
    planner = window.planner
    for b in (planner.new_button, planner.run_button, planner.delete_button, planner.duplicate_button):
        assert not b.icon().isNull(), b.text()
    assert button("Save").icon().isNull()  # an icon only where one was asked for
