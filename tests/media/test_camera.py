from __future__ import annotations

import itertools
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import media.camera as camera_mod
from media import clock
from media.camera import (
    DeviceCamera,
    FileCamera,
    SyntheticCamera,
    default_camera_spec,
    list_cameras,
    open_camera,
    read_timecode,
)
from media.errors import MediaError
from tests.helpers.media import red_on_top
from tests.media.conftest import Clip


def test_synthetic_frames_are_rgb_uint8_at_the_asked_size() -> None:
    with SyntheticCamera(320, 240, 30, realtime=False) as cam:
        frame = cam.read()
    assert frame is not None
    assert frame.image.shape == (240, 320, 3) and frame.image.dtype == np.uint8
    # Colour bars are drawn in RGB order: the second bar is yellow (R and G high, B low).
    # Median down the bar's column, so the bouncing box or the flash cannot hide it.
    r, g, b = np.median(frame.image[:150, 70], axis=0)
    assert r > 150 and g > 150 and b < 60


def test_synthetic_realtime_paces_on_the_shared_clock() -> None:
    with SyntheticCamera(160, 120, 30) as cam:
        start = clock.now()
        stamps = []
        for _ in range(10):
            frame = cam.read()
            assert frame is not None
            stamps.append(frame.pts)
        took = clock.now() - start
    assert 9 / 30 - 0.01 <= took <= 9 / 30 + 0.2
    assert np.allclose(np.diff(stamps), 1 / 30, atol=1e-6)
    assert abs(stamps[-1] - clock.now()) < 0.15, "timestamps are on the media clock"


def test_synthetic_realtime_skips_frames_like_a_webcam_when_reader_is_late() -> None:
    with SyntheticCamera(160, 120, 30) as cam:
        first = cam.read()
        time.sleep(0.3)
        late = cam.read()
    assert first is not None and late is not None
    assert late.pts - first.pts >= 0.25
    assert abs(late.pts - clock.now()) < 0.15


def test_synthetic_fast_mode_has_exact_spacing_and_moves() -> None:
    with SyntheticCamera(320, 240, 25, realtime=False) as cam:
        frames = [cam.read() for _ in range(5)]
    stamps = [f.pts for f in frames if f is not None]
    assert np.allclose(np.diff(stamps), 0.04)
    assert frames[0] is not None and frames[4] is not None
    assert not np.array_equal(frames[0].image, frames[4].image)
    assert not cam.live


def test_synthetic_is_cheap_at_720p() -> None:
    with SyntheticCamera(1280, 720, 30, realtime=False) as cam:
        cam.read()
        start = time.perf_counter()
        for _ in range(30):
            cam.read()
        per_frame = (time.perf_counter() - start) / 30
    assert per_frame < 0.025, f"{per_frame * 1000:.1f} ms per frame"  # ~3 ms when idle


@given(st.floats(min_value=0, max_value=9_999.999, allow_nan=False))
def test_timecode_round_trip(pts: float) -> None:
    image = np.zeros((240, 320, 3), np.uint8)
    camera_mod._draw_timecode(image, pts)
    decoded = read_timecode(image)
    assert decoded == pytest.approx(round(pts * 1000) / 1000, abs=1e-9)


def test_timecode_absent_on_other_pictures() -> None:
    assert read_timecode(np.full((240, 320, 3), 128, np.uint8)) is None


def test_file_camera_plays_upright(portrait_clip: Clip) -> None:
    with FileCamera(portrait_clip.path, realtime=False) as cam:
        assert (cam.width, cam.height) == (360, 640)
        frame = cam.read()
    assert frame is not None
    assert frame.image.shape == (640, 360, 3)
    assert red_on_top(frame.image)


def test_file_camera_letterboxes_to_the_requested_size(portrait_clip: Clip) -> None:
    with FileCamera(portrait_clip.path, width=640, height=360, realtime=False) as cam:
        frame = cam.read()
    assert frame is not None and frame.image.shape == (360, 640, 3)
    assert frame.image[:, :40].max() == 0, "black bars at the sides"
    assert red_on_top(frame.image[:, 240:400])


def test_file_camera_loops_and_ends(landscape_clip: Clip) -> None:
    with FileCamera(landscape_clip.path, loop=False, realtime=False) as cam:
        count = 0
        while cam.read() is not None:
            count += 1
    assert count == 60
    with FileCamera(landscape_clip.path, loop=True, realtime=False) as cam:
        stamps = []
        for _ in range(130):
            frame = cam.read()
            assert frame is not None
            stamps.append(frame.pts)
    assert all(b > a for a, b in itertools.pairwise(stamps)), "time keeps going across loops"
    assert stamps[-1] - stamps[0] == pytest.approx(129 / 30, abs=0.01)


def test_file_camera_realtime_pacing(landscape_clip: Clip) -> None:
    with FileCamera(landscape_clip.path) as cam:
        start = clock.now()
        for _ in range(9):
            cam.read()
        assert 8 / 30 - 0.01 <= clock.now() - start <= 8 / 30 + 0.2


def test_file_camera_rejects_broken_files(text_as_mp4: Path, truncated_clip: Path) -> None:
    for path in (text_as_mp4, truncated_clip):
        with pytest.raises(MediaError) as caught:
            FileCamera(path).open()
        assert path.name in str(caught.value)


def test_open_camera_specs(landscape_clip: Clip, tmp_path: Path) -> None:
    synthetic = open_camera("synthetic", 320, 240, 15)
    assert synthetic.is_open and isinstance(synthetic, SyntheticCamera)
    assert (synthetic.width, synthetic.height, synthetic.fps) == (320, 240, 15)
    synthetic.close()
    from_file = open_camera(str(landscape_clip.path), 320, 240)
    assert isinstance(from_file, FileCamera) and (from_file.width, from_file.height) == (320, 240)
    from_file.close()
    with pytest.raises(MediaError, match="not a camera"):
        open_camera(str(tmp_path / "missing.mp4"))


def test_missing_device_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(camera_mod, "_device_name", lambda index: f"Test Cam {index}")
    with pytest.raises(MediaError) as caught:
        open_camera("7")
    assert str(caught.value).startswith("Camera 7 (Test Cam 7) could not be opened")
    cam = DeviceCamera(7)
    with pytest.raises(MediaError, match="not open"):
        cam.read()


def test_listing_is_quiet_and_synthetic_is_the_fallback(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cameras = list_cameras(max_index=3)
    spec = default_camera_spec()
    out, err = capfd.readouterr()
    assert err == "" and out == ""
    if not cameras:
        assert spec == "synthetic"
    monkeypatch.setattr(camera_mod, "_device_may_exist", lambda index: False)
    assert list_cameras() == []
    assert default_camera_spec() == "synthetic"


def test_device_prefers_the_real_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeCapture:
        def __init__(self, *args: object) -> None:
            pass

        def isOpened(self) -> bool:
            return True

        def release(self) -> None:
            pass

    monkeypatch.setattr(camera_mod, "_device_may_exist", lambda index: True)
    monkeypatch.setattr(camera_mod.cv2, "VideoCapture", FakeCapture)
    assert default_camera_spec() == "0"


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

    monkeypatch.setattr(camera_mod.cv2, "VideoCapture", FakeCapture)
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
