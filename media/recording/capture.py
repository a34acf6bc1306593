"""The capture thread of a recording: camera and microphone in, a bounded queue out.

Why its own thread: a webcam runs on its own clock and cannot wait, so this loop never
blocks on the encoder; with a live source a full queue drops the frame and counts it.
Sources that can wait (a file, the fast synthetic camera) are queued without loss.
"""

from __future__ import annotations

import contextlib
import logging
import queue
from collections.abc import Callable

import numpy as np

from media import clock
from media.audio import AudioChunk, AudioSource, rms_level
from media.callbacks import call_safely
from media.camera.base import CameraSource, Frame
from media.errors import MediaError
from media.recording.shared import Shared

__all__ = ["NO_FRAME_TIMEOUT_S", "Capture"]

log = logging.getLogger(__name__)

NO_FRAME_TIMEOUT_S = 5.0


class Capture:
    """Reads ``camera`` (and ``audio``) into ``video_q``/``audio_q`` until told to stop.

    ``on_preview(frame)`` and ``on_level(0..1)`` run on this thread. ``close_camera`` says
    the recorder opened the camera, so it closes it when the capture ends.
    """

    def __init__(
        self,
        camera: CameraSource,
        audio: AudioSource | None,
        shared: Shared,
        video_q: queue.Queue[Frame | None],
        audio_q: queue.Queue[AudioChunk],
        *,
        max_seconds: float,
        close_camera: bool,
        on_preview: Callable[[Frame], None] | None = None,
        on_level: Callable[[float], None] | None = None,
    ) -> None:
        self.camera = camera
        self.audio = audio
        self.shared = shared
        self.video_q = video_q
        self.audio_q = audio_q
        self.max_seconds = max_seconds
        self.close_camera = close_camera
        self.on_preview = on_preview
        self.on_level = on_level
        self.captured = 0
        self.dropped = 0
        self.elapsed = 0.0
        self.auto_stopped = False
        self._audio_until = float("-inf")

    def run(self) -> None:
        """The thread's body: never raises; a fault is recorded in ``shared`` and ends it."""
        camera = self.camera
        shared = self.shared
        period = 1.0 / camera.fps if camera.fps > 0 else 1.0 / 30.0
        last_frame_at = clock.now()
        try:
            while not shared.stop.is_set():
                frame = camera.read()
                if frame is None:
                    if not camera.live:
                        break  # a file source ended: a normal end
                    if clock.now() - last_frame_at > NO_FRAME_TIMEOUT_S:
                        raise MediaError("The camera stopped sending pictures.")
                    shared.stop.wait(min(0.005, period / 4))
                    continue
                last_frame_at = clock.now()
                if shared.t0 is None:
                    shared.t0 = frame.pts
                media_t = frame.pts - shared.t0
                if media_t > self.max_seconds - 0.5 * period:  # its display would overrun
                    self.auto_stopped = True
                    break
                self.captured += 1
                self.elapsed = media_t
                self._enqueue(frame)
                call_safely(self.on_preview, frame)
                self._pump_audio(frame.pts + period)
            self._pump_audio(None)
        except MediaError as exc:
            shared.fail(str(exc))
        except Exception:
            log.exception("capture failed")
            shared.fail("The camera failed unexpectedly, so the recording stopped.")
        finally:
            self.release()
            self._put_end()

    def release(self) -> None:
        """Stop the microphone and close the camera if the recorder opened it."""
        if self.audio is not None:
            with contextlib.suppress(Exception):
                self.audio.stop()
        if self.close_camera:
            with contextlib.suppress(Exception):
                self.camera.close()

    def _enqueue(self, frame: Frame) -> None:
        if self.camera.live:
            try:
                self.video_q.put_nowait(frame)
            except queue.Full:
                self.dropped += 1
            return
        while not self.shared.stop.is_set():  # a file/synthetic source can wait
            try:
                self.video_q.put(frame, timeout=0.1)
                return
            except queue.Full:
                continue

    def _pump_audio(self, up_to: float | None) -> None:
        """Move captured audio to the encoder; non-live sources are read up to ``up_to``."""
        audio = self.audio
        if audio is None or self.shared.t0 is None:
            return
        chunks: list[AudioChunk] = []
        try:
            for _ in range(1000):  # bounded: a chatty source must not starve the camera
                if not audio.live and (up_to is None or self._audio_until >= up_to):
                    break
                chunk = audio.read()
                if chunk is None:
                    break
                self._audio_until = chunk.pts + chunk.duration
                self.audio_q.put(chunk)
                chunks.append(chunk)
        except MediaError as exc:
            self.shared.warnings.append(f"{exc} The rest of this clip is silent.")
            with contextlib.suppress(Exception):
                audio.stop()
            self.audio = None
        if chunks and self.on_level is not None:
            samples = (
                chunks[0].samples
                if len(chunks) == 1
                else np.concatenate([c.samples for c in chunks])
            )
            call_safely(self.on_level, rms_level(samples))

    def _put_end(self) -> None:
        """Queue the end marker, unless the encoder is already gone."""
        while True:
            try:
                self.video_q.put(None, timeout=0.1)
                return
            except queue.Full:
                if self.shared.finished.is_set() or self.shared.abandon.is_set():
                    return
