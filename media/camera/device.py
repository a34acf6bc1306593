"""A real webcam through OpenCV: the default camera, and the only one that needs a device.

Also the OpenCV plumbing that ``discovery`` shares when it probes for cameras: the quickest
capture API per OS, a human name per index, and silence while probing.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from media import clock
from media.camera.base import CameraSource, Frame
from media.errors import MediaError

__all__ = ["DeviceCamera", "backend", "device_name", "quiet_opencv"]


@contextlib.contextmanager
def quiet_opencv(redirect_fd: bool = False) -> Iterator[None]:
    """Silence OpenCV's "can't open camera by index" chatter while probing.

    Why: probing indexes that do not exist is normal, and some backends (AVFoundation,
    MSMF) print with ``fprintf`` rather than OpenCV's logger, so on request fd 2 is also
    pointed at the null device for the duration.
    """
    logging_mod = cv2.utils.logging
    previous = logging_mod.getLogLevel()
    logging_mod.setLogLevel(logging_mod.LOG_LEVEL_SILENT)
    saved_fd: int | None = None
    if redirect_fd:
        try:
            sys.stderr.flush()
            saved_fd = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
        except OSError:
            saved_fd = None
    try:
        yield
    finally:
        if saved_fd is not None:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
        logging_mod.setLogLevel(previous)


def backend() -> int:
    """The OpenCV capture API that opens webcams quickest and honours MJPG on this OS."""
    if sys.platform.startswith("win"):
        return int(cv2.CAP_DSHOW)
    if sys.platform == "darwin":
        return int(cv2.CAP_AVFOUNDATION)
    if sys.platform.startswith("linux"):
        return int(cv2.CAP_V4L2)
    return int(cv2.CAP_ANY)


def device_name(index: int) -> str:
    """A human name for camera ``index`` (the kernel's name on Linux, else "Camera N")."""
    sys_name = Path(f"/sys/class/video4linux/video{index}/name")
    with contextlib.suppress(OSError):
        text = sys_name.read_text(encoding="utf-8", errors="replace").strip()
        if text:
            return text
    return f"Camera {index}"


class DeviceCamera(CameraSource):
    """A webcam through OpenCV's ``VideoCapture``.

    Asks for MJPG first: at 720p30 most USB webcams only reach full frame rate in MJPG,
    raw YUYV being limited by USB bandwidth to 10 fps or less. Cameras without MJPG
    fall back to whatever the driver offers.
    """

    def __init__(self, index: int, width: int = 1280, height: int = 720, fps: float = 30) -> None:
        super().__init__()
        self.index = index
        self.width = width
        self.height = height
        self.fps = float(fps)
        self.name = device_name(index)
        self.fourcc = ""
        self._cap: cv2.VideoCapture | None = None
        self._first: np.ndarray | None = None

    def _try_open(self, mjpg: bool) -> tuple[cv2.VideoCapture, np.ndarray] | None:
        with quiet_opencv():
            cap = cv2.VideoCapture(self.index, backend())
            if not cap.isOpened():
                cap.release()
                return None
            if mjpg:
                cap.set(cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG")))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(self.width))
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(self.height))
            cap.set(cv2.CAP_PROP_FPS, float(self.fps))
            ok, image = cap.read()
        if not ok or image is None:
            cap.release()
            return None
        return cap, image

    def _open(self) -> None:
        opened = self._try_open(mjpg=True) or self._try_open(mjpg=False)
        if opened is None:
            raise MediaError(
                f"Camera {self.index} ({self.name}) could not be opened: "
                "it is not connected, or another app is using it."
            )
        cap, image = opened
        self._cap = cap
        self.height, self.width = int(image.shape[0]), int(image.shape[1])
        reported = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if 1.0 <= reported <= 240.0:
            self.fps = reported
        code = int(cap.get(cv2.CAP_PROP_FOURCC) or 0)
        self.fourcc = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4)).strip("\x00 ")
        self._first = image

    def _close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
        self._first = None

    def read(self) -> Frame | None:
        """Block until the camera delivers the next picture; raise if it stopped."""
        if self._cap is None:
            raise MediaError(f"Camera {self.index} ({self.name}) is not open.")
        if self._first is not None:
            image, self._first = self._first, None
        else:
            ok, image = self._cap.read()
            if not ok or image is None:
                raise MediaError(
                    f"The camera stopped sending pictures ({self.name} was unplugged "
                    "or taken by another app)."
                )
        pts = clock.now()
        if image.shape[0] != self.height or image.shape[1] != self.width:
            image = cv2.resize(image, (self.width, self.height), interpolation=cv2.INTER_AREA)
        if image.ndim == 2:
            rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
        else:
            rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        return Frame(rgb, pts)
