from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from media import clock
from media.camera.file import FileCamera
from media.errors import MediaError
from tests.helpers.media import red_on_top
from tests.media.conftest import Clip


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
