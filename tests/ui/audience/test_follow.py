"""The room follows the console: agenda and timer, blank and freeze, clips, recognition, and
nothing private on any page of the audience window. One offscreen screen here, so the room
is a normal window (rehearsing); the screens themselves are tested in test_screens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.clips.library import import_clip
from app.clips.reactions import react
from app.context import Ripple
from app.room.recognition import recognition_enabled
from tests.helpers.media import make_video
from tests.helpers.room import SECRETS, Clock, Sample, sample
from ui.audience.window import AudienceWindow
from ui.changes import CLIPS, Changes, announce
from ui.shell.window import MainWindow
from ui.tasks import wait_for_all


@pytest.fixture
def room(qtbot: QtBot, ctx: Ripple) -> Iterator[tuple[MainWindow, Sample]]:
    s = sample(ctx.store, Clock(datetime.now(UTC)))
    window = MainWindow(ctx, live=s.workshop, audience="window")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.audience.showing)
    yield window, s
    window.close()
    wait_for_all()


def texts(widget: QWidget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel) if w.text()]


def aw(window: MainWindow) -> AudienceWindow:
    assert window.audience.window is not None
    return window.audience.window


def test_the_room_follows_the_agenda_at_once(qtbot: QtBot, room: tuple[MainWindow, Sample]) -> None:
    window, _s = room
    audience = aw(window)
    assert audience.windowTitle().startswith("Ripple audience")
    assert audience.stage.item_title.text() == "Handling objections"
    assert "Room sees: a window" in window.console.room_menu.text()
    qtbot.keyClick(window.console, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    # the same event-loop turn: no frame where the console and the room disagree
    assert window.console.item_title.text() == audience.stage.item_title.text() == "The angry customer"
    assert audience.stage.place.text() == "2 of 3"
    window.console.next_button.click()
    assert audience.stage.item_title.text() == "What we learned"
    assert audience.stage.next.text() == ""


def test_the_room_follows_the_timer(qtbot: QtBot, room: tuple[MainWindow, Sample]) -> None:
    window, _s = room
    audience, console = aw(window), window.console
    qtbot.keyClick(console, Qt.Key.Key_Space)  # pause
    assert not console.live.timer().running  # type: ignore[union-attr]
    assert audience.stage.timer.text() == console.timer.text()
    qtbot.keyClick(console, Qt.Key.Key_Plus)  # +1 min shows in the room at once
    assert audience.stage.timer.text() == console.timer.text()
    before = audience.stage.timer.text()
    qtbot.keyClick(console, Qt.Key.Key_Space)  # running again: the room's clock ticks
    qtbot.waitUntil(lambda: audience.stage.timer.text() != before, timeout=3000)
    qtbot.waitUntil(lambda: audience.stage.timer.text() == console.timer.text(), timeout=1000)


def test_blank_and_freeze(qtbot: QtBot, room: tuple[MainWindow, Sample]) -> None:
    window, _s = room
    audience, console = aw(window), window.console
    qtbot.keyClick(audience, Qt.Key.Key_B)
    assert audience.page == "black" and "blanked" in console.room_menu.text()
    qtbot.keyClick(audience, Qt.Key.Key_B)
    assert audience.page == "stage"
    qtbot.keyClick(console, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # from the console too
    assert audience.page == "black"
    qtbot.keyClick(console, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(audience, Qt.Key.Key_F)
    assert "frozen" in console.room_menu.text()
    console.next_button.click()
    assert console.item_title.text() == "The angry customer"
    assert audience.stage.item_title.text() == "Handling objections"  # the room stays put
    qtbot.keyClick(console, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert audience.stage.item_title.text() == "The angry customer"  # and catches up
    assert "frozen" not in console.room_menu.text()


def test_nothing_private_on_any_page(qtbot: QtBot, room: tuple[MainWindow, Sample]) -> None:
    window, s = room
    audience = aw(window)
    window.audience.room.roleplay = lambda: s.round  # type: ignore[union-attr]
    window.audience.room.roleplay_changed()  # type: ignore[union-attr]
    shown = texts(audience)
    assert "Sells the renewal." in shown and "PLAY  01:00" in shown
    window.console.room_menu.ask("allow_recognition", "on")
    window.console.room_menu.ask("recognize", "day")
    qtbot.waitUntil(lambda: audience.page == "recognition")
    everything = "\n".join(texts(audience))
    for secret in SECRETS:
        assert secret not in everything
    assert "Marta Ruiz" not in everything and "eye_contact" not in everything


def test_recognition_only_when_turned_on(qtbot: QtBot, ctx: Ripple, room: tuple[MainWindow, Sample]) -> None:
    window, s = room
    audience, menu = aw(window), window.console.room_menu
    menu.ask("recognize", "day")
    assert "Recognition is off" in window.banner.text() and audience.page == "stage"
    menu.ask("allow_recognition", "on")
    assert recognition_enabled(ctx.store, s.workshop)
    menu.ask("recognize", "day")
    qtbot.waitUntil(lambda: audience.page == "recognition")
    shown = texts(audience.recognition)
    assert "Ana Pereira" in shown and "Chloé Martin" not in shown  # Chloé: no analytics consent
    assert not any(re.search(r"\d", t) for t in shown)  # no scores, counts or ranks
    menu.ask("hide_recognition")
    assert audience.page == "stage"


def test_the_end_of_the_workshop_shows_the_recognition(qtbot: QtBot, room: tuple[MainWindow, Sample]) -> None:
    window, _s = room
    audience = aw(window)
    window.console.room_menu.ask("allow_recognition", "on")
    window.console.live.finish()  # type: ignore[union-attr]  (what "End workshop" does once confirmed)
    qtbot.waitUntil(lambda: audience.page == "recognition")
    assert "Whose shares set others off today" in texts(audience.recognition)


def test_a_clip_plays_full_screen_then_shows_its_owner_and_reactions(
    qtbot: QtBot, ctx: Ripple, room: tuple[MainWindow, Sample], tmp_path: Path
) -> None:
    window, s = room
    audience = aw(window)
    video = make_video(tmp_path / "lesson.mp4", 0.6)
    c = import_clip(ctx.store, ctx.clips, video, s.workshop, s.people["ana"], title="Ask before you answer")
    react(ctx.store, s.workshop, "helpful", clip_id=c.id)
    window.console.room_menu.ask("clip", str(c.id))
    assert audience.page == "clip"
    assert audience.clip.currentWidget() is audience.clip.video
    qtbot.waitUntil(lambda: audience.clip.currentWidget() is audience.clip.after, timeout=15000)
    shown = texts(audience.clip)
    assert "Ana Pereira's clip" in shown and "Ask before you answer" in shown
    assert any("Helpful 1" in t for t in shown)
    react(ctx.store, s.workshop, "inspired", clip_id=c.id)  # the gallery reacts, and says so
    announce(Changes.of(CLIPS, workshop=s.workshop), None)
    assert any("Helpful 1" in t and "Inspired 1" in t for t in texts(audience.clip))
    window.console.room_menu.ask("clip_stop")
    assert audience.page == "stage"
