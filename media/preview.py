"""The live picture before a take: a plain thread reading the camera and microphone, with callbacks.

Why a plain thread and not a Qt one: like the recorder, the preview is media work that
knows nothing of the UI; the booth passes callbacks and marshals them onto its own thread
(a queued signal). Pictures arrive as RGB numpy arrays already shrunk for showing, at most
``PREVIEW_FPS`` a second, sound as a 0..1 level for the meter, and a failure (camera
missing, unplugged) as the ``MediaError`` itself, once, after which the thread ends.

This module is the whole of ``media/`` that ``ui/`` may import (an import-linter contract
says so); ``shrink`` serves the recorder's preview frames during a take as well.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

import numpy as np

from media.audio import AudioSource, rms_level
from media.callbacks import call_safely
from media.camera.base import CameraSource
from media.errors import MediaError

__all__ = ["PREVIEW_FPS", "PREVIEW_WIDTH", "Preview", "shrink"]

log = logging.getLogger(__name__)

PREVIEW_FPS = 15.0  # plenty for a preview, and it leaves the laptop's cores to the recorder
PREVIEW_WIDTH = 640


def shrink(rgb: np.ndarray, max_width: int = PREVIEW_WIDTH) -> np.ndarray:
    """An RGB picture at most ``max_width`` wide (aspect kept), for showing, not for recording."""
    height, width = rgb.shape[:2]
    if width <= max_width:
        return rgb
    # Imported here: the booth imports this module at start-up, OpenCV is needed only for pictures.
    import cv2

    size = (max_width, round(height * max_width / width))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


class Preview:
    """Reads ``camera`` (and ``audio``) on a thread of its own between ``start()`` and ``stop()``.

    Callbacks run on the preview thread: ``on_frame(rgb)`` with a shrunk H×W×3 uint8 array,
    ``on_level(0..1)`` after each read of the microphone, ``on_error(exc)`` when the camera
    cannot be opened or stops. A microphone that cannot start leaves the preview silent.
    The camera is opened if it is not open yet and left open at the end, so the same
    camera can then be recorded; the microphone is stopped.
    """

    def __init__(
        self,
        camera: CameraSource,
        audio: AudioSource | None,
        *,
        on_frame: Callable[[np.ndarray], None],
        on_level: Callable[[float], None] | None = None,
        on_error: Callable[[MediaError], None] | None = None,
        max_fps: float = PREVIEW_FPS,
        max_width: int = PREVIEW_WIDTH,
    ) -> None:
        self.camera = camera
        self.audio = audio
        self.on_frame = on_frame
        self.on_level = on_level
        self.on_error = on_error
        self.max_fps = float(max_fps)
        self.max_width = int(max_width)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True from ``start()`` until the thread has ended (stopped or failed)."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the preview thread (once per ``Preview``)."""
        if self._thread is not None:
            raise RuntimeError("a Preview runs once; create a new one")
        self._thread = threading.Thread(target=self._run, name="ripple-preview", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the thread to end and wait for it (at most ``timeout`` seconds); safe to repeat."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        try:
            self._open()
            self._loop()
        except MediaError as exc:
            self._report(exc)
        except Exception:
            log.exception("camera preview failed")
            self._report(MediaError("The camera preview stopped unexpectedly."))
        finally:
            if self.audio is not None:
                with contextlib.suppress(Exception):
                    self.audio.stop()

    def _open(self) -> None:
        if not self.camera.is_open:
            self.camera.open()
        if self.audio is not None:
            try:
                self.audio.start()
            except MediaError:
                self.audio = None

    def _loop(self) -> None:
        period = 1.0 / self.max_fps
        shown = 0.0
        while not self._stop.is_set():
            frame = self.camera.read()
            if frame is None:
                self._stop.wait(0.005)
                continue
            if frame.pts - shown >= period:
                shown = frame.pts
                call_safely(self.on_frame, shrink(frame.image, self.max_width))
            if self.audio is not None:
                chunk = self.audio.read()
                if chunk is not None and self.on_level is not None:
                    call_safely(self.on_level, rms_level(chunk))

    def _report(self, exc: MediaError) -> None:
        if self.on_error is not None and not self._stop.is_set():
            call_safely(self.on_error, exc)
