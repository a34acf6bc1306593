from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from media.errors import MediaError
from media.probe import probe, turn_upright
from tests.media.conftest import Clip


def test_landscape_facts(landscape_clip: Clip) -> None:
    info = probe(landscape_clip.path)
    assert (info.width, info.height) == (640, 360)
    assert info.rotation_deg == 0
    assert info.video_codec == "h264"
    assert info.has_audio and info.audio_codec == "aac"
    assert info.fps == pytest.approx(30, abs=0.01)
    assert info.duration_s == pytest.approx(2.0, abs=0.1)


def test_portrait_reports_displayed_size_and_rotation(portrait_clip: Clip) -> None:
    info = probe(portrait_clip.path)
    assert (info.width, info.height) == (360, 640)
    assert info.rotation_deg == 90


@pytest.mark.parametrize(
    ("fixture", "rotation"), [("portrait_270_clip", 270), ("upside_down_clip", 180)]
)
def test_other_rotations(fixture: str, rotation: int, request: pytest.FixtureRequest) -> None:
    clip: Clip = request.getfixturevalue(fixture)
    info = probe(clip.path)
    assert info.rotation_deg == rotation
    assert (info.width, info.height) == (clip.display_width, clip.display_height)


def test_hevc_and_sixty_fps(hevc_clip: Clip, sixty_fps_clip: Clip) -> None:
    assert probe(hevc_clip.path).video_codec == "hevc"
    assert probe(sixty_fps_clip.path).fps == pytest.approx(60, abs=0.01)


def test_no_audio(silent_clip: Clip) -> None:
    info = probe(silent_clip.path)
    assert not info.has_audio and info.audio_codec is None


def test_text_file_renamed_mp4_is_a_clear_error(text_as_mp4: Path) -> None:
    with pytest.raises(MediaError) as caught:
        probe(text_as_mp4)
    message = str(caught.value)
    assert "notes.mp4" in message and "\n" not in message
    assert message.endswith(".")


def test_truncated_file_without_index_is_an_error(truncated_clip: Path) -> None:
    with pytest.raises(MediaError):
        probe(truncated_clip)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="does not exist"):
        probe(tmp_path / "nope.mp4")
    with pytest.raises(MediaError, match="folder"):
        probe(tmp_path)


def test_audio_only_file_is_not_a_video(tmp_path: Path) -> None:
    import av
    import numpy as np

    path = tmp_path / "voice.m4a"
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate = 48000
        frame.pts = 0
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    with pytest.raises(MediaError, match="no pictures"):
        probe(path)


@pytest.mark.parametrize(("clockwise", "code"), [(90, cv2.ROTATE_90_CLOCKWISE), (180, cv2.ROTATE_180),
                                                  (270, cv2.ROTATE_90_COUNTERCLOCKWISE)])
def test_turn_upright_turns_clockwise_like_opencv(clockwise: int, code: int) -> None:
    image = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    turned = turn_upright(image, clockwise)
    assert np.array_equal(turned, cv2.rotate(image, code)) and turned.flags.c_contiguous


def test_turn_upright_leaves_an_upright_image_alone() -> None:
    image = np.zeros((4, 6, 3), dtype=np.uint8)
    assert turn_upright(image, 0) is image
