"""The banner floats over the page: a message never moves the page's widgets, and an error
stays until its close button or the next action that succeeds."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.live import LiveWorkshop
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from ui.changes import WORKSHOPS, Changes, announce
from ui.shell.window import MainWindow


def _window(qtbot: QtBot, ctx: Ripple) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()  # settled as first painted (the planner sizes its splitter once laid out)
    return window


def _places(page: QWidget) -> dict[str, tuple[QPoint, int, int]]:
    """Where each visible child of the page is, in window coordinates."""
    window = page.window()
    return {f"{type(w).__name__}:{i}": (w.mapTo(window, QPoint(0, 0)), w.width(), w.height())
            for i, w in enumerate(page.findChildren(QWidget)) if w.isVisible()}


def test_a_banner_does_not_move_the_page(qtbot: QtBot, ctx: Ripple) -> None:
    window = _window(qtbot, ctx)
    page = window.pages.currentWidget()
    before = _places(page)
    assert before
    window.show_error("That workshop could not be saved: the store is read-only.")
    QApplication.processEvents()
    assert window.banner.isVisible()
    assert _places(page) == before
    # it lies over the page, within the window
    top = window.banner.mapTo(window, QPoint(0, 0))
    assert top.y() >= 0 and window.banner.width() <= window.pages.width()
    assert window.pages.mapTo(window, QPoint(0, 0)).y() <= top.y()
    assert window.banner.geometry().bottom() < window.banner.parentWidget().height()
    window.banner.close_button.click()
    assert not window.banner.isVisible()
    assert _places(page) == before


def test_an_error_stays_until_the_next_action_succeeds(qtbot: QtBot, ctx: Ripple) -> None:
    window = _window(qtbot, ctx)
    window.show_error("That person has not shared yet.")
    announce(Changes.of(WORKSHOPS), window.planner)  # the failing action's own write: same turn
    assert window.banner.text() == "That person has not shared yet."
    QApplication.processEvents()
    announce(Changes.of(WORKSHOPS), None)  # a sync, not something the person did
    assert window.banner.text() == "That person has not shared yet."
    announce(Changes.of(WORKSHOPS), window.planner)  # the next edit went through
    assert window.banner.text() == ""


def test_news_does_not_clear_on_a_change_and_an_error_has_a_close_button(qtbot: QtBot, ctx: Ripple) -> None:
    window = _window(qtbot, ctx)
    window.show_info("Resumed the workshop.")
    QApplication.processEvents()
    announce(Changes.of(WORKSHOPS), window.planner)
    assert window.banner.text() == "Resumed the workshop."
    window.show_error("No camera found.")
    qtbot.mouseClick(window.banner.close_button, Qt.MouseButton.LeftButton)
    assert window.banner.text() == ""


def _in_window(w: QWidget) -> QRect:
    """``w``'s rectangle in its window's coordinates (the real geometry, as painted)."""
    return QRect(w.mapTo(w.window(), QPoint(0, 0)), w.size())


@pytest.mark.parametrize("size", [(1256, 690), (1366, 768)])
def test_the_resumed_banner_covers_neither_the_consoles_head_nor_the_planners_title(
        qtbot: QtBot, ctx: Ripple, size: tuple[int, int]) -> None:
    """After "Resumed…" the banner lay over the console's Undo for six seconds; in the planner,
    over the workshop's title."""
    wid = create_workshop(ctx.store, "Challenge sprint: renewals and the objections that come with them")
    ana = add_participant(ctx.store, wid, "Ana Pereira")
    LiveWorkshop(ctx.store, wid).log(ana)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.banner.text().startswith("Resumed"), timeout=5000)
    assert window.pages.currentWidget() is window.console
    head = window.console.head
    controls = [b for b in head.findChildren(QPushButton) if b.isVisible()] + [head.heading]
    assert window.console.undo_button in controls
    qtbot.waitUntil(lambda: _in_window(window.console.undo_button).width() > 0, timeout=2000)
    banner = _in_window(window.banner)
    assert window.banner.isVisible() and banner.isValid()
    assert [c.text() for c in controls if _in_window(c).intersects(banner)] == []

    window.show_page("plan")
    window.planner.refresh(select=wid)
    qtbot.waitUntil(lambda: window.planner.heading.isVisible() and bool(window.planner.heading.text()), timeout=2000)
    window.show_info("Saved.")
    qtbot.waitUntil(lambda: window.banner.text() == "Saved.", timeout=2000)
    banner = _in_window(window.banner)
    planner_head = [window.planner.heading, window.planner.run_button]
    assert [c.text() for c in planner_head if _in_window(c).intersects(banner)] == []
    window.close()
