"""The window's part in a workshop's life: the Live button with nothing open offers to pick a
workshop, "Run live" asks before re-dating one planned for another day, and a deleted
workshop can be brought back from the banner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.lifecycle import say_day
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, list_workshops, load_plan
from ui.shell.picker import PROMPT, WorkshopPicker
from ui.shell.window import MainWindow


def _window(qtbot: QtBot, ctx: Ripple) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _press(button_text: str, seen: list[str]) -> Callable[[], None]:
    """Note what the modal dialog about to open says, then press ``button_text`` in it."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        seen.append(" | ".join(label.text() for label in dialog.findChildren(QLabel) if label.text()))
        if isinstance(dialog, WorkshopPicker):
            seen[-1] += " | " + " | ".join(dialog.list.label(dialog.list.item(i)) for i in range(dialog.list.count()))
            dialog.list.setCurrentRow(1)
        next(b for b in dialog.findChildren(QPushButton) if b.text() == button_text).click()

    return answer


def test_the_live_button_with_no_workshop_open_offers_to_pick_one(qtbot: QtBot, ctx: Ripple) -> None:
    # Both on today's date, whatever the time: one an hour after now was tomorrow after 23:00,
    # and going live then asks whether to run it today (a dialog no one answered: CI hung).
    today = datetime.now().astimezone().replace(hour=0, minute=1, second=0, microsecond=0)
    create_workshop(ctx.store, "Coaching clinic", started_at=today)
    later = create_workshop(ctx.store, "Pricing lab", started_at=today + timedelta(minutes=1))
    window = _window(qtbot, ctx)
    live_button = window.buttons["live"]
    assert live_button.isEnabled()
    seen: list[str] = []
    QTimer.singleShot(0, _press("Cancel", seen))
    live_button.click()
    assert seen and seen[0].startswith(PROMPT) and "Coaching clinic" in seen[0] and "Pricing lab" in seen[0]
    assert window.pages.currentWidget() is window.planner and not live_button.isChecked()
    QTimer.singleShot(0, _press("Run live", seen))  # the second one in the list
    live_button.click()
    assert window.console.live is not None and window.console.live.workshop_id == later
    assert window.pages.currentWidget() is window.console
    window.show_page("plan")
    live_button.click()  # a workshop is open now: straight back to it, nothing asked
    assert window.pages.currentWidget() is window.console and len(seen) == 2
    window.close()


def test_the_live_button_with_nothing_planned_says_so(qtbot: QtBot, ctx: Ripple) -> None:
    window = _window(qtbot, ctx)
    window.buttons["live"].click()
    assert window.banner.text() == "No workshop is live or planned. Plan one, then run it live from the planner."
    assert window.pages.currentWidget() is window.planner
    window.close()


def test_run_live_on_a_workshop_planned_for_another_day_asks_first(qtbot: QtBot, ctx: Ripple) -> None:
    planned = datetime.now(UTC) + timedelta(days=7)
    wid = create_workshop(ctx.store, "Next week", started_at=planned)
    add_agenda_item(ctx.store, wid, "challenge", "Warm-up", minutes=5)
    ana = add_participant(ctx.store, wid, "Ana Pereira")
    window = _window(qtbot, ctx)
    window.planner.refresh(select=wid)
    seen: list[str] = []
    QTimer.singleShot(0, _press("Cancel", seen))
    window.planner.run_button.click()
    today = datetime.now(UTC).date()  # the workshop was planned in UTC: its days are UTC's
    assert seen == [f"This workshop is planned for {say_day(planned.date(), today)}. "
                    f"Run it today and move it to {say_day(today, today)}?"]
    assert "live" not in window.built or window.console.live is None
    QTimer.singleShot(0, _press("Run today", seen))
    window.planner.run_button.click()
    assert window.console.live is not None and window.pages.currentWidget() is window.console
    window.console.log(ana, "spontaneous")  # going live is what moves it to today
    assert load_plan(ctx.store, wid).started_at.date() == datetime.now(UTC).date()
    window.close()


def test_a_deleted_workshop_comes_back_from_the_banner(qtbot: QtBot, ctx: Ripple) -> None:
    wid = create_workshop(ctx.store, "Objections")
    ana = add_participant(ctx.store, wid, "Ana Pereira")
    add_agenda_item(ctx.store, wid, "challenge", "Cards", minutes=5)
    LiveWorkshop(ctx.store, wid).log(ana)
    window = _window(qtbot, ctx)
    assert window.console.live is not None  # it is live: the window opened it in the console
    window.show_page("plan")
    window.planner.refresh(select=wid)
    seen: list[str] = []
    QTimer.singleShot(0, _press("Delete", seen))
    window.planner.delete_button.click()
    assert "You can undo it for 30 seconds." in seen[0]
    assert list_workshops(ctx.store) == [] and window.planner.list.count() == 0
    assert window.console.live is None  # closed there too
    assert window.banner.text() == "Deleted “Objections”." and window.banner.action_button.text() == "Undo"
    window.banner.action_button.click()
    back = list_workshops(ctx.store)
    assert [(w.id, w.contributions) for w in back] == [(wid, 1)]
    assert window.planner.plan is not None and window.planner.plan.id == wid
    assert window.banner.text() == "“Objections” is back, with everything logged in it."
    assert window.console.live is not None and window.console.live.workshop_id == wid  # and in the console
    window.close()


def test_ripple_live_on_a_workshop_planned_for_another_day_asks_too(qtbot: QtBot, ctx: Ripple) -> None:
    """`ripple live ID` names the workshop, not the wish to re-date it (a trainer found it moved
    silently): the same question, and Cancel leaves it on its day."""
    planned = datetime.now(UTC) + timedelta(days=7)
    wid = create_workshop(ctx.store, "Next week", started_at=planned)
    add_agenda_item(ctx.store, wid, "challenge", "Warm-up", minutes=5)
    seen: list[str] = []
    QTimer.singleShot(0, _press("Cancel", seen))
    window = MainWindow(ctx, live=wid)
    qtbot.addWidget(window)
    assert len(seen) == 1 and seen[0].startswith("This workshop is planned for")
    assert "live" not in window.built or window.console.live is None
    assert load_plan(ctx.store, wid).started_at == planned.replace(microsecond=planned.microsecond)
    window.close()
