"""The console's head bar: the title keeps its whole width, the actions that do not fit beside
it are in "More ▾" with the same state, and they do the same as the buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.context import Ripple
from ui.kit import theme
from ui.live.head import HeadBar

LONG = "Challenge sprint: the objection that always comes back, with the whole sales team  ·  live"


def _head(qtbot: QtBot, ctx: Ripple, width: int) -> HeadBar:
    # Themed as the app runs, whatever an earlier test left: the widths below are the theme's.
    theme.apply(QApplication.instance(), "light")  # type: ignore[arg-type]
    head = HeadBar(ctx)
    qtbot.addWidget(head)
    head.resize(width, 48)
    head.show()
    head.set_title(LONG)
    qtbot.waitExposed(head)
    return head


def test_a_wide_bar_shows_everything_and_no_more_menu(qtbot: QtBot, ctx: Ripple) -> None:
    head = _head(qtbot, ctx, 3000)
    assert not head.title_cut and head.heading.text() == LONG
    assert head.overflow == [] and not head.more_button.isVisible()
    assert head.end_button.isVisible() and head.undo_button.isVisible() and head.room_menu.isVisible()


def test_a_narrow_bar_keeps_the_title_and_moves_actions_to_more(qtbot: QtBot, ctx: Ripple) -> None:
    head = _head(qtbot, ctx, 1500)
    assert not head.title_cut
    fm = head.heading.fontMetrics()
    assert fm.horizontalAdvance(LONG) <= head.heading.contentsRect().width()
    assert head.more_button.isVisible() and head.overflow
    assert head.room_menu.isVisible()  # what the room sees is the last thing to give way
    assert all(not w.isVisible() for w in head.overflow)
    head.undo_button.setEnabled(False)
    head.more_menu.aboutToShow.emit()
    texts = [a.text() for a in head.more_menu.actions()]
    assert "Commitments…" in texts
    if head.undo_button in head.overflow:
        undo = next(a for a in head.more_menu.actions() if a.text().startswith("Undo"))
        assert not undo.isEnabled()  # the entry says what the hidden button would
    commitments = next(a for a in head.more_menu.actions() if a.text() == "Commitments…")
    with qtbot.waitSignal(head.followup.closing_button.clicked):
        commitments.trigger()


def test_the_live_insights_entry_toggles_the_panel_button(qtbot: QtBot, ctx: Ripple) -> None:
    head = _head(qtbot, ctx, 700)
    assert head.panel_button in head.overflow
    head.more_menu.aboutToShow.emit()
    entry = next(a for a in head.more_menu.actions() if a.text() == "Live insights")
    was = head.panel_button.isChecked()
    assert entry.isChecked() == was
    entry.trigger()
    assert head.panel_button.isChecked() != was


def test_a_title_wider_than_the_bar_is_shortened_with_a_tooltip(qtbot: QtBot, ctx: Ripple) -> None:
    head = _head(qtbot, ctx, 300)
    assert head.title_cut and head.heading.text().endswith("…")
    assert head.heading.toolTip() == LONG
    assert head.more_button.isVisible()
    head.resize(3000, 48)
    qtbot.waitUntil(lambda: not head.title_cut)
    assert head.heading.toolTip() == "" and head.heading.text() == LONG
    assert head.more_button.isHidden() and not head.end_button.isHidden()
