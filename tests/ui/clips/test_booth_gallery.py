"""The booth and the gallery, driven as a participant and a trainer would."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clips.catalogue import list_clips
from app.clips.recording import Recording
from app.context import Ripple
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from ui.clips.booth import Booth
from ui.clips.gallery import Gallery
from ui.kit import players


def _workshop(ctx: Ripple) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    wid = create_workshop(ctx.store, "Booth test")
    add_agenda_item(ctx.store, wid, "clip_round", "Your lesson in a minute", instructions="What did you learn?")
    yes = add_participant(ctx.store, wid, "Ana Pereira")
    no = add_participant(ctx.store, wid, "Ben Okafor")
    set_consent(ctx.store, yes, video=True, community=True, analytics=True, by="Marta")
    return wid, yes, no


def _booth(qtbot: QtBot, ctx: Ripple) -> Booth:
    ctx.settings.camera = "synthetic"
    ctx.settings.max_clip_seconds = 30
    booth = Booth(ctx)
    qtbot.addWidget(booth)
    booth.resize(1366, 768)
    booth.show()
    return booth


def test_record_review_keep_in_the_booth(qtbot: QtBot, ctx: Ripple) -> None:
    wid, yes, _no = _workshop(ctx)
    booth = _booth(qtbot, ctx)
    booth.open_workshop(wid)
    assert booth.stage.prompt_title.text() == "Your lesson in a minute"
    qtbot.mouseClick(booth.people.buttons[yes], Qt.MouseButton.LeftButton)
    assert booth.state == "ready"
    qtbot.waitUntil(lambda: booth.stage.view._image is not None, timeout=5000)  # live preview
    qtbot.mouseClick(booth.stage.record_button, Qt.MouseButton.LeftButton)
    assert booth.state == "countdown" and booth.stage.view.overlay.text() == "3"
    qtbot.waitUntil(lambda: booth.state == "recording", timeout=5000)
    qtbot.waitUntil(lambda: booth.take is not None and booth.take.elapsed > 1.2, timeout=8000)
    assert "left" in booth.stage.status.text()
    qtbot.mouseClick(booth.stage.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: booth.state == "review", timeout=8000)
    assert booth.result is not None and booth.result.error is None
    booth.stage.keep_controls.scope_community.setChecked(True)
    gallery = Gallery(ctx)  # another screen, hidden and already read: the keep makes it stale
    qtbot.addWidget(gallery)
    gallery.stale = False
    said: list[str] = []
    signalled: list[object] = []
    booth.sig_info.connect(said.append)
    booth.sig_clip_kept.connect(signalled.append)
    kept = booth.keep()
    assert kept is not None and kept.scope == "community" and kept.seconds > 1
    assert signalled == [kept] and len(said) == 1 and "is in the gallery" in said[0]
    assert gallery.stale
    assert [c.id for c in list_clips(ctx.store, wid)] == [kept.id]
    assert booth.state == "pick"
    booth.shutdown()


def test_retake_throws_the_take_away(qtbot: QtBot, ctx: Ripple) -> None:
    wid, yes, _no = _workshop(ctx)
    booth = _booth(qtbot, ctx)
    booth.open_workshop(wid)
    booth.choose(yes)
    assert booth.start_recording()
    qtbot.waitUntil(lambda: booth.take is not None and booth.take.elapsed > 0.5, timeout=8000)
    booth.stop_recording()
    qtbot.waitUntil(lambda: booth.state == "review", timeout=8000)
    path = booth.take.path  # type: ignore[union-attr]
    booth.retake()
    assert not path.exists() and booth.state == "ready"
    assert list_clips(ctx.store, wid) == []
    booth.shutdown()


def test_no_consent_is_refused_with_the_reason_on_screen(qtbot: QtBot, ctx: Ripple) -> None:
    wid, _yes, no = _workshop(ctx)
    booth = _booth(qtbot, ctx)
    booth.open_workshop(wid)
    assert not booth.choose(no)
    assert booth.state == "pick"
    assert "has not agreed to be recorded" in booth.stage.status.text()
    assert booth.preview is None and booth.sources is None
    booth.shutdown()


def test_booth_mode_hides_everything_else(qtbot: QtBot, ctx: Ripple) -> None:
    booth = _booth(qtbot, ctx)
    modes: list[bool] = []
    booth.sig_booth_mode.connect(modes.append)
    booth.set_booth_mode(True)
    leave = booth.stage.leave
    assert not booth.toolbar.isVisible() and leave.button.isVisible()
    qtbot.mousePress(leave.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: leave.progress.value() > 0, timeout=3000)  # the hold shows its progress
    qtbot.mouseRelease(leave.button, Qt.MouseButton.LeftButton)
    assert booth.in_booth_mode and leave.progress.value() == 0  # a short press does not leave
    qtbot.mousePress(leave.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not booth.in_booth_mode, timeout=3000)
    qtbot.mouseRelease(leave.button, Qt.MouseButton.LeftButton)
    assert modes == [True, False] and booth.toolbar.isVisible()


def test_gallery_shows_clips_and_one_click_reactions(qtbot: QtBot, ctx: Ripple) -> None:
    from media.audio import SyntheticTone
    from media.camera.synthetic import SyntheticCamera

    wid, yes, _no = _workshop(ctx)
    take = Recording(ctx.store, ctx.clips, wid, yes, None, camera=SyntheticCamera(320, 240, realtime=False),
                       audio=SyntheticTone(realtime=False), max_seconds=1.0)
    take.start()
    take.recorder.wait(60)
    view = take.keep()
    gallery = Gallery(ctx)
    qtbot.addWidget(gallery)
    gallery.resize(1366, 768)
    gallery.show()
    assert gallery.grid.count() == 1 and gallery.current is not None and gallery.current.id == view.id
    assert "Ana Pereira" in gallery.grid.item(0).text()
    qtbot.mouseClick(gallery.react_buttons["inspired"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(gallery.react_buttons["inspired"], Qt.MouseButton.LeftButton)
    assert list_clips(ctx.store, wid)[0].reactions == {"inspired": 2}
    assert gallery.react_buttons["inspired"].text().endswith("2")
    assert gallery.play_button.isEnabled()
    # Until it plays, the player shows the clip's picture, not a blank box.
    assert gallery.screen_stack.currentWidget() is gallery.poster and not gallery.poster.pixmap().isNull()
    gallery.play()
    qtbot.waitUntil(lambda: gallery.screen_stack.currentWidget() is gallery.video, timeout=5000)
    players.stop(gallery.player)  # stopped when it returns, and the poster is back
    assert gallery.screen_stack.currentWidget() is gallery.poster


def test_1080p_is_selectable_and_remembered(qtbot: QtBot, ctx: Ripple) -> None:
    from app import settings

    wid, yes, _no = _workshop(ctx)
    booth = _booth(qtbot, ctx)
    booth.open_workshop(wid)
    booth.toolbar.quality_box.setCurrentIndex(1)
    booth.toolbar.quality_box.activated.emit(1)
    assert ctx.settings.video_height == 1080 and settings.load().video_height == 1080
    booth.choose(yes)
    qtbot.waitUntil(lambda: booth.sources is not None and booth.sources.camera.height == 1080, timeout=5000)
    booth.shutdown()
