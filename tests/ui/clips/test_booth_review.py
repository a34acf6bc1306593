"""Review in the booth: player controls, discard, asking before a take is lost; leaving with a PIN."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.clips.booth_pin import PIN_RULE, has_booth_pin
from app.clips.catalogue import list_clips
from app.context import Ripple
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from ui.clips.booth import Booth
from ui.clips.leave_booth import WRONG_PIN
from ui.settings.booth_pin import NO_PIN, PIN_SET, BoothPinSetting

PLAYING = QMediaPlayer.PlaybackState.PlayingState


def _two(ctx: Ripple) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    wid = create_workshop(ctx.store, "Review")
    ana = add_participant(ctx.store, wid, "Ana Pereira")
    ben = add_participant(ctx.store, wid, "Ben Okafor")
    for pid in (ana, ben):
        set_consent(ctx.store, pid, video=True, community=False, analytics=True, by="Marta")
    return wid, ana, ben


def _reviewing(qtbot: QtBot, ctx: Ripple, wid: uuid.UUID, pid: uuid.UUID) -> Booth:
    ctx.settings.camera = "synthetic"
    booth = Booth(ctx, find_cameras=lambda: (), find_microphones=lambda: ())
    qtbot.addWidget(booth)
    booth.resize(1366, 768)
    booth.show()
    booth.open_workshop(wid)
    booth.choose(pid)
    assert booth.start_recording()
    qtbot.waitUntil(lambda: booth.take is not None and booth.take.elapsed > 1.5, timeout=8000)
    booth.stop_recording()
    qtbot.waitUntil(lambda: booth.state == "review", timeout=8000)
    return booth


def test_review_plays_pauses_replays_and_scrubs(qtbot: QtBot, ctx: Ripple) -> None:
    wid, ana, _ben = _two(ctx)
    booth = _reviewing(qtbot, ctx, wid, ana)
    player = booth.stage.review_player
    qtbot.waitUntil(lambda: player.player.playbackState() == PLAYING, timeout=5000)
    qtbot.waitUntil(lambda: player.scrubber.maximum() > 1000, timeout=5000)  # the take's length
    assert player.play_button.text() == "Pause"
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.player.playbackState() != PLAYING, timeout=3000)
    assert player.play_button.text() == "Play"
    player.seek(1000)
    qtbot.waitUntil(lambda: abs(player.player.position() - 1000) < 200, timeout=3000)
    assert player.time_label.text().startswith("00:01 /")
    qtbot.mouseClick(player.replay_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.player.playbackState() == PLAYING, timeout=3000)
    assert player.player.position() < 1000
    booth.shutdown()


def test_the_end_of_the_take_holds_its_last_picture_and_play_starts_again(qtbot: QtBot, ctx: Ripple) -> None:
    """At the end the player went black, as if the take were gone; Play then did nothing."""
    wid, ana, _ben = _two(ctx)
    booth = _reviewing(qtbot, ctx, wid, ana)
    player = booth.stage.review_player
    qtbot.waitUntil(lambda: player.ended, timeout=10000)
    qtbot.waitUntil(lambda: player.player.playbackState() == QMediaPlayer.PlaybackState.PausedState, timeout=3000)
    assert player.player.position() > player.player.duration() - 500  # the last picture, not a black one
    assert player.play_button.text() == "Play"
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.player.playbackState() == PLAYING, timeout=3000)
    assert not player.ended and player.player.position() < 1000
    booth.shutdown()


def test_discard_throws_the_take_away(qtbot: QtBot, ctx: Ripple) -> None:
    wid, ana, _ben = _two(ctx)
    booth = _reviewing(qtbot, ctx, wid, ana)
    path = booth.take.path  # type: ignore[union-attr]
    assert booth.stage.keep_controls.discard_button.isVisible()
    qtbot.mouseClick(booth.stage.keep_controls.discard_button, Qt.MouseButton.LeftButton)
    assert booth.state == "pick" and booth.take is None and not path.exists()
    assert "discarded" in booth.stage.status.text()
    assert list_clips(ctx.store, wid) == []
    booth.set_booth_mode(True)  # the next participant does not read the trainer's news
    assert booth.stage.status.text() == ""
    booth.set_booth_mode(False)
    booth.shutdown()


def test_tapping_another_name_during_review_asks_first(qtbot: QtBot, ctx: Ripple) -> None:
    wid, ana, ben = _two(ctx)
    booth = _reviewing(qtbot, ctx, wid, ana)
    path = booth.take.path  # type: ignore[union-attr]
    qtbot.mouseClick(booth.people.buttons[ben], Qt.MouseButton.LeftButton)
    assert booth.state == "review" and path.exists() and booth.participant_id == ana
    # Only the reviewed name is lit until the switch is confirmed (the tap toggled Ben's button).
    assert booth.people.buttons[ana].isChecked() and not booth.people.buttons[ben].isChecked()
    assert booth.stage.confirm_bar.isVisible()
    assert "Ana Pereira's take is not kept yet" in booth.stage.confirm_text.text()
    assert "Ben Okafor" in booth.stage.confirm_text.text()
    qtbot.mouseClick(booth.stage.confirm_back, Qt.MouseButton.LeftButton)  # go back: nothing lost
    assert not booth.stage.confirm_bar.isVisible() and booth.state == "review" and path.exists()
    qtbot.mouseClick(booth.people.buttons[ana], Qt.MouseButton.LeftButton)  # her own name: nothing changes
    assert booth.people.buttons[ana].isChecked() and not booth.stage.confirm_bar.isVisible()
    qtbot.mouseClick(booth.people.buttons[ben], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(booth.stage.confirm_discard, Qt.MouseButton.LeftButton)
    assert not path.exists() and booth.state == "ready" and booth.participant_id == ben
    assert booth.people.buttons[ben].isChecked() and not booth.people.buttons[ana].isChecked()
    assert not booth.stage.confirm_bar.isVisible()
    booth.shutdown()


def test_leaving_booth_mode_asks_for_the_trainers_pin(qtbot: QtBot, ctx: Ripple) -> None:
    setting = BoothPinSetting(ctx)
    qtbot.addWidget(setting)
    assert setting.status.text() == NO_PIN and not setting.remove_button.isEnabled()
    setting.pin_edit.setText("12")
    qtbot.mouseClick(setting.set_button, Qt.MouseButton.LeftButton)
    assert setting.status.text() == PIN_RULE and not has_booth_pin(ctx.settings)
    setting.pin_edit.setText("2468")
    qtbot.mouseClick(setting.set_button, Qt.MouseButton.LeftButton)
    assert setting.status.text() == PIN_SET and has_booth_pin(settings_mod.load())
    assert "2468" not in settings_mod.settings_path().read_text(encoding="utf-8")

    booth = Booth(ctx, find_cameras=lambda: (), find_microphones=lambda: ())
    qtbot.addWidget(booth)
    booth.show()
    booth.set_booth_mode(True)
    leave = booth.stage.leave
    qtbot.mousePress(leave.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: leave.pin_row.isVisible(), timeout=3000)
    qtbot.mouseRelease(leave.button, Qt.MouseButton.LeftButton)
    assert booth.in_booth_mode and leave.progress.value() == leave.progress.maximum()
    qtbot.keyClicks(leave.pin_edit, "1357")
    qtbot.keyClick(leave.pin_edit, Qt.Key.Key_Return)
    assert booth.in_booth_mode and leave.pin_message.text() == WRONG_PIN and leave.pin_edit.text() == ""
    qtbot.keyClicks(leave.pin_edit, "2468")
    qtbot.mouseClick(leave.pin_ok, Qt.MouseButton.LeftButton)
    assert not booth.in_booth_mode and not leave.pin_row.isVisible()

    qtbot.mouseClick(setting.remove_button, Qt.MouseButton.LeftButton)
    assert setting.status.text() == NO_PIN and not has_booth_pin(ctx.settings)


def test_the_picture_stays_put_when_the_status_or_the_question_changes(qtbot: QtBot, ctx: Ripple) -> None:
    """Nothing moves under the pointer: a status sentence coming and going, a two-line one, and
    the discard question in its place leave the picture where it was."""
    wid, ana, ben = _two(ctx)
    booth = _reviewing(qtbot, ctx, wid, ana)
    picture = booth.stage.pages

    def where() -> tuple[int, int]:
        qtbot.wait(0)  # let the layout settle (an event-loop turn, no sleep)
        return picture.geometry().top(), picture.geometry().height()

    before = where()
    booth.stage.status.setText("")
    assert where() == before
    booth.stage.show_problem("A sentence long enough to need a second line on the booth's status line, "
                             "which the trainer reads from across the room while the person waits.")
    assert where() == before
    qtbot.mouseClick(booth.people.buttons[ben], Qt.MouseButton.LeftButton)
    assert booth.stage.confirm_bar.isVisible() and not booth.stage.status_line.isVisible()
    assert where() == before
    qtbot.mouseClick(booth.stage.confirm_back, Qt.MouseButton.LeftButton)
    assert booth.stage.status_line.isVisible() and where() == before
    booth.shutdown()
