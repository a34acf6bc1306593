"""The live round recorder brings the camera's pictures to the UI thread the booth's way (the
kit's frame mailbox): when the UI thread falls behind, only the newest picture waits, so a tap
on Stop is handled next instead of after every frame queued before it (the booth's take that
ran on 10 s after Stop)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.context import Ripple
from tests.helpers.roleplay import triad
from ui.kit.frames import FrameMailbox
from ui.live.round_recorder import RoundRecorder


def test_a_slow_ui_thread_has_one_picture_waiting_and_stop_is_handled_next(qtbot: QtBot, ctx: Ripple) -> None:
    ctx.settings.camera = "synthetic"
    t = triad(ctx.store)
    recorder = RoundRecorder(ctx)
    assert isinstance(recorder.bridge, FrameMailbox)
    shown: list[QImage] = []
    recorder.sig_frame.connect(shown.append)
    kept: list[float] = []
    recorder.sig_kept.connect(lambda clip, rnd, marks: kept.append(clip.seconds))

    offered = threading.Event()
    count = [0]
    offer = recorder.bridge.offer_frame

    def counting(image: QImage) -> None:  # the capture thread's calls, counted on their way in
        offer(image)
        count[0] += 1
        if count[0] >= 25:
            offered.set()

    recorder.bridge.offer_frame = counting  # type: ignore[method-assign]
    assert recorder.start(t.rounds[0], t.workshop)
    take = recorder.take
    assert take is not None
    # The UI thread is busy (no event loop) while the camera sends 25 pictures.
    assert offered.wait(20)
    assert recorder.bridge.pending() == 1 and shown == []
    at_stop = take.offset_s
    recorder.stop()  # the tap on Stop, handled with one picture (not 25) ahead of it
    QCoreApplication.processEvents()
    assert len(shown) <= 2  # the newest picture (and perhaps one sent since), never the backlog
    qtbot.waitUntil(lambda: recorder.round is None, timeout=20000)
    assert len(kept) == 1
    assert kept[0] <= at_stop + 1.5  # the take ended at Stop; it did not run on behind the frames
