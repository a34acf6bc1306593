"""The live console, driven with the mouse and the keyboard; the store is checked after."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.context import Ripple
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from db.models import Contribution
from ui.live.console import Console


def _workshop(ctx: Ripple, n: int = 4) -> tuple[uuid.UUID, list[uuid.UUID]]:
    wid = create_workshop(ctx.store, "Console test")
    add_agenda_item(ctx.store, wid, "challenge", "First", minutes=5)
    add_agenda_item(ctx.store, wid, "debrief", "Second", minutes=5)
    people = [add_participant(ctx.store, wid, name) for name in ("Ana Pereira", "Ben Okafor", "Chloé Martin", "Dan Wu")[:n]]
    return wid, people


def _rows(ctx: Ripple) -> list[Contribution]:
    with ctx.store.read() as s:
        return list(s.scalars(select(Contribution).order_by(Contribution.at)))


def _console(qtbot: QtBot, ctx: Ripple, wid: uuid.UUID) -> Console:
    console = Console(ctx)
    qtbot.addWidget(console)
    console.resize(1366, 768)
    console.show()
    assert console.open_workshop(wid)
    return console


def test_click_is_spontaneous_right_click_is_prompted(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, *_r) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    tile_a, tile_b = console.tiles.tiles[ana], console.tiles.tiles[ben]
    qtbot.mouseClick(tile_a, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tile_b, Qt.MouseButton.RightButton)
    qtbot.mouseClick(tile_b, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier)
    rows = _rows(ctx)
    assert [(r.participant_id, r.initiative) for r in rows] == [
        (ana, "spontaneous"), (ben, "prompted"), (ben, "prompted")]
    assert tile_a.tally.spontaneous == 1 and tile_b.tally.prompted == 2
    assert console.recent.count() == 3


def test_long_press_is_prompted(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, *_r) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    tile = console.tiles.tiles[ana]
    qtbot.mousePress(tile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [r.initiative for r in _rows(ctx)] == ["prompted"], timeout=5000)  # while held
    qtbot.mouseRelease(tile, Qt.MouseButton.LeftButton)
    assert [r.initiative for r in _rows(ctx)] == ["prompted"]  # letting go logs nothing more


def test_keys_log_kinds_arm_and_undo(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, chloe, dan) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    assert console.keys == {"1": ana, "2": ben, "3": chloe, "4": dan}
    qtbot.keyClick(console, Qt.Key.Key_1)
    qtbot.keyClick(console, Qt.Key.Key_F4)  # next share is a learning moment from failure
    qtbot.keyClick(console, Qt.Key.Key_2, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(console, Qt.Key.Key_3)
    rows = _rows(ctx)
    assert [(r.participant_id, r.initiative, r.kind) for r in rows] == [
        (ana, "spontaneous", "story"), (ben, "prompted", "failure"), (chloe, "spontaneous", "story")]
    qtbot.keyClick(console, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.participant_id for r in _rows(ctx)] == [ana, ben]
    # a shifted digit as a real keyboard sends it ("!" for Shift+1 on a US layout)
    qtbot.keyClick(console, "!")
    assert _rows(ctx)[-1].participant_id == ana and _rows(ctx)[-1].initiative == "prompted"


def test_builds_on_from_the_recent_list_and_by_dragging(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, chloe, _d) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    first = console.log(ana, "spontaneous")
    assert first is not None
    item = console.recent.item(0)
    rect = console.recent.visualItemRect(item)
    qtbot.mouseClick(console.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert console.builds_on == first.id and console.builds_chip.isVisible()
    qtbot.keyClick(console, Qt.Key.Key_2)
    rows = _rows(ctx)
    assert rows[-1].participant_id == ben and rows[-1].builds_on_id == first.id
    assert console.builds_on is None  # one share only
    console.drop(ben, chloe)  # what a drop from Ben's tile onto Chloé's does
    rows = _rows(ctx)
    assert rows[-1].participant_id == chloe and rows[-1].builds_on_id == rows[-2].id


def test_timer_keys_and_overtime_display(qtbot: QtBot, ctx: Ripple) -> None:
    wid, _ = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    qtbot.keyClick(console, Qt.Key.Key_Space)
    assert console.live is not None and console.live.timer().running  # type: ignore[union-attr]
    assert console.start_button.text() == "Pause"
    qtbot.keyClick(console, Qt.Key.Key_Plus)
    assert console.live.timer().extra_s == 60  # type: ignore[union-attr]
    qtbot.keyClick(console, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert console.live.current_item.title == "Second"  # type: ignore[union-attr]
    from app.planning.views import TimerState

    console.timer.show_state(TimerState(60, 0, 130, True, True, False))
    assert console.timer.text() == "+01:10"


def test_silent_participants_are_marked(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, *_r) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    console.log(ana, "spontaneous")
    assert console.tiles.tiles[ben].tally.total == 0
    assert console.tiles.tiles[ana].tally.total == 1
    image = console.tiles.tiles[ben].grab().toImage()
    assert not image.isNull()


def test_reopening_shows_everything(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, *_r) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    qtbot.mouseClick(console.tiles.tiles[ana], Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    console.next_item()
    again = _console(qtbot, ctx, wid)
    assert again.recent.count() == 1
    assert again.live is not None and again.live.current_item.title == "Second"  # type: ignore[union-attr]


def test_live_insights_panel_follows_the_workshop(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, *_r) = _workshop(ctx)
    for pid in (ana, ben):  # the panel shows only people who agreed to analytics
        set_consent(ctx.store, pid, video=False, community=False, analytics=True, by="Marta")
    console = _console(qtbot, ctx, wid)
    console.panel_button.setChecked(True)
    assert console.live_panel.isVisible() and ctx.settings.show_live_panel
    first = console.log(ana, "spontaneous")
    assert first is not None
    console.set_builds_on(first.id)
    console.log(ben, "spontaneous")
    qtbot.waitUntil(lambda: not console.live_panel.busy and console.live_panel.insights is not None
                    and console.live_panel.shares.value.text() == "2", timeout=10000)
    assert "Ana" in console.live_panel.starters.text()
    console.panel_button.setChecked(False)
    assert not console.live_panel.isVisible() and not ctx.settings.show_live_panel


def test_a_follower_console_says_who_leads_and_takes_over(qtbot: QtBot, ctx: Ripple, tmp_path: object) -> None:
    from pathlib import Path

    from app.live import LiveWorkshop
    from db.store import Store
    from db.sync.engine import sync
    from db.sync.remote import open_remote

    wid, _people = _workshop(ctx, 2)
    remote = open_remote(f"sqlite:///{Path(str(tmp_path)) / 'shared.db'}")
    other = Store.open(f"sqlite:///{Path(str(tmp_path)) / 'other.db'}")
    sync(ctx.store, remote)
    sync(other, remote)
    LiveWorkshop(other, wid).start()  # the co-facilitator's laptop went live first
    sync(other, remote)
    sync(ctx.store, remote)
    console = _console(qtbot, ctx, wid)
    assert console.lead_note.isVisible() and f"Laptop {other.device_id} leads" in console.lead_note.text()
    assert console.take_over_button.isVisible()
    with qtbot.waitSignal(console.sig_error) as refused:
        console.next_item()
    assert refused.args is not None and "take over to run them from this laptop" in refused.args[0]
    qtbot.mouseClick(console.take_over_button, Qt.MouseButton.LeftButton)
    assert "This laptop leads" in console.lead_note.text() and not console.take_over_button.isVisible()
    console.next_item()
    assert console.item_title.text() == "Second"
    other.close()
    remote.close()


def test_the_console_offers_to_merge_a_walk_in_added_twice(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, *_r) = _workshop(ctx, 2)
    console = _console(qtbot, ctx, wid)
    assert not console.merge_button.isVisible()
    twin = add_participant(ctx.store, wid, "ana pereira")  # as a sync from the other laptop brings it
    console.refresh()
    assert console.merge_button.isVisible() and console.merge_button.text() == "Merge the two “Ana Pereira”"
    qtbot.mouseClick(console.tiles.tiles[twin], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(console.sig_info) as said:
        qtbot.mouseClick(console.merge_button, Qt.MouseButton.LeftButton)
    assert said.args is not None and "is one person now" in said.args[0]
    assert not console.merge_button.isVisible()
    assert [p.name for p in console.live.plan.participants if "ana" in p.name.casefold()] == ["Ana Pereira"]  # type: ignore[union-attr]
    assert {r.participant_id for r in _rows(ctx)} == {ana}


def _consenting(ctx: Ripple, *people: uuid.UUID) -> None:
    for pid in people:  # the panel shows only people who agreed to analytics
        set_consent(ctx.store, pid, video=False, community=False, analytics=True, by="Marta")


def _shares(console: Console) -> str:
    return console.live_panel.shares.value.text()


def test_the_live_panel_open_when_the_workshop_opens_follows_it(qtbot: QtBot, ctx: Ripple) -> None:
    """As the window does it: the workshop is opened in the console before the console is shown."""
    wid, (ana, ben, *_r) = _workshop(ctx)
    _consenting(ctx, ana, ben)
    ctx.settings.show_live_panel = True
    console = Console(ctx)
    qtbot.addWidget(console)
    console.resize(1366, 768)
    assert console.open_workshop(wid)
    console.show()
    qtbot.waitExposed(console)
    assert console.live_panel.isVisible()
    console.log(ana, "spontaneous")
    qtbot.waitUntil(lambda: _shares(console) == "1", timeout=10000)
    console.log(ben, "prompted")
    qtbot.waitUntil(lambda: _shares(console) == "2", timeout=10000)


def test_the_live_panel_hears_a_share_logged_elsewhere(qtbot: QtBot, ctx: Ripple) -> None:
    from app.live import LiveWorkshop
    from ui.changes import CONTRIBUTIONS, Changes, announce

    wid, (ana, ben, *_r) = _workshop(ctx)
    _consenting(ctx, ana, ben)
    console = _console(qtbot, ctx, wid)
    console.panel_button.setChecked(True)
    console.log(ana, "spontaneous")
    qtbot.waitUntil(lambda: _shares(console) == "1", timeout=10000)
    LiveWorkshop(ctx.store, wid).log(ben)  # the co-facilitator's laptop, brought by a sync
    announce(Changes.of(CONTRIBUTIONS, workshop=wid))
    qtbot.waitUntil(lambda: _shares(console) == "2", timeout=10000)
    console.panel_button.setChecked(False)  # hidden, it misses nothing: shown again, it catches up
    LiveWorkshop(ctx.store, wid).log(ana)
    announce(Changes.of(CONTRIBUTIONS, workshop=wid))
    console.panel_button.setChecked(True)
    qtbot.waitUntil(lambda: _shares(console) == "3", timeout=10000)


def test_the_console_shows_the_current_items_groups(qtbot: QtBot, ctx: Ripple) -> None:
    from app.planning.agenda import set_groups

    wid, (ana, ben, chloe, dan) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    assert not console.groups.isVisible()  # no groups, no heading for them
    assert console.live is not None
    second = console.live.plan.agenda[1].id
    set_groups(ctx.store, second, [[ana, dan], [ben, chloe]])
    console.refresh()  # as the planner's edit reaches the console
    assert not console.groups.isVisible()  # the first item has none
    console.next_item()
    assert console.groups.isVisible() and console.groups_title.isVisible()
    assert console.groups.text().splitlines() == ["Group 1: Ana Pereira, Dan Wu", "Group 2: Ben Okafor, Chloé Martin"]


def test_latest_and_the_timeline_show_the_workshops_clock(qtbot: QtBot, ctx: Ripple) -> None:
    """A workshop planned at UTC−05:00, run on a laptop set to another zone: one clock, labelled."""
    from datetime import timedelta, timezone

    from app.insights.workshop import workshop_insights
    from app.planning.workshops import create_workshop as create
    from app.text import clock_label
    from ui.insights.charts import TimelineChart

    start = datetime.now().astimezone(timezone(timedelta(hours=-5)))
    wid = create(ctx.store, "Across the ocean", started_at=start)
    add_agenda_item(ctx.store, wid, "challenge", "First", minutes=5)
    ana = add_participant(ctx.store, wid, "Ana Pereira")
    set_consent(ctx.store, ana, video=False, community=False, analytics=True, by="Marta")
    console = _console(qtbot, ctx, wid)
    view = console.log(ana, "spontaneous")
    assert view is not None
    there = view.at.astimezone(timezone(timedelta(hours=-5))).strftime("%H:%M")
    assert console.recent.item(0).text().startswith(there)
    assert console.latest.zone.text() == clock_label(-300) == "times in UTC-05:00"
    chart = TimelineChart()
    qtbot.addWidget(chart)
    wi = workshop_insights(ctx.store, wid)
    chart.show_insights(wi)
    at_share = (view.at - wi.workshop.started_at).total_seconds() / 60
    assert chart.getAxis("bottom").tickStrings([at_share], 1, 1) == [there]
    assert chart.clock_label == "times in UTC-05:00"


def test_dropping_someone_who_has_not_shared_names_them(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, *_r) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    with qtbot.waitSignal(console.sig_error) as said:
        console.drop(ben, ana)
    assert said.args == ["Ben Okafor has not shared yet, so there is nothing to build on."]
    assert _rows(ctx) == []


def _click_entry(qtbot: QtBot, console: Console, row: int) -> None:
    rect = console.recent.visualItemRect(console.recent.item(row))
    qtbot.mouseClick(console.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _accept_the_dialog_when_it_opens() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    def accept() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            dialog.accept()
        else:
            QTimer.singleShot(20, accept)

    QTimer.singleShot(0, accept)


def test_selecting_an_entry_to_edit_does_not_arm_builds_on(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, chloe, _d) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    console.log(ana, "spontaneous")
    console.log(ben, "spontaneous")
    _click_entry(qtbot, console, 1)  # Ana's, picked to be corrected
    from PySide6.QtWidgets import QApplication, QPushButton

    edit = next(b for b in console.findChildren(QPushButton) if b.text() == "Edit…")
    _accept_the_dialog_when_it_opens()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert console.builds_on is None and not console.builds_chip.isVisible()
    qtbot.keyClick(console, Qt.Key.Key_3)
    assert _rows(ctx)[-1].participant_id == chloe and _rows(ctx)[-1].builds_on_id is None


def test_editing_the_entry_the_chip_builds_on_clears_the_chip(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, chloe, _d) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    first = console.log(ana, "spontaneous")
    assert first is not None and console.live is not None
    _click_entry(qtbot, console, 0)
    assert console.builds_on == first.id and "Ana Pereira's story" in console.builds_chip.text()
    console.live.edit(first.id, participant_id=ben)  # corrected: it was Ben who spoke
    assert console.builds_on is None and not console.builds_chip.isVisible()
    qtbot.keyClick(console, Qt.Key.Key_3)
    assert _rows(ctx)[-1].participant_id == chloe and _rows(ctx)[-1].builds_on_id is None


def test_a_share_logged_unarmed_says_what_it_was_logged_as(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, *_r) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    qtbot.mouseClick(console.tiles.tiles[ana], Qt.MouseButton.LeftButton)
    note = console.next_share.note
    assert note.isVisible() and note.text().startswith("Logged Ana Pereira's spontaneous share as Story  ·  F1–F6")
    top = console.tiles.mapTo(console, console.tiles.rect().topLeft())
    qtbot.keyClick(console, Qt.Key.Key_F2)  # armed: the trainer chose the kind
    qtbot.keyClick(console, Qt.Key.Key_2)
    assert _rows(ctx)[-1].kind == "tip" and _rows(ctx)[-1].participant_id == ben
    assert note.text() == "Logged Ben Okafor's spontaneous share as Tip"
    assert console.tiles.mapTo(console, console.tiles.rect().topLeft()) == top  # the line moves nothing


def test_not_heard_yet_is_calm_at_the_start_and_marked_once_the_room_is_under_way(qtbot: QtBot, ctx: Ripple) -> None:
    """At the start nobody has shared: the panel lists everyone in muted type, no dot, no red;
    once half the room is heard the panel and the tiles mark the rest together."""
    from ui.kit import theme

    wid, people = _workshop(ctx)
    ana, ben, _chloe, _dan = people
    _consenting(ctx, *people)
    ctx.settings.show_live_panel = True
    console = _console(qtbot, ctx, wid)
    panel = console.live_panel
    p = theme.current()
    qtbot.waitUntil(lambda: panel.insights is not None and not panel.busy, timeout=10000)
    assert panel.silent_title.text() == "NOT HEARD YET: 4" and not panel.attention
    assert p.muted in panel.silent.styleSheet() and p.danger not in panel.silent.styleSheet()
    assert "Dan Wu" in panel.silent.text()
    console.log(ana, "spontaneous")
    qtbot.waitUntil(lambda: _shares(console) == "1" and panel.silent_title.text() == "NOT HEARD YET: 3", timeout=10000)
    assert not panel.attention and not any(t.nudged for t in console.tiles.tiles.values())
    console.log(ben, "prompted")  # two of four: half the room heard
    qtbot.waitUntil(lambda: _shares(console) == "2" and panel.attention, timeout=10000)
    assert p.warning in panel.silent_title.text() and "NOT HEARD YET: 2" in panel.silent_title.text()
    assert p.text in panel.silent.styleSheet() and p.danger not in panel.silent.styleSheet()
    assert [console.tiles.tiles[x].nudged for x in people] == [False, False, True, True]


def test_not_heard_yet_is_marked_once_a_third_of_the_agenda_time_is_used(qtbot: QtBot, ctx: Ripple) -> None:
    from datetime import timedelta

    from app.live import LiveWorkshop
    from db.types import utcnow

    wid, people = _workshop(ctx)  # two items of 5 minutes
    ana = people[0]
    _consenting(ctx, *people)
    ctx.settings.show_live_panel = True
    console = _console(qtbot, ctx, wid)
    console.log(ana, "spontaneous")
    panel = console.live_panel
    qtbot.waitUntil(lambda: _shares(console) == "1", timeout=10000)
    assert not panel.attention
    clock = [utcnow()]
    elsewhere = LiveWorkshop(ctx.store, wid, now=lambda: clock[0])
    elsewhere.start()
    clock[0] += timedelta(minutes=4)  # 4 of 10 planned minutes
    elsewhere.pause()
    console.refresh()  # as the change reaches the console
    qtbot.waitUntil(lambda: panel.attention, timeout=10000)
    assert [console.tiles.tiles[x].nudged for x in people] == [False, True, True, True]


def test_an_agenda_line_never_splits_its_minutes_from_min(qtbot: QtBot, ctx: Ripple) -> None:
    """"3. Debrief challenge 1 · 10" over "min" read as broken at 1366x768."""
    wid, _people = _workshop(ctx)
    add_agenda_item(ctx.store, wid, "debrief", "Debrief challenge 1 with everyone", minutes=10)
    console = _console(qtbot, ctx, wid)
    lines = [console.agenda.item(i).text() for i in range(console.agenda.count())]
    assert any("\n" in line for line in lines)  # the long one wraps...
    assert all(line.endswith("\u00a0min") and "\nmin" not in line for line in lines)  # ...never inside "10 min"
    assert not any(part.rstrip().endswith("·") for line in lines for part in line.split("\n"))  # nor after "·"


def test_a_latest_entry_too_wide_puts_its_kind_under_the_name(qtbot: QtBot, ctx: Ripple) -> None:
    """Never "Constanza García —" over "Question" over "↪ on …": the name whole, then the kind
    with what it built on, two lines at most."""
    wid, (ana, ben, *_r) = _workshop(ctx)
    console = _console(qtbot, ctx, wid)
    first = console.log(ana, "spontaneous")
    assert first is not None
    console.set_builds_on(first.id)
    console.log(ben, "prompted")
    recent = console.recent
    entry = recent.item(0)
    label = recent.label(entry)
    assert label.endswith("Ben Okafor — Story\n    ↪ on Ana Pereira")
    fm = recent.fontMetrics()
    narrow = fm.horizontalAdvance(label.partition("\n")[0]) - 10
    assert recent.lines(label, fm, narrow)[1:] == ["    Story  ↪ on Ana Pereira"]
    assert recent.lines(label, fm, narrow)[0].endswith("○ Ben Okafor")
    wide = fm.horizontalAdvance(label.partition("\n")[0]) + 10
    assert recent.lines(label, fm, wide) == label.split("\n")  # it fits: as it was
    console.resize(1256, 690)  # the window Ripple opens with on a 1366x768 laptop: two lines at most
    qtbot.waitUntil(lambda: all(recent.item(i).text().count("\n") <= 1 for i in range(recent.count())))
