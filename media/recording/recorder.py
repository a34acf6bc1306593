"""``Recorder``: opens camera, microphone and file, runs the capture and encoder threads, reports.

See the package docstring for why capture and encoding run on threads of their own and how
the file survives a crash. ``start()`` is the only call that raises (``MediaError`` for a
missing device or an unwritable folder); afterwards the outcome is the ``RecordingResult``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import av

from media.audio import AudioChunk, AudioSource
from media.callbacks import call_safely
from media.camera.base import CameraSource, Frame
from media.encoder import ClipEncoder
from media.errors import MediaError
from media.recording import output
from media.recording.capture import Capture
from media.recording.encoding import Encoding
from media.recording.result import RecordingResult, offset_summary
from media.recording.shared import Shared

__all__ = ["NO_MICROPHONE_WARNING", "Recorder"]

log = logging.getLogger(__name__)

NO_MICROPHONE_WARNING = "No microphone found: this clip has no sound."


class Recorder:
    """Records ``camera`` (+ ``audio`` if given) to ``out_path`` until ``stop()`` or ``max_seconds``.

    ``start()`` opens the camera if needed (raising ``MediaError`` for a missing device or
    an unwritable folder); from then on nothing raises: the outcome is the
    ``RecordingResult`` returned by ``stop()``/``wait()`` and passed to ``on_finished``.

    Callbacks run on the recorder's threads, not the GUI thread: ``on_preview(frame)`` and
    ``on_level(0..1)`` on the capture thread (keep them quick; marshal to the GUI with a
    queued signal), ``on_finished(result)`` on the encoder thread once the file is closed.
    """

    def __init__(
        self,
        camera: CameraSource,
        audio: AudioSource | None,
        out_path: str | os.PathLike[str],
        *,
        max_seconds: float = 90.0,
        on_preview: Callable[[Frame], None] | None = None,
        on_level: Callable[[float], None] | None = None,
        on_finished: Callable[[RecordingResult], None] | None = None,
        preset: str = "veryfast",
        crf: int = 23,
        queue_seconds: float = 1.0,
    ) -> None:
        self.camera = camera
        self.audio = audio
        self.out_path = Path(out_path)
        self.max_seconds = float(max_seconds)
        self.on_preview = on_preview
        self.on_level = on_level
        self.on_finished = on_finished
        self.preset = preset
        self.crf = int(crf)
        self.queue_seconds = float(queue_seconds)

        self._started = False
        self._shared = Shared()
        self._capture: Capture | None = None
        self._encoding: Encoding | None = None
        self._capture_thread: threading.Thread | None = None
        self._encode_thread: threading.Thread | None = None
        self._result: RecordingResult | None = None

    # -- public ------------------------------------------------------------------------

    @property
    def elapsed(self) -> float:
        """Seconds recorded so far (media time of the latest captured frame)."""
        return self._capture.elapsed if self._capture is not None else 0.0

    @property
    def is_recording(self) -> bool:
        """True between ``start()`` and the moment the file is closed."""
        return self._started and not self._shared.finished.is_set()

    @property
    def frames_captured(self) -> int:
        """Frames read from the camera so far."""
        return self._capture.captured if self._capture is not None else 0

    @property
    def frames_dropped(self) -> int:
        """Frames dropped so far because the encoder fell behind."""
        return self._capture.dropped if self._capture is not None else 0

    def start(self) -> None:
        """Open camera, microphone and output, then start the capture and encoder threads."""
        if self._started:
            raise RuntimeError("a Recorder records once; create a new one")
        capture = self._open_sources()
        out = self._open_file(capture)
        encoder = self._open_encoder(capture, out)
        self._capture = capture
        self._encoding = Encoding(encoder, out, self._shared, capture.video_q, capture.audio_q)
        self._started = True
        self._capture_thread = threading.Thread(
            target=capture.run, name="ripple-capture", daemon=True
        )
        self._encode_thread = threading.Thread(
            target=self._encode_and_finish, name="ripple-encode", daemon=True
        )
        self._encode_thread.start()
        self._capture_thread.start()

    def request_stop(self) -> None:
        """End the take at this moment without waiting for the file (``stop()`` then finishes it).

        Why: ``stop()`` blocks, so a UI runs it on a worker; if that worker is busy, the
        capture would go on until it is free (a Stop at 10 s gave a 23 s take). This call
        only raises the flag the capture thread checks before each frame: cheap and safe on
        any thread, and idempotent.
        """
        self._shared.stop.set()

    def stop(self, timeout: float = 10.0) -> RecordingResult:
        """Stop now, finish the file and return the result (idempotent)."""
        if not self._started:
            raise RuntimeError("the recorder was not started")
        self._shared.stop.set()
        if self._capture_thread is not None:
            self._capture_thread.join(timeout=max(2.0, 3.0 / max(self.camera.fps, 1.0)))
            if self._capture_thread.is_alive():
                # The camera is stuck in a read: finish the file without it.
                self._shared.abandon.set()
        result = self.wait(timeout)
        if result is None:
            return self._result_now(
                round(self.elapsed, 3),
                "The recording did not finish in time; the part recorded so far was kept.",
            )
        return result

    def wait(self, timeout: float | None = None) -> RecordingResult | None:
        """Block until the recording ends by itself (limit, fault) or is stopped."""
        if not self._started:
            raise RuntimeError("the recorder was not started")
        if not self._shared.finished.wait(timeout):
            return None
        return self._result

    # -- start ---------------------------------------------------------------------------

    def _open_sources(self) -> Capture:
        """The folder, the camera (if not open yet) and the microphone (lost → a warning)."""
        try:
            self.out_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MediaError(
                f"The folder for the clip “{self.out_path.parent}” cannot be created ({(exc.strerror or 'error').lower()})."
            ) from None
        opened_camera = False
        if not self.camera.is_open:
            self.camera.open()
            opened_camera = True
        audio = self.audio
        if audio is None:
            self._shared.warnings.append(NO_MICROPHONE_WARNING)
        else:
            try:
                audio.start()
            except MediaError as exc:
                self._shared.warnings.append(f"{exc} This clip has no sound.")
                audio = None
        self.audio = audio
        video_q: queue.Queue[Frame | None] = queue.Queue(
            maxsize=max(2, round(self.camera.fps * self.queue_seconds))
        )
        audio_q: queue.Queue[AudioChunk] = queue.Queue()
        return Capture(
            self.camera,
            audio,
            self._shared,
            video_q,
            audio_q,
            max_seconds=self.max_seconds,
            close_camera=opened_camera,
            on_preview=self.on_preview,
            on_level=self.on_level,
        )

    def _open_file(self, capture: Capture) -> BinaryIO:
        try:
            return output.open_output(self.out_path)
        except OSError as exc:
            capture.release()
            if output.is_disk_full(exc):
                raise MediaError("The disk is full: there is no room to record a clip.") from None
            raise MediaError(
                f"The clip cannot be written to “{self.out_path}” ({(exc.strerror or 'error').lower()})."
            ) from None

    def _open_encoder(self, capture: Capture, out: BinaryIO) -> ClipEncoder:
        audio = capture.audio
        width = self.camera.width - self.camera.width % 2
        height = self.camera.height - self.camera.height % 2
        try:
            return ClipEncoder(
                out,
                width,
                height,
                self.camera.fps,
                sample_rate=audio.sample_rate if audio else None,
                channels=audio.channels if audio else 1,
                fragmented=True,
                preset=self.preset,
                crf=self.crf,
                matrix="bt601",  # the fast RGB→YUV path: capture must stay light on 2 cores
            )
        except (av.FFmpegError, ValueError, OSError):
            log.exception("could not set up the encoder")
            out.close()
            with contextlib.suppress(OSError):
                self.out_path.unlink()
            capture.release()
            raise MediaError(
                "The video encoder could not be started for this camera's picture size."
            ) from None

    # -- finish (on the encoder thread) ------------------------------------------------

    def _encode_and_finish(self) -> None:
        assert self._encoding is not None
        clean = False
        try:
            clean = self._encoding.run()
        finally:
            self._finish(clean)

    def _finish(self, clean: bool) -> None:
        encoder = self._encoding.encoder if self._encoding is not None else None
        assert encoder is not None
        seconds = 0.0
        if clean:
            if encoder.last_video_time is not None:
                seconds = encoder.last_video_time + 1.0 / encoder.fps
        elif output.salvage(self.out_path):
            seconds = self._playable_seconds()
        else:
            with contextlib.suppress(OSError):
                self.out_path.unlink()
            self._shared.fail(
                (self._shared.error or "The recording failed.").split(";")[0].rstrip(".")
                + "; nothing could be saved.",
                force=True,
            )
        self._result = self._result_now(round(seconds, 3))
        self._shared.finished.set()
        call_safely(self.on_finished, self._result)

    def _playable_seconds(self) -> float:
        from media.probe import probe  # local: probe is only needed after a fault

        try:
            return probe(self.out_path).duration_s
        except MediaError:
            return 0.0

    def _result_now(self, seconds: float, fallback_error: str | None = None) -> RecordingResult:
        """The result as things stand; ``fallback_error`` applies when no fault was recorded."""
        assert self._capture is not None and self._encoding is not None
        encoder = self._encoding.encoder
        start_ms, end_ms = offset_summary(list(self._encoding.offsets))
        return RecordingResult(
            path=self.out_path,
            seconds=seconds,
            frames_captured=self._capture.captured,
            frames_encoded=encoder.frames_encoded,
            frames_dropped=self._capture.dropped,
            has_audio=encoder.has_audio,
            av_offset_start_ms=start_ms,
            av_offset_end_ms=end_ms,
            error=self._shared.error or fallback_error,
            warning=self._shared.warning_text(),
            auto_stopped=self._capture.auto_stopped,
        )
