from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from media.camera.synthetic import SyntheticCamera
from media.errors import MediaError
from media.recording.recorder import Recorder
from media.thumbnails import poster_frame, poster_image
from tests.helpers.media import red_on_top
from tests.media.conftest import Clip


def _jpeg(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "not a JPEG"
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def test_poster_is_a_small_jpeg(landscape_clip: Clip) -> None:
    data = poster_frame(landscape_clip.path, max_width=200)
    assert data[:2] == b"\xff\xd8"
    image = _jpeg(data)
    assert image.shape[1] == 200 and image.shape[0] == pytest.approx(112, abs=1)


def test_poster_of_a_portrait_clip_is_upright(portrait_clip: Clip) -> None:
    image = _jpeg(poster_frame(portrait_clip.path))
    assert image.shape[:2] == (640, 360)
    assert red_on_top(image)


def test_poster_time_defaults(landscape_clip: Clip, portrait_clip: Clip) -> None:
    # The fixture's dark square moves 7 px per frame: its position tells the frame index.
    def square_x(image: np.ndarray) -> int:
        row = image[image.shape[0] // 2 + 12, :, 0]
        return int(np.argmax(row < 60))

    at_one_second = poster_image(landscape_clip.path)  # 2 s clip → 1 s in → frame 30
    assert square_x(at_one_second) == pytest.approx(30 * 7, abs=8)
    chosen = poster_image(landscape_clip.path, at_s=0.5)
    assert square_x(chosen) == pytest.approx(15 * 7, abs=8)


def test_poster_of_a_partial_recording(out_dir: Path) -> None:
    out = out_dir / "partial.mp4"
    recorder = Recorder(SyntheticCamera(320, 240, 30, realtime=False), None, out, max_seconds=3)
    recorder.start()
    assert recorder.wait(20) is not None
    data = out.read_bytes()
    cut = out_dir / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])  # ends mid-fragment, no trailer
    image = _jpeg(poster_frame(cut))
    assert image.shape[:2] == (240, 320)


def test_poster_errors(text_as_mp4: Path, tmp_path: Path) -> None:
    with pytest.raises(MediaError):
        poster_frame(text_as_mp4)
    with pytest.raises(MediaError, match="does not exist"):
        poster_frame(tmp_path / "nothing.mp4")
