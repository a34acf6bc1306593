"""Finding cameras: the ones a laptop has, the default one, and the one a spec names.

A spec is what ``--camera`` and the settings hold: a device index (``"0"``), ``"synthetic"``
or the path of a video file. A device index always means that real device, so a missing
webcam is said plainly (``DeviceCamera`` names it and says it is not connected); only
``default_camera_spec``, asked when nothing was chosen, falls back to the test pattern.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2

from media.camera.base import CameraInfo, CameraMode, CameraSource
from media.camera.device import DeviceCamera, backend, device_name, quiet_opencv
from media.camera.file import FileCamera
from media.camera.synthetic import SyntheticCamera
from media.errors import MediaError

__all__ = ["default_camera_spec", "list_cameras", "open_camera"]


def _device_may_exist(index: int) -> bool:
    """Cheap pre-check so probing a machine without cameras costs nothing on Linux."""
    if sys.platform.startswith("linux"):
        return Path(f"/dev/video{index}").exists()
    return True


_PROBE_MODES: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))


def list_cameras(max_index: int = 8) -> list[CameraInfo]:
    """Cameras that open, with the common modes each accepted (quiet: no OpenCV warnings)."""
    found: list[CameraInfo] = []
    for index in range(max_index):
        if not _device_may_exist(index):
            continue
        with quiet_opencv(redirect_fd=True):
            cap = cv2.VideoCapture(index, backend())
            try:
                if not cap.isOpened():
                    continue
                modes: list[CameraMode] = []
                for width, height in _PROBE_MODES:
                    cap.set(cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG")))
                    cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(width))
                    cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(height))
                    cap.set(cv2.CAP_PROP_FPS, 30.0)
                    got = CameraMode(
                        int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
                        int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
                        round(float(cap.get(cv2.CAP_PROP_FPS) or 0.0), 2),
                    )
                    if got.width > 0 and got not in modes:
                        modes.append(got)
            finally:
                cap.release()
        found.append(CameraInfo(index, device_name(index), tuple(modes)))
    return found


def default_camera_spec() -> str:
    """``"0"`` when the first webcam opens, else ``"synthetic"``: real device first on a laptop."""
    if not _device_may_exist(0):
        return "synthetic"
    with quiet_opencv(redirect_fd=True):
        cap = cv2.VideoCapture(0, backend())
        try:
            ok = bool(cap.isOpened())
        finally:
            cap.release()
    return "0" if ok else "synthetic"


def open_camera(spec: str, width: int = 1280, height: int = 720, fps: float = 30) -> CameraSource:
    """Open the camera named by ``spec``: ``"synthetic"``, a device index, or a video file.

    Returns an *opened* source so a wrong spec fails here with a sentence naming it.
    """
    text = spec.strip()
    source: CameraSource
    if text.lower() == "synthetic":
        source = SyntheticCamera(width, height, fps)
    elif text.isdigit():
        source = DeviceCamera(int(text), width, height, fps)
    else:
        path = Path(text).expanduser()
        if not path.exists():
            raise MediaError(
                f"“{spec}” is not a camera: use a camera number (see `ripple devices`), "
                "“synthetic”, or the path of a video file."
            )
        source = FileCamera(path, loop=True, width=width, height=height)
    source.open()
    return source
