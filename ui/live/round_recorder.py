"""Recording one role-play round at a time with the booth's camera, and its markers.

The consent gate is ``app.roleplay.recording.RoundRecording``'s (everyone who plays agreed to
video); the camera and microphone are the booth's choice (``app.clips.devices``). Stopping
and keeping run as media-lane tasks, so the console never waits for the encoder; a marker is
one append on the UI thread (on disk when :meth:`RoundRecorder.mark` returns).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from app.clips.devices import Sources, open_sources
from app.context import Ripple
from app.errors import USER_ERRORS
from app.roleplay.recording import RoundRecording
from app.roleplay.views import MarkerView, RoundView
from ui.changes import CLIPS, CONTRIBUTIONS, Changes
from ui.live.round_card import RecordingBridge, frame_image
from ui.tasks import describe, run_task


class RoundRecorder(QObject):
    """``take`` and ``round`` are set while a round records (and ``round`` until it is kept)."""

    sig_error = Signal(str)
    """(text: str) — the recording could not start, failed or could not be kept."""
    sig_frame = Signal(QImage)
    """(image: QImage) — the recording's latest picture, for the card's preview."""
    sig_kept = Signal(object, object, int)
    """(clip: ClipView, round: RoundView, markers: int) — the recording is the round's clip now."""
    sig_ended = Signal()
    """() — the recording ended without a clip (it could not be kept)."""

    def __init__(self, ctx: Ripple, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.take: RoundRecording | None = None
        self.round: RoundView | None = None
        self.markers: list[MarkerView] = []
        self.stopping = False
        self._workshop: uuid.UUID | None = None
        self._sources: Sources | None = None
        self.bridge = RecordingBridge()
        self.bridge.sig_frame.connect(self.sig_frame)
        self.bridge.sig_finished.connect(self._finished)

    def start(self, rnd: RoundView, workshop_id: uuid.UUID | None) -> bool:
        """Record ``rnd`` (the consent gate first); False, with a sentence, when it cannot."""
        if self.round is not None:
            self.sig_error.emit("Another round is being recorded; stop it first (the laptop has one camera).")
            return False
        try:
            self._sources = open_sources(self.ctx.settings)
            bridge = self.bridge
            take = RoundRecording(
                self.ctx.store, self.ctx.clips, rnd.id, camera=self._sources.camera, audio=self._sources.audio,
                on_preview=lambda f: bridge.offer_frame(frame_image(f.image)),
                on_finished=bridge.sig_finished.emit)
            take.start()
        except USER_ERRORS as exc:
            self._close_sources()
            self.sig_error.emit(str(exc))
            return False
        self.take, self.round, self.markers, self.stopping, self._workshop = take, rnd, [], False, workshop_id
        return True

    def mark(self, key: str, *, shift: bool) -> MarkerView | None:
        """A marker at the recording's offset (``1``–``9`` a criterion, ``m`` a bookmark)."""
        if self.take is None or self.stopping:
            return None
        try:
            marker = self.take.mark(key, shift=shift)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return None
        self.markers.append(marker)
        return marker

    def stop(self) -> None:
        take = self.take
        if take is None or self.stopping:
            return
        self.stopping = True
        run_task(self, take.stop, lane="media", on_success=self._finished,
                 on_failure=lambda exc: self.sig_error.emit(describe(exc)))

    def _finished(self, result: Any) -> None:
        """Stopped (here, or by the recorder's limit or a fault): keep it as the round's clip."""
        take, rnd = self.take, self.round
        if take is None or rnd is None:
            return
        self.take = None
        self._close_sources()
        if result.error:
            self.sig_error.emit(f"{result.error} What was recorded until then is kept.")
        marks = len(self.markers)
        run_task(self, take.keep, lane="media",
                 on_success=lambda view: self._kept(view, rnd, marks), on_failure=self._not_kept,
                 changes=Changes.of(CLIPS, CONTRIBUTIONS, workshop=self._workshop))

    def _kept(self, view: Any, rnd: RoundView, marks: int) -> None:
        self.round, self.stopping = None, False
        self.sig_kept.emit(view, rnd, marks)

    def _not_kept(self, exc: BaseException) -> None:
        self.round, self.stopping = None, False
        self.sig_error.emit(describe(exc))
        self.sig_ended.emit()

    def _close_sources(self) -> None:
        if self._sources is not None:
            self._sources.close()
            self._sources = None

    def close(self) -> None:
        """The window closes: a recording still running is stopped and kept as the round's."""
        take, self.take = self.take, None
        if take is not None and not self.stopping:
            take.stop()
            try:
                take.keep()
            except USER_ERRORS as exc:  # left in incoming/: the next start offers it back
                self.sig_error.emit(str(exc))
        self.round = None
        self._close_sources()
