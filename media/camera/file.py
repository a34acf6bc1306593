"""A video file posing as a camera: upright, paced in real time, looping.

Why: a demo or a test can "record" a known clip, and a trainer without a webcam can still
try the flow.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from media import clock
from media.camera.base import CameraSource, Frame, even
from media.errors import MediaError
from media.probe import rotation_of, turn_upright

__all__ = ["FileCamera"]


class FileCamera(CameraSource):
    """Plays a video file as if it were a camera: upright, paced in real time, looping.

    Why: a demo or a test can "record" a known clip, and a trainer without a webcam can
    still try the flow. With ``width`` and ``height`` set, pictures are scaled to fit and
    letterboxed to exactly that size, as a webcam mode would deliver; otherwise they keep
    the file's upright size.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        loop: bool = True,
        width: int | None = None,
        height: int | None = None,
        *,
        realtime: bool = True,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.loop = loop
        self.realtime = realtime
        self.live = realtime
        self.name = self.path.name
        self._want = (
            (even(width), even(height)) if width is not None and height is not None else None
        )
        self._container: av.container.InputContainer | None = None
        self._stream: av.VideoStream | None = None
        self._frames: Iterator[av.VideoFrame] | None = None
        self._rotation = 0
        self._fit: tuple[int, int] = (0, 0)
        self._canvas: np.ndarray | None = None
        self._start = 0.0
        self._loop_offset = 0.0
        self._first_time: float | None = None
        self._last_media_t = 0.0
        self._decoded = 0
        self._pending: av.VideoFrame | None = None

    def _broken(self) -> MediaError:
        return MediaError(
            f"The video file “{self.path.name}” cannot be played: it is damaged or not a video."
        )

    def _open_container(self) -> None:
        try:
            container = av.open(str(self.path))
        except FileNotFoundError:
            raise MediaError(f"The video file “{self.path}” does not exist.") from None
        except (av.FFmpegError, OSError, UnicodeDecodeError):
            raise self._broken() from None
        if not container.streams.video:
            container.close()
            raise MediaError(f"The file “{self.path.name}” has no pictures in it.")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        self._container = container
        self._stream = stream
        self._frames = iter(container.decode(stream))

    def _next_decoded(self) -> av.VideoFrame | None:
        assert self._frames is not None
        try:
            return next(self._frames)
        except StopIteration:
            return None
        except (av.FFmpegError, OSError):
            if self._decoded == 0:
                raise self._broken() from None
            return None  # a truncated tail ends the file, like a normal end

    def _open(self) -> None:
        self._open_container()
        first = self._next_decoded()
        if first is None:
            self._close()
            raise self._broken()
        assert self._stream is not None
        self._rotation = rotation_of(first, self._stream)
        rate = self._stream.average_rate or self._stream.guessed_rate or Fraction(30)
        self.fps = float(rate) if 1 <= float(rate) <= 240 else 30.0
        src_w, src_h = first.width, first.height
        up_w, up_h = (src_h, src_w) if self._rotation in (90, 270) else (src_w, src_h)
        if self._want is None:
            self.width, self.height = even(up_w), even(up_h)
            self._fit = (self.width, self.height)
            self._canvas = None
        else:
            self.width, self.height = self._want
            scale = min(self.width / up_w, self.height / up_h)
            self._fit = (
                min(self.width, even(up_w * scale)),
                min(self.height, even(up_h * scale)),
            )
            self._canvas = np.zeros((self.height, self.width, 3), dtype=np.uint8)
        self._pending = first
        self._start = clock.now()
        self._loop_offset = 0.0
        self._first_time = None
        self._last_media_t = 0.0

    def _close(self) -> None:
        if self._container is not None:
            with contextlib.suppress(Exception):
                self._container.close()
        self._container = None
        self._stream = None
        self._frames = None
        self._pending = None

    def _picture(self, vf: av.VideoFrame) -> np.ndarray:
        fit_w, fit_h = self._fit
        stored_w, stored_h = (fit_h, fit_w) if self._rotation in (90, 270) else (fit_w, fit_h)
        rgb = vf.reformat(width=stored_w, height=stored_h, format="rgb24").to_ndarray()
        rgb = turn_upright(rgb, self._rotation)
        if self._canvas is None:
            return np.ascontiguousarray(rgb)
        image = self._canvas.copy()
        y0 = (self.height - rgb.shape[0]) // 2
        x0 = (self.width - rgb.shape[1]) // 2
        image[y0 : y0 + rgb.shape[0], x0 : x0 + rgb.shape[1]] = rgb
        return image

    def read(self) -> Frame | None:
        """Next picture of the file, due at its own timestamp; ``None`` at the end (no loop)."""
        if not self._is_open:
            raise MediaError(f"The video file “{self.path.name}” is not open.")
        vf = self._pending
        self._pending = None
        if vf is None:
            vf = self._next_decoded()
        if vf is None:
            if not self.loop or self._decoded == 0:
                return None
            self._loop_offset = self._last_media_t + 1.0 / self.fps
            self._first_time = None
            self._close_container_only()
            self._open_container()
            vf = self._next_decoded()
            if vf is None:
                return None
        self._decoded += 1
        t = vf.time
        if t is None:
            t = self._decoded / self.fps
        if self._first_time is None:
            self._first_time = t
        media_t = self._loop_offset + max(0.0, t - self._first_time)
        media_t = max(media_t, self._last_media_t + 1e-4) if self._decoded > 1 else media_t
        self._last_media_t = media_t
        pts = self._start + media_t
        if self.realtime:
            late = clock.now() - pts
            if late > 0.25:
                # The reader stalled: re-anchor rather than fire a burst of stale frames.
                self._start += late
                pts += late
            clock.sleep_until(pts)
        return Frame(self._picture(vf), pts)

    def _close_container_only(self) -> None:
        if self._container is not None:
            with contextlib.suppress(Exception):
                self._container.close()
        self._container = None
        self._frames = None
