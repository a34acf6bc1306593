"""The booth's cameras and microphones as found, the REC mark, the clock, and Stop that stops at once."""

from __future__ import annotations

import threading
import uuid

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clips.devices import NO_CAMERA_SENTENCE, NO_MICROPHONE_NOTE, CameraOption, MicrophoneOption
from app.context import Ripple
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from app.text import clock
from ui.clips.booth import Booth
from ui.tasks import run_task


def _person(ctx: Ripple) -> tuple[uuid.UUID, uuid.UUID]:
    wid = create_workshop(ctx.store, "Devices")
    pid = add_participant(ctx.store, wid, "Ana Pereira")
    set_consent(ctx.store, pid, video=True, community=False, analytics=True, by="Marta")
    return wid, pid


def _booth(qtbot: QtBot, ctx: Ripple, cameras: tuple[CameraOption, ...] = (),
           mics: tuple[MicrophoneOption, ...] = ()) -> Booth:
    booth = Booth(ctx, find_cameras=lambda: cameras, find_microphones=lambda: mics)
    qtbot.addWidget(booth)
    booth.resize(1366, 768)
    booth.show()
    qtbot.waitUntil(lambda: booth.devices.found is not None, timeout=5000)
    return booth


def _items(box: object) -> list[str]:
    return [box.itemText(i) for i in range(box.count())]  # type: ignore[attr-defined]


def test_a_laptop_without_camera_or_microphone_is_told_so(qtbot: QtBot, ctx: Ripple) -> None:
    ctx.settings.camera = ""
    ctx.settings.microphone = ""
    wid, pid = _person(ctx)
    booth = _booth(qtbot, ctx)
    booth.open_workshop(wid)
    cameras = _items(booth.toolbar.camera_box)
    assert cameras[0] == "No camera found" and "Laptop camera" not in cameras
    assert _items(booth.toolbar.mic_box) == ["No microphone found", "Synthetic tone", "No sound"]
    qtbot.mouseClick(booth.people.buttons[pid], Qt.MouseButton.LeftButton)
    assert booth.state == "ready" and booth.sources is None
    assert booth.stage.status.text() == NO_CAMERA_SENTENCE
    assert booth.stage.view.text() == "No camera found"
    assert not booth.stage.record_button.isEnabled()
    assert booth.stage.meter_label.text() == NO_MICROPHONE_NOTE
    # Choosing the test pattern gives a picture; with no microphone the take will be silent.
    booth.toolbar.camera_box.setCurrentIndex(_items(booth.toolbar.camera_box).index("Synthetic test pattern"))
    booth.toolbar.camera_box.activated.emit(booth.toolbar.camera_box.currentIndex())
    # No microphone chosen: the pattern comes with its tone, and the list says so.
    assert booth.toolbar.mic_box.currentText() == "Synthetic tone"
    qtbot.waitUntil(lambda: booth.stage.meter_label.text() == "Sound: Synthetic tone", timeout=5000)
    booth.toolbar.mic_box.setCurrentIndex(2)
    booth.toolbar.mic_box.activated.emit(2)
    assert ctx.settings.camera == "synthetic" and ctx.settings.microphone == "none"
    qtbot.waitUntil(lambda: booth.stage.view._image is not None, timeout=5000)
    assert booth.stage.record_button.isEnabled()
    assert booth.stage.meter_label.text() == NO_MICROPHONE_NOTE
    # With a picture, the red "No camera found" sentence is gone: it no longer holds.
    assert booth.stage.status.text().startswith("When you are ready, press Record")
    assert not booth.stage.status.styleSheet()
    booth.shutdown()


def test_pictures_do_not_queue_up_behind_a_busy_ui_thread(qtbot: QtBot) -> None:
    """A queued signal per frame piled up while the UI thread was busy, and Stop waited behind
    them all (a take stopped at 6 s came out 16 s long). Only the newest picture waits."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QImage

    from ui.clips.preview_view import Bridge

    bridge = Bridge()
    shown: list[int] = []
    bridge.sig_frame.connect(lambda image: shown.append(image.width()))
    sent = threading.Event()

    def camera() -> None:  # 90 frames (3 s of camera) while the UI thread does not run its loop
        for width in range(1, 91):
            bridge.offer_frame(QImage(width, 2, QImage.Format.Format_RGB888))
        sent.set()

    threading.Thread(target=camera).start()
    assert sent.wait(5)
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    QCoreApplication.processEvents()  # nothing else was queued
    assert shown == [90]  # one delivery, the newest picture
    bridge.offer_frame(QImage(7, 2, QImage.Format.Format_RGB888))
    qtbot.waitUntil(lambda: shown[-1] == 7, timeout=2000)
    assert shown == [90, 7]


def test_a_take_silent_by_choice_is_not_reported_as_a_missing_microphone(qtbot: QtBot, ctx: Ripple) -> None:
    """With "No sound" chosen the booth says "this clip will have no sound" before Record; after
    the take a banner said "No microphone found", as if something had gone wrong."""
    ctx.settings.camera = "synthetic"
    ctx.settings.microphone = "none"
    wid, pid = _person(ctx)
    booth = _booth(qtbot, ctx, mics=(MicrophoneOption("Headset", "hs-1"),))
    booth.open_workshop(wid)
    booth.choose(pid)
    assert booth.stage.meter_label.text() == NO_MICROPHONE_NOTE
    said: list[str] = []
    booth.sig_info.connect(said.append)
    booth.sig_error.connect(said.append)
    assert booth.start_recording()
    qtbot.waitUntil(lambda: booth.take is not None and booth.take.elapsed > 0.5, timeout=8000)
    booth.stop_recording()
    qtbot.waitUntil(lambda: booth.state == "review", timeout=8000)
    assert booth.result.warning  # the recorder noted it...
    assert said == []  # ...but it was said before Record, not again as a fault
    booth.shutdown()


def test_cameras_and_microphones_are_listed_as_found(qtbot: QtBot, ctx: Ripple) -> None:
    ctx.settings.camera = "synthetic"
    booth = _booth(qtbot, ctx, cameras=(CameraOption("Desk cam (0)", "0"),),
                   mics=(MicrophoneOption("Headset", "hs-1"), MicrophoneOption("Array", "arr-2")))
    booth.reload()
    assert _items(booth.toolbar.camera_box)[:2] == ["Desk cam (0)", "Synthetic test pattern"]
    assert booth.toolbar.camera_box.currentText() == "Synthetic test pattern"
    assert _items(booth.toolbar.mic_box) == ["Headset", "Array", "Synthetic tone", "No sound"]
    booth.toolbar.mic_box.setCurrentIndex(1)
    booth.toolbar.mic_box.activated.emit(1)
    assert ctx.settings.microphone == "arr-2"


def test_recording_shows_rec_and_a_clock_that_adds_up(qtbot: QtBot, ctx: Ripple) -> None:
    ctx.settings.camera = "synthetic"
    ctx.settings.max_clip_seconds = 30
    wid, pid = _person(ctx)
    booth = _booth(qtbot, ctx)
    booth.open_workshop(wid)
    booth.choose(pid)
    assert not booth.stage.rec_label.isVisible()
    assert booth.start_recording()
    assert booth.stage.rec_label.isVisible() and booth.stage.rec_label.text() == "● REC"
    qtbot.waitUntil(lambda: "left" in booth.stage.status.text() and booth.take is not None
                    and booth.take.elapsed > 1.0, timeout=8000)
    text = booth.stage.status.text()
    shown, left = text.split("Recording")[1].split("left")[0].split("·")
    to_s = lambda t: sum(int(x) * 60 ** i for i, x in enumerate(reversed(t.strip().split(":"))))  # noqa: E731
    assert to_s(shown) + to_s(left) == 30, text
    booth.stop_recording()
    qtbot.waitUntil(lambda: booth.state == "review", timeout=8000)
    assert not booth.stage.rec_label.isVisible()
    assert clock(0) == "00:00"
    booth.shutdown()


def test_stop_ends_the_take_at_once_even_right_after_a_camera_switch_and_with_the_media_lane_busy(
        qtbot: QtBot, ctx: Ripple, tmp_path: object) -> None:
    """A take came out 23 s long after Stop at 10 s: Stop ran on a busy media worker, and the
    capture went on until one was free. Now the capture ends when Stop is pressed."""
    ctx.settings.camera = "synthetic"
    ctx.settings.max_clip_seconds = 60
    wid, pid = _person(ctx)
    booth = _booth(qtbot, ctx, cameras=(CameraOption("Desk cam (0)", "0"),))
    booth.open_workshop(wid)
    booth.choose(pid)
    qtbot.waitUntil(lambda: booth.preview is not None and booth.stage.view._image is not None, timeout=5000)
    first = booth.sources
    booth.devices.choose_camera("synthetic")  # switch: the preview restarts on a fresh camera
    assert booth.sources is not first and booth.preview is not None
    release = threading.Event()
    for _ in range(2):  # both media workers busy (an import, a transcode, a device search…)
        run_task(booth, release.wait, 30, lane="media")
    try:
        assert booth.start_recording()
        qtbot.waitUntil(lambda: booth.take is not None and booth.take.elapsed >= 1.0, timeout=8000)
        at_stop = booth.take.elapsed  # type: ignore[union-attr]
        qtbot.mouseClick(booth.stage.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: booth.state == "review", timeout=5000)  # the lane is still busy
        assert booth.result.seconds <= at_stop + 0.5, (booth.result.seconds, at_stop)
    finally:
        release.set()
    booth.shutdown()


def test_a_failure_of_the_preview_before_a_camera_switch_does_not_close_the_new_camera(
        qtbot: QtBot, ctx: Ripple) -> None:
    from media.errors import MediaError

    ctx.settings.camera = "synthetic"
    wid, pid = _person(ctx)
    booth = _booth(qtbot, ctx, cameras=(CameraOption("Desk cam (0)", "0"),))
    booth.open_workshop(wid)
    booth.choose(pid)
    old = booth.preview
    booth.devices.choose_camera("synthetic")
    new_sources = booth.sources
    assert booth.preview is not old and new_sources is not None
    # The old preview's failure, queued before the switch, arrives after it: old news.
    booth.bridge.sig_failed.emit(old, MediaError("The camera stopped sending pictures."))
    assert booth.sources is new_sources and new_sources.camera.is_open and booth.preview is not None
    assert "stopped" not in booth.stage.status.text()
    # The current preview's failure is said, and its camera let go.
    booth.bridge.sig_failed.emit(booth.preview, MediaError("The camera stopped sending pictures."))
    assert booth.sources is None and not new_sources.camera.is_open
    assert booth.stage.status.text() == "The camera stopped sending pictures."
    booth.shutdown()
