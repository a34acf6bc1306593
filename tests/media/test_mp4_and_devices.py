from __future__ import annotations

from pathlib import Path

import pytest

from media import _mp4, clock
from media.camera.synthetic import SyntheticCamera
from media.devices import describe_devices, record_test
from media.errors import MediaError
from media.probe import probe
from media.recording.recorder import Recorder
from tests.helpers.media import codecs, decode_video
from tests.media.conftest import Clip


def test_media_error_is_one_sentence() -> None:
    error = MediaError("The camera stopped sending pictures.")
    assert str(error) == "The camera stopped sending pictures."
    assert error.sentence == str(error)


def test_clock_is_monotonic_and_shared() -> None:
    a = clock.now()
    b = clock.now_ns() / 1e9
    assert 0 <= a <= b < a + 0.1


def test_fragment_counting_and_trimming(out_dir: Path) -> None:
    out = out_dir / "r.mp4"
    recorder = Recorder(SyntheticCamera(320, 240, 30, realtime=False), None, out, max_seconds=3)
    recorder.start()
    assert recorder.wait(20) is not None
    kinds = [box.kind for box in _mp4.top_level_boxes(out)]
    assert kinds[:2] == ["ftyp", "moov"] and "moof" in kinds
    fragments = _mp4.count_fragments(out)
    assert fragments >= 3  # a keyframe (and fragment) about every second
    assert _mp4.trim_incomplete_tail(out) == 0, "a finished recording has no ragged tail"
    data = out.read_bytes()
    boxes = _mp4.top_level_boxes(out)
    last_mdat = [b for b in boxes if b.kind == "mdat"][-1]
    cut = out_dir / "cut.mp4"
    cut.write_bytes(data[: last_mdat.offset + last_mdat.size // 2])
    removed = _mp4.trim_incomplete_tail(cut)
    assert removed > 0
    assert _mp4.count_fragments(cut) == fragments - 1
    assert len(decode_video(cut)) > 0
    assert _mp4.count_fragments(out_dir / "missing.mp4") == 0


def test_describe_devices_lists_both_kinds(qapp: object) -> None:
    text = describe_devices()
    assert text.startswith("Cameras:") and "\nMicrophones:" in text
    assert "\n  " in text


def test_record_test_synthetic(out_dir: Path) -> None:
    out = out_dir / "test.mp4"
    result = record_test("synthetic", 1.0, out, width=320, height=240, audio="synthetic")
    assert result.ok and result.has_audio and result.warning is None
    assert 27 <= result.frames_captured <= 30 and result.frames_dropped == 0
    assert result.av_offset_start_ms is not None
    assert codecs(out) == ("h264", "aac")


def test_record_test_from_a_file_without_sound(landscape_clip: Clip, out_dir: Path) -> None:
    out = out_dir / "file.mp4"
    result = record_test(str(landscape_clip.path), 0.5, out, width=320, height=180, audio="none")
    assert result.ok and not result.has_audio and result.warning is None
    info = probe(out)
    assert (info.width, info.height) == (320, 180)


def test_record_test_rejects_bad_input(out_dir: Path) -> None:
    with pytest.raises(MediaError, match=r"\.mp4"):
        record_test("synthetic", 1.0, out_dir / "x.avi")
    with pytest.raises(MediaError, match="more than 0 seconds"):
        record_test("synthetic", 0, out_dir / "x.mp4")
    with pytest.raises(MediaError, match="not a camera"):
        record_test(str(out_dir / "nope"), 1.0, out_dir / "x.mp4")
    assert not (out_dir / "x.mp4").exists()
