from __future__ import annotations

import errno
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import media.transcode as transcode
from media.encoder import ClipEncoder
from media.errors import MediaError
from media.probe import probe
from media.transcode import import_video, target_size
from tests.helpers.media import codecs, count_audio_samples, decode_video, red_on_top
from tests.media.conftest import Clip


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".")]


def test_landscape_import_is_h264_aac(landscape_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "out.mp4"
    info = import_video(landscape_clip.path, dst)
    assert dst.is_file() and not _leftovers(out_dir)
    assert codecs(dst) == ("h264", "aac")
    assert (info.width, info.height) == (640, 360)
    assert info.rotation_deg == 0
    assert info.duration_s == pytest.approx(2.0, abs=0.1)
    assert count_audio_samples(dst) == pytest.approx(2.0 * 48000, rel=0.05)
    assert len(decode_video(dst)) == 60


def test_portrait_import_is_upright(portrait_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "portrait.mp4"
    info = import_video(portrait_clip.path, dst)
    assert (info.width, info.height) == (360, 640)
    assert info.rotation_deg == 0, "the rotation must be applied to the pixels, not kept as a tag"
    frames = decode_video(dst)
    assert frames
    image = frames[len(frames) // 2][1]
    assert image.shape[:2] == (640, 360)
    assert red_on_top(image)


@pytest.mark.parametrize("fixture", ["portrait_270_clip", "upside_down_clip"])
def test_other_rotations_are_upright(
    fixture: str, request: pytest.FixtureRequest, out_dir: Path
) -> None:
    clip: Clip = request.getfixturevalue(fixture)
    dst = out_dir / "out.mp4"
    info = import_video(clip.path, dst)
    assert (info.width, info.height, info.rotation_deg) == (
        clip.display_width,
        clip.display_height,
        0,
    )
    image = decode_video(dst)[0][1]
    assert red_on_top(image)


def test_hevc_portrait_import(hevc_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "hevc.mp4"
    info = import_video(hevc_clip.path, dst)
    assert codecs(dst) == ("h264", "aac")
    assert (info.width, info.height) == (360, 640)
    assert red_on_top(decode_video(dst)[0][1])


def test_sixty_fps_is_kept(sixty_fps_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "sixty.mp4"
    info = import_video(sixty_fps_clip.path, dst)
    assert info.fps == pytest.approx(60, abs=0.5)
    assert len(decode_video(dst)) == 60


def test_faster_than_sixty_is_capped(fast_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "fast.mp4"
    info = import_video(fast_clip.path, dst)
    assert info.fps == pytest.approx(60, abs=0.5)
    assert len(decode_video(dst)) == pytest.approx(60, abs=2)
    assert not info.has_audio


def test_large_portrait_is_scaled_to_1080p(big_portrait_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "big.mp4"
    info = import_video(big_portrait_clip.path, dst)
    assert (info.width, info.height) == (1080, 1920)
    assert red_on_top(decode_video(dst)[0][1])


def test_odd_sample_rate_is_resampled(odd_audio_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "odd.mp4"
    import_video(odd_audio_clip.path, dst)
    import av

    with av.open(str(dst)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.sample_rate == 48000
        assert stream.codec_context.channels == 1
    samples = count_audio_samples(dst)
    assert 1.5 * 48000 <= samples <= 1.5 * 48000 + 2 * 1024


def test_no_audio_import(silent_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "silent.mp4"
    info = import_video(silent_clip.path, dst)
    assert not info.has_audio
    assert codecs(dst) == ("h264", None)


@pytest.mark.parametrize("fixture", ["truncated_clip", "truncated_faststart_clip", "text_as_mp4"])
def test_broken_inputs_raise_and_leave_nothing(
    fixture: str, request: pytest.FixtureRequest, out_dir: Path
) -> None:
    src: Path = request.getfixturevalue(fixture)
    dst = out_dir / "out.mp4"
    with pytest.raises(MediaError) as caught:
        import_video(src, dst)
    assert src.name in str(caught.value)
    assert not dst.exists()
    assert list(out_dir.iterdir()) == []


def test_missing_source(out_dir: Path) -> None:
    with pytest.raises(MediaError, match="does not exist"):
        import_video(out_dir / "gone.mov", out_dir / "out.mp4")
    assert not (out_dir / "out.mp4").exists()


def test_disk_full_during_import(
    landscape_clip: Clip, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FullDiskEncoder(ClipEncoder):
        def add_frame(self, frame, t):  # type: ignore[no-untyped-def]
            if self.frames_encoded >= 10:
                raise OSError(errno.ENOSPC, "No space left on device")
            super().add_frame(frame, t)

    monkeypatch.setattr(transcode, "ClipEncoder", FullDiskEncoder)
    dst = out_dir / "out.mp4"
    with pytest.raises(MediaError, match="disk is full"):
        import_video(landscape_clip.path, dst)
    assert list(out_dir.iterdir()) == []


def test_existing_destination_is_replaced_atomically(landscape_clip: Clip, out_dir: Path) -> None:
    dst = out_dir / "clip.mp4"
    dst.write_bytes(b"old")
    import_video(landscape_clip.path, dst)
    assert probe(dst).video_codec == "h264"


@given(
    st.integers(min_value=16, max_value=8000),
    st.integers(min_value=16, max_value=8000),
    st.sampled_from([720, 1080]),
)
def test_target_size_invariants(width: int, height: int, max_height: int) -> None:
    out_w, out_h = target_size(width, height, max_height)
    assert out_w % 2 == 0 and out_h % 2 == 0
    assert min(out_w, out_h) <= max_height
    assert max(out_w, out_h) <= round(max_height * 16 / 9)
    assert out_w <= max(width, 2) and out_h <= max(height, 2)
    if min(out_w, out_h) >= 100:
        assert out_w / out_h == pytest.approx(width / height, rel=0.03)
