"""The preview thread without Qt: frames and levels through callbacks, a clean stop, clear errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from media.audio import SyntheticTone
from media.camera.base import CameraSource, Frame
from media.camera.device import DeviceCamera
from media.camera.file import FileCamera
from media.camera.synthetic import SyntheticCamera
from media.errors import MediaError
from media.preview import PREVIEW_WIDTH, Preview, shrink


def _wait_for(condition: Callable[[], object], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_frames_and_levels_arrive_by_callback_and_stop_joins() -> None:
    camera = SyntheticCamera(1280, 720, 30)
    frames: list[np.ndarray] = []
    levels: list[float] = []
    errors: list[MediaError] = []
    threads: set[str] = set()

    def on_frame(rgb: np.ndarray) -> None:
        threads.add(threading.current_thread().name)
        frames.append(rgb)

    preview = Preview(
        camera,
        SyntheticTone(beep=False),
        on_frame=on_frame,
        on_level=levels.append,
        on_error=errors.append,
    )
    preview.start()
    assert preview.running
    assert _wait_for(lambda: len(frames) >= 5 and levels)
    preview.stop()
    assert not preview.running, "stop() waits for the thread"
    seen = len(frames)
    time.sleep(0.2)
    assert len(frames) == seen, "no frame after stop()"
    assert errors == []
    assert threads == {"ripple-preview"}
    assert frames[0].shape == (360, PREVIEW_WIDTH, 3) and frames[0].dtype == np.uint8
    assert all(0.0 <= level <= 1.0 for level in levels) and max(levels) > 0.5
    assert camera.is_open, "the camera stays open so the take can record it"
    camera.close()


def test_pictures_are_throttled_for_the_preview() -> None:
    camera = SyntheticCamera(320, 240, 30)
    frames: list[np.ndarray] = []
    preview = Preview(camera, None, on_frame=frames.append, max_fps=10)
    preview.start()
    time.sleep(1.05)
    preview.stop()
    camera.close()
    assert 8 <= len(frames) <= 12
    assert frames[0].shape == (240, 320, 3), "small pictures are not enlarged"


def test_missing_camera_is_a_clear_error_callback() -> None:
    errors: list[MediaError] = []
    frames: list[np.ndarray] = []
    preview = Preview(DeviceCamera(7), None, on_frame=frames.append, on_error=errors.append)
    preview.start()
    assert _wait_for(lambda: bool(errors))
    assert _wait_for(lambda: not preview.running), "a failure ends the thread"
    preview.stop()
    assert frames == []
    assert len(errors) == 1 and isinstance(errors[0], MediaError)
    assert str(errors[0]).startswith("Camera 7 (") and "could not be opened" in str(errors[0])


def test_missing_file_camera_names_the_file(tmp_path: Path) -> None:
    errors: list[MediaError] = []
    preview = Preview(
        FileCamera(tmp_path / "gone.mp4"), None, on_frame=lambda rgb: None, on_error=errors.append
    )
    preview.start()
    assert _wait_for(lambda: bool(errors))
    preview.stop()
    assert "gone.mp4" in str(errors[0]) and "does not exist" in str(errors[0])


def test_a_camera_lost_mid_preview_is_reported_once() -> None:
    class Unplugged(CameraSource):
        def __init__(self) -> None:
            super().__init__()
            self.width, self.height, self.fps = 64, 48, 30.0
            self.n = 0

        def _open(self) -> None:
            pass

        def _close(self) -> None:
            pass

        def read(self) -> Frame | None:
            self.n += 1
            if self.n > 3:
                raise MediaError("The camera stopped sending pictures.")
            time.sleep(0.07)
            return Frame(np.zeros((48, 64, 3), np.uint8), self.n / 10)

    errors: list[MediaError] = []
    frames: list[np.ndarray] = []
    preview = Preview(Unplugged(), None, on_frame=frames.append, on_error=errors.append)
    preview.start()
    assert _wait_for(lambda: not preview.running)
    assert [str(e) for e in errors] == ["The camera stopped sending pictures."]
    assert len(frames) == 3


def test_a_failing_callback_does_not_end_the_preview() -> None:
    camera = SyntheticCamera(160, 120, 30)
    calls: list[int] = []

    def broken(rgb: np.ndarray) -> None:
        calls.append(1)
        raise RuntimeError("a bug in the UI")

    preview = Preview(camera, None, on_frame=broken)
    preview.start()
    assert _wait_for(lambda: len(calls) >= 3)
    assert preview.running
    preview.stop()
    camera.close()


def test_a_preview_runs_once() -> None:
    camera = SyntheticCamera(160, 120, 30)
    preview = Preview(camera, None, on_frame=lambda rgb: None)
    preview.start()
    with pytest.raises(RuntimeError):
        preview.start()
    preview.stop()
    preview.stop()  # safe to repeat
    camera.close()


def test_shrink_keeps_the_aspect() -> None:
    assert shrink(np.zeros((1080, 1920, 3), np.uint8)).shape == (360, 640, 3)
    small = np.zeros((100, 200, 3), np.uint8)
    assert shrink(small) is small
