from __future__ import annotations

import numpy as np
import pytest

import media.camera.device as device_mod
from media.camera.device import DeviceCamera
from media.camera.discovery import open_camera
from media.errors import MediaError


def test_missing_device_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_mod, "device_name", lambda index: f"Test Cam {index}")
    with pytest.raises(MediaError) as caught:
        open_camera("7")
    assert str(caught.value).startswith("Camera 7 (Test Cam 7) could not be opened")
    cam = DeviceCamera(7)
    with pytest.raises(MediaError, match="not open"):
        cam.read()


def test_device_camera_reads_and_reports_unplugging(monkeypatch: pytest.MonkeyPatch) -> None:
    """DeviceCamera against a fake OpenCV capture: BGR→RGB, MJPG asked, unplug → MediaError."""
    import cv2

    calls: list[tuple[int, float]] = []

    class FakeCapture:
        frames_left = 3

        def __init__(self, *args: object) -> None:
            pass

        def isOpened(self) -> bool:
            return True

        def set(self, prop: int, value: float) -> bool:
            calls.append((prop, value))
            return True

        def get(self, prop: int) -> float:
            return {
                cv2.CAP_PROP_FPS: 30.0,
                cv2.CAP_PROP_FOURCC: float(cv2.VideoWriter.fourcc(*"MJPG")),
            }.get(prop, 0.0)

        def read(self) -> tuple[bool, np.ndarray | None]:
            if FakeCapture.frames_left <= 0:
                return False, None
            FakeCapture.frames_left -= 1
            image = np.zeros((720, 1280, 3), np.uint8)
            image[..., 0] = 255  # blue in OpenCV's BGR
            return True, image

        def release(self) -> None:
            pass

    monkeypatch.setattr(device_mod.cv2, "VideoCapture", FakeCapture)
    cam = DeviceCamera(0)
    cam.open()
    assert (cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG"))) in calls
    assert cam.fourcc == "MJPG" and (cam.width, cam.height) == (1280, 720)
    frame = cam.read()
    assert frame is not None and tuple(frame.image[0, 0]) == (0, 0, 255)
    cam.read()
    cam.read()
    with pytest.raises(MediaError, match="stopped sending pictures"):
        cam.read()
    cam.close()
