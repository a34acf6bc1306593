"""The encoder thread of a recording: drains the capture queue into ``ClipEncoder``.

It also places the sound against the picture and notes, for each run of samples, how far
the encoder had to move it (the A/V offsets the result reports).
"""

from __future__ import annotations

import contextlib
import logging
import queue
from typing import BinaryIO

from media.audio import AudioChunk
from media.camera.base import Frame
from media.encoder import ClipEncoder
from media.recording.output import write_error_sentence
from media.recording.shared import Shared

__all__ = ["Encoding"]

log = logging.getLogger(__name__)


class Encoding:
    """Encodes queued frames and sound until the end marker (``None``) or an abandon."""

    def __init__(
        self,
        encoder: ClipEncoder,
        output: BinaryIO,
        shared: Shared,
        video_q: queue.Queue[Frame | None],
        audio_q: queue.Queue[AudioChunk],
    ) -> None:
        self.encoder = encoder
        self.output = output
        self.shared = shared
        self.video_q = video_q
        self.audio_q = audio_q
        self.offsets: list[tuple[float, float]] = []

    def run(self) -> bool:
        """The thread's body: True when the file was finished cleanly; never raises a fault."""
        encoder = self.encoder
        clean = False
        try:
            while True:
                try:
                    frame = self.video_q.get(timeout=0.1)
                except queue.Empty:
                    self._feed_audio()
                    if self.shared.abandon.is_set():
                        break
                    continue
                self._feed_audio()
                if frame is None:
                    break
                self._add_frame(frame)
            self._feed_audio()
            end = None
            if encoder.last_video_time is not None:
                end = encoder.last_video_time + 1.0 / encoder.fps
            encoder.finish(end)
            clean = True
        except OSError as exc:
            log.warning("recording write failed: %s", exc)
            self.shared.fail(write_error_sentence(exc))
        except Exception:
            log.exception("encoding failed")
            self.shared.fail(
                "The video encoder failed, so the recording stopped; the part recorded so far was kept."
            )
        finally:
            self.shared.stop.set()
            if not clean:
                encoder.abort()
            with contextlib.suppress(Exception):
                self.output.close()
        return clean

    def _add_frame(self, frame: Frame) -> None:
        encoder = self.encoder
        assert self.shared.t0 is not None
        image = frame.image
        if image.shape[0] != encoder.height or image.shape[1] != encoder.width:
            image = image[: encoder.height, : encoder.width]
        encoder.add_rgb(image, frame.pts - self.shared.t0)

    def _feed_audio(self) -> None:
        t0 = self.shared.t0
        if not self.encoder.has_audio or t0 is None:
            return
        while True:
            try:
                chunk = self.audio_q.get_nowait()
            except queue.Empty:
                return
            at = chunk.pts - t0
            placed = self.encoder.add_audio(chunk.samples, chunk.sample_rate, at)
            if at + chunk.duration > 0:
                self.offsets.append((at, at - placed))
