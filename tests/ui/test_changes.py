"""One store-changed notification: a hidden screen goes stale and refreshes when shown; the
screen that wrote is not reloaded under the user's fingers; a sync refreshes what is shown."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, update_workshop
from ui.changes import CLIPS, CONTRIBUTIONS, WORKSHOPS, Changes, announce
from ui.kit.page import Page
from ui.tasks import wait_for_all


class _Counting(Page):
    WATCHES = frozenset({WORKSHOPS})

    def __init__(self, ctx: Ripple) -> None:
        super().__init__(ctx)
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1


def test_changes_name_kinds_and_workshops() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    change = Changes.of(CLIPS, workshop=a)
    assert change.touches({CLIPS}) and change.touches({CLIPS, WORKSHOPS}, a)
    assert not change.touches({CLIPS}, b) and not change.touches({WORKSHOPS})
    assert Changes.everything().touches({CONTRIBUTIONS}, b)


def test_a_hidden_page_refreshes_once_when_shown(qtbot: QtBot, ctx: Ripple) -> None:
    page = _Counting(ctx)
    qtbot.addWidget(page)
    announce(Changes.of(WORKSHOPS))
    announce(Changes.of(WORKSHOPS))
    announce(Changes.of(CLIPS))  # not what it shows
    assert page.refreshed == 0 and page.stale
    page.show()
    assert page.refreshed == 1 and not page.stale
    announce(Changes.of(WORKSHOPS))  # on show: at once
    assert page.refreshed == 2
    announce(Changes.of(WORKSHOPS), page)  # its own write: it is up to date already
    announce(Changes.of(WORKSHOPS), QWidget())
    assert page.refreshed == 3


def test_the_planner_and_the_console_hear_each_other_through_the_window(qtbot: QtBot, ctx: Ripple) -> None:
    from ui.shell.window import MainWindow

    wid = create_workshop(ctx.store, "Heard")
    add_agenda_item(ctx.store, wid, "challenge", "First", minutes=5)
    ana = add_participant(ctx.store, wid, "Ana Pereira")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.planner.refresh(select=wid)
    window.run_live(wid)
    window.console.log(ana, "spontaneous")  # the first share: the workshop is live now
    assert window.planner.stale
    window.show_page("plan")
    assert "●\u00a0live" in window.planner.list.currentItem().text()  # kept together when the line wraps
    window.planner.people.name.setText("Ben Okafor")
    window.planner.people.name.returnPressed.emit()  # added while the console is hidden
    assert window.console.stale and len(window.console.tiles.tiles) == 1
    window.show_page("live")
    assert len(window.console.tiles.tiles) == 2
    # a sync that brought rows from another laptop: everything is read again
    update_workshop(ctx.store, wid, title="Renamed elsewhere")
    announce(Changes.everything(), window.sync_page.controller)
    assert "Renamed elsewhere" in window.console.heading.text()
    window.close()
    wait_for_all()
