"""Records a camera (and optionally a microphone) to a crash-safe H.264 + AAC MP4.

Architecture (why): capture must never wait for the encoder, or a webcam's driver starts
dropping frames unpredictably. So a *capture thread* reads camera and audio, stamps
nothing itself (sources stamp on the shared media clock) and hands frames to a bounded
queue; an *encoder thread* drains it into ``ClipEncoder``. When the queue is full the
capture thread drops the frame and counts it, so drops are visible instead of silent.

Crash safety (why): the file is a fragmented MP4 written straight to ``out_path`` with a
keyframe and fragment about every second and an fsync about every second, so a crash,
SIGKILL or power cut leaves a playable file missing at most the last second or two.
Faults (camera lost, disk full, encoder error) stop the recording, keep what was
recorded, and are reported in ``RecordingResult.error``; the threads never raise.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import queue
import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

from media import _mp4, clock
from media.audio import AudioChunk, AudioSource, rms_level
from media.camera.base import CameraSource, Frame
from media.encoder import ClipEncoder
from media.errors import MediaError

__all__ = ["Recorder", "RecordingResult", "salvage"]

log = logging.getLogger(__name__)

NO_FRAME_TIMEOUT_S = 5.0
FSYNC_INTERVAL_S = 1.0
NO_MICROPHONE_WARNING = "No microphone found: this clip has no sound."


@dataclass(frozen=True, slots=True)
class RecordingResult:
    """What a recording produced. ``error`` is set (one sentence) when a fault ended it.

    ``av_offset_*_ms``: how far the sound is from the picture, measured against the shared
    clock over the first and last second; positive means the sound comes early (EBU R37
    sign). ``None`` without sound.
    """

    path: Path
    seconds: float
    frames_captured: int
    frames_encoded: int
    frames_dropped: int
    has_audio: bool
    av_offset_start_ms: float | None
    av_offset_end_ms: float | None
    error: str | None = None
    warning: str | None = None
    auto_stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when the recording ended normally (stop, time limit or end of a file source)."""
        return self.error is None

    @property
    def dropped_percent(self) -> float:
        """Dropped frames as a percentage of captured frames."""
        return 100.0 * self.frames_dropped / self.frames_captured if self.frames_captured else 0.0


class _DurableFile(io.RawIOBase):
    """The output file as PyAV sees it: complete writes, and an fsync about once a second.

    Why: fragments only survive a power cut once they are on the disk, not in the page
    cache; syncing once a second bounds the loss without stalling the encoder on every
    write.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._fh = open(path, "wb", buffering=0)  # noqa: SIM115 - closed in close()
        self._last_sync = clock.now()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = self._fh.write(view[done:])
            if not written:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            done += written
        now = clock.now()
        if now - self._last_sync >= FSYNC_INTERVAL_S:
            self._last_sync = now
            os.fsync(self._fh.fileno())
        return done

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def close(self) -> None:
        if not self._fh.closed:
            try:
                with contextlib.suppress(OSError):
                    os.fsync(self._fh.fileno())
            finally:
                self._fh.close()
        super().close()


def _open_output(path: Path) -> BinaryIO:
    """Open the recording's output file (a seam tests use to simulate a full disk)."""
    return _DurableFile(path)  # type: ignore[return-value]


def _write_error_sentence(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "The disk is full, so the recording stopped; the part recorded so far was kept."
    reason = exc.strerror or "write error"
    return (
        f"Ripple could not write the clip to disk ({reason.lower()}), so the recording "
        "stopped; the part recorded so far was kept."
    )


def salvage(path: str | os.PathLike[str]) -> bool:
    """Tidy a recording left by a crash: cut a half-written last fragment; True if frames remain.

    Optional (players already cope with the ragged end); useful when the app restarts and
    finds a recording it did not finish.
    """
    _mp4.trim_incomplete_tail(path)
    return _mp4.count_fragments(path) > 0


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
        self._opened_camera = False
        self._stop_event = threading.Event()
        self._abandon = threading.Event()
        self._finished = threading.Event()
        self._video_q: queue.Queue[Frame | None] = queue.Queue(maxsize=1)
        self._audio_q: queue.Queue[AudioChunk] = queue.Queue()
        self._capture_thread: threading.Thread | None = None
        self._encode_thread: threading.Thread | None = None
        self._encoder: ClipEncoder | None = None
        self._output: BinaryIO | None = None
        self._t0: float | None = None
        self._elapsed = 0.0
        self._captured = 0
        self._dropped = 0
        self._audio_until = float("-inf")
        self._offsets: list[tuple[float, float]] = []
        self._warnings: list[str] = []
        self._error: str | None = None
        self._auto_stopped = False
        self._result: RecordingResult | None = None
        self._lock = threading.Lock()

    # -- public ------------------------------------------------------------------------

    @property
    def elapsed(self) -> float:
        """Seconds recorded so far (media time of the latest captured frame)."""
        return self._elapsed

    @property
    def is_recording(self) -> bool:
        """True between ``start()`` and the moment the file is closed."""
        return self._started and not self._finished.is_set()

    @property
    def frames_captured(self) -> int:
        """Frames read from the camera so far."""
        return self._captured

    @property
    def frames_dropped(self) -> int:
        """Frames dropped so far because the encoder fell behind."""
        return self._dropped

    def start(self) -> None:
        """Open camera, microphone and output, then start the capture and encoder threads."""
        if self._started:
            raise RuntimeError("a Recorder records once; create a new one")
        try:
            self.out_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MediaError(
                f"The folder for the clip “{self.out_path.parent}” cannot be created ({(exc.strerror or 'error').lower()})."
            ) from None
        if not self.camera.is_open:
            self.camera.open()
            self._opened_camera = True
        audio = self.audio
        if audio is None:
            self._warnings.append(NO_MICROPHONE_WARNING)
        else:
            try:
                audio.start()
            except MediaError as exc:
                self._warnings.append(f"{exc} This clip has no sound.")
                audio = None
        self.audio = audio
        try:
            self._output = _open_output(self.out_path)
        except OSError as exc:
            self._release_sources()
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
                raise MediaError("The disk is full: there is no room to record a clip.") from None
            raise MediaError(
                f"The clip cannot be written to “{self.out_path}” ({(exc.strerror or 'error').lower()})."
            ) from None
        width = self.camera.width - self.camera.width % 2
        height = self.camera.height - self.camera.height % 2
        try:
            self._encoder = ClipEncoder(
                self._output,
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
            self._output.close()
            with contextlib.suppress(OSError):
                self.out_path.unlink()
            self._release_sources()
            raise MediaError(
                "The video encoder could not be started for this camera's picture size."
            ) from None
        self._video_q = queue.Queue(maxsize=max(2, round(self.camera.fps * self.queue_seconds)))
        self._started = True
        self._capture_thread = threading.Thread(
            target=self._capture_loop, name="ripple-capture", daemon=True
        )
        self._encode_thread = threading.Thread(
            target=self._encode_loop, name="ripple-encode", daemon=True
        )
        self._encode_thread.start()
        self._capture_thread.start()

    def stop(self, timeout: float = 10.0) -> RecordingResult:
        """Stop now, finish the file and return the result (idempotent)."""
        if not self._started:
            raise RuntimeError("the recorder was not started")
        self._stop_event.set()
        if self._capture_thread is not None:
            self._capture_thread.join(timeout=max(2.0, 3.0 / max(self.camera.fps, 1.0)))
            if self._capture_thread.is_alive():
                # The camera is stuck in a read: finish the file without it.
                self._abandon.set()
        result = self.wait(timeout)
        if result is None:
            return self._provisional_result(
                "The recording did not finish in time; the part recorded so far was kept."
            )
        return result

    def wait(self, timeout: float | None = None) -> RecordingResult | None:
        """Block until the recording ends by itself (limit, fault) or is stopped."""
        if not self._started:
            raise RuntimeError("the recorder was not started")
        if not self._finished.wait(timeout):
            return None
        return self._result

    # -- capture thread ------------------------------------------------------------------

    def _capture_loop(self) -> None:
        camera = self.camera
        period = 1.0 / camera.fps if camera.fps > 0 else 1.0 / 30.0
        last_frame_at = clock.now()
        try:
            while not self._stop_event.is_set():
                frame = camera.read()
                if frame is None:
                    if not camera.live:
                        break  # a file source ended: a normal end
                    if clock.now() - last_frame_at > NO_FRAME_TIMEOUT_S:
                        raise MediaError("The camera stopped sending pictures.")
                    self._stop_event.wait(min(0.005, period / 4))
                    continue
                last_frame_at = clock.now()
                if self._t0 is None:
                    self._t0 = frame.pts
                media_t = frame.pts - self._t0
                if media_t > self.max_seconds - 0.5 * period:  # its display would overrun
                    self._auto_stopped = True
                    break
                self._captured += 1
                self._elapsed = media_t
                self._enqueue(frame)
                self._call(self.on_preview, frame)
                self._pump_audio(frame.pts + period)
            self._pump_audio(None)
        except MediaError as exc:
            self._set_error(str(exc))
        except Exception:
            log.exception("capture failed")
            self._set_error("The camera failed unexpectedly, so the recording stopped.")
        finally:
            self._release_sources()
            self._put_end()

    def _enqueue(self, frame: Frame) -> None:
        if self.camera.live:
            try:
                self._video_q.put_nowait(frame)
            except queue.Full:
                self._dropped += 1
            return
        while not self._stop_event.is_set():  # a file/synthetic source can wait
            try:
                self._video_q.put(frame, timeout=0.1)
                return
            except queue.Full:
                continue

    def _pump_audio(self, up_to: float | None) -> None:
        """Move captured audio to the encoder; non-live sources are read up to ``up_to``."""
        audio = self.audio
        if audio is None or self._t0 is None:
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
                self._audio_q.put(chunk)
                chunks.append(chunk)
        except MediaError as exc:
            self._warnings.append(f"{exc} The rest of this clip is silent.")
            with contextlib.suppress(Exception):
                audio.stop()
            self.audio = None
        if chunks and self.on_level is not None:
            samples = (
                chunks[0].samples
                if len(chunks) == 1
                else np.concatenate([c.samples for c in chunks])
            )
            self._call(self.on_level, rms_level(samples))

    def _put_end(self) -> None:
        while True:
            try:
                self._video_q.put(None, timeout=0.1)
                return
            except queue.Full:
                if self._finished.is_set() or self._abandon.is_set():
                    return

    def _release_sources(self) -> None:
        if self.audio is not None:
            with contextlib.suppress(Exception):
                self.audio.stop()
        if self._opened_camera:
            with contextlib.suppress(Exception):
                self.camera.close()

    # -- encoder thread ------------------------------------------------------------------

    def _encode_loop(self) -> None:
        encoder = self._encoder
        assert encoder is not None
        clean = False
        try:
            while True:
                try:
                    frame = self._video_q.get(timeout=0.1)
                except queue.Empty:
                    self._feed_audio(encoder)
                    if self._abandon.is_set():
                        break
                    continue
                self._feed_audio(encoder)
                if frame is None:
                    break
                assert self._t0 is not None
                image = frame.image
                if image.shape[0] != encoder.height or image.shape[1] != encoder.width:
                    image = image[: encoder.height, : encoder.width]
                encoder.add_rgb(image, frame.pts - self._t0)
            self._feed_audio(encoder)
            end = None
            if encoder.last_video_time is not None:
                end = encoder.last_video_time + 1.0 / encoder.fps
            encoder.finish(end)
            clean = True
        except OSError as exc:
            log.warning("recording write failed: %s", exc)
            self._set_error(_write_error_sentence(exc))
        except Exception:
            log.exception("encoding failed")
            self._set_error(
                "The video encoder failed, so the recording stopped; the part recorded so far was kept."
            )
        finally:
            self._stop_event.set()
            if not clean:
                encoder.abort()
            if self._output is not None:
                with contextlib.suppress(Exception):
                    self._output.close()
            self._finish(clean)

    def _feed_audio(self, encoder: ClipEncoder) -> None:
        if not encoder.has_audio or self._t0 is None:
            return
        while True:
            try:
                chunk = self._audio_q.get_nowait()
            except queue.Empty:
                return
            at = chunk.pts - self._t0
            placed = encoder.add_audio(chunk.samples, chunk.sample_rate, at)
            if at + chunk.duration > 0:
                self._offsets.append((at, at - placed))

    def _finish(self, clean: bool) -> None:
        encoder = self._encoder
        assert encoder is not None
        seconds = 0.0
        if clean:
            if encoder.last_video_time is not None:
                seconds = encoder.last_video_time + 1.0 / encoder.fps
        else:
            _mp4.trim_incomplete_tail(self.out_path)
            if _mp4.count_fragments(self.out_path) == 0:
                with contextlib.suppress(OSError):
                    self.out_path.unlink()
                self._set_error(
                    (self._error or "The recording failed.").split(";")[0].rstrip(".")
                    + "; nothing could be saved.",
                    force=True,
                )
            else:
                seconds = self._playable_seconds()
        self._result = self._build_result(seconds, encoder)
        self._finished.set()
        self._call(self.on_finished, self._result)

    def _playable_seconds(self) -> float:
        from media.probe import probe  # local: probe is only needed after a fault

        try:
            return probe(self.out_path).duration_s
        except MediaError:
            return 0.0

    def _build_result(self, seconds: float, encoder: ClipEncoder) -> RecordingResult:
        start_ms, end_ms = self._offset_summary()
        return RecordingResult(
            path=self.out_path,
            seconds=round(seconds, 3),
            frames_captured=self._captured,
            frames_encoded=encoder.frames_encoded,
            frames_dropped=self._dropped,
            has_audio=encoder.has_audio,
            av_offset_start_ms=start_ms,
            av_offset_end_ms=end_ms,
            error=self._error,
            warning=" ".join(dict.fromkeys(self._warnings)) or None,
            auto_stopped=self._auto_stopped,
        )

    def _provisional_result(self, error: str) -> RecordingResult:
        encoder = self._encoder
        assert encoder is not None
        start_ms, end_ms = self._offset_summary()
        return RecordingResult(
            path=self.out_path,
            seconds=round(self._elapsed, 3),
            frames_captured=self._captured,
            frames_encoded=encoder.frames_encoded,
            frames_dropped=self._dropped,
            has_audio=encoder.has_audio,
            av_offset_start_ms=start_ms,
            av_offset_end_ms=end_ms,
            error=self._error or error,
            warning=" ".join(dict.fromkeys(self._warnings)) or None,
            auto_stopped=self._auto_stopped,
        )

    def _offset_summary(self) -> tuple[float | None, float | None]:
        offsets = list(self._offsets)
        if not offsets:
            return None, None
        first_t, last_t = offsets[0][0], offsets[-1][0]
        start = [o for t, o in offsets if t <= first_t + 1.0]
        end = [o for t, o in offsets if t >= last_t - 1.0]
        return (
            round(statistics.median(start) * 1000.0, 1) + 0.0,  # + 0.0: no "-0.0"
            round(statistics.median(end) * 1000.0, 1) + 0.0,
        )

    # -- helpers -------------------------------------------------------------------------

    def _set_error(self, sentence: str, force: bool = False) -> None:
        with self._lock:
            if self._error is None or force:
                self._error = sentence
        self._stop_event.set()

    @staticmethod
    def _call(callback: Callable[..., None] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.exception("recorder callback failed")
