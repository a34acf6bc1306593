from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import media.camera.synthetic as synthetic_mod
from media import clock
from media.camera.synthetic import SyntheticCamera, read_timecode


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
    synthetic_mod._draw_timecode(image, pts)
    decoded = read_timecode(image)
    assert decoded == pytest.approx(round(pts * 1000) / 1000, abs=1e-9)


def test_timecode_absent_on_other_pictures() -> None:
    assert read_timecode(np.full((240, 320, 3), 128, np.uint8)) is None
