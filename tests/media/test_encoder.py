from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from media.encoder import ClipEncoder, default_max_bitrate
from media.probe import probe
from tests.helpers.media import count_audio_samples, decode_video


def _noise_frames(n: int, width: int = 320, height: int = 240) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [rng.integers(0, 256, (height, width, 3), dtype=np.uint8) for _ in range(n)]


def test_bitrate_ceiling_tames_grainy_pictures(out_dir: Path) -> None:
    frames = _noise_frames(90)  # 3 s of pure grain: the worst a dim webcam can send
    bits = {}
    for cap in (0, None):
        path = out_dir / f"cap{cap}.mp4"
        encoder = ClipEncoder(path, 320, 240, 30, matrix="bt601", max_bitrate=cap)
        for i, image in enumerate(frames):
            encoder.add_rgb(image, i / 30)
        encoder.finish(3.0)
        bits[cap] = path.stat().st_size * 8
    ceiling = default_max_bitrate(320, 240, 30)
    assert ceiling == 1_000_000
    vbv_bound = 3 * ceiling + 2 * ceiling  # 3 s at the cap + one full buffer (bufsize = 2×)
    assert bits[None] <= 1.1 * vbv_bound
    assert bits[0] > 2 * bits[None], "uncapped grain must cost far more"


def test_default_ceiling_scales_with_pixel_rate() -> None:
    assert default_max_bitrate(1280, 720, 30) == 5_000_000
    assert default_max_bitrate(1920, 1080, 60) == 12_000_000


def test_timestamps_always_increase(out_dir: Path) -> None:
    path = out_dir / "ts.mp4"
    encoder = ClipEncoder(path, 320, 240, 30)
    image = np.zeros((240, 320, 3), np.uint8)
    for t in (0.0, 0.0, 0.0333, 0.0333, 0.1):
        encoder.add_rgb(image, t)
    encoder.finish(0.2)
    times = [t for t, _ in decode_video(path)]
    assert len(times) == 5 and all(b > a for a, b in itertools.pairwise(times))


def test_audio_gaps_become_silence_and_overlaps_are_dropped(out_dir: Path) -> None:
    path = out_dir / "gaps.mp4"
    encoder = ClipEncoder(path, 160, 120, 10, sample_rate=8000, channels=1)
    image = np.zeros((120, 160, 3), np.uint8)
    tone = np.full((800, 1), 0.5, np.float32)  # 0.1 s
    for i in range(20):
        encoder.add_rgb(image, i / 10)
    assert encoder.add_audio(tone, 8000, 0.05) == pytest.approx(0.05)  # first: silence before it
    assert encoder.add_audio(tone, 8000, 0.16) == pytest.approx(0.15)  # 10 ms late: kept contiguous
    assert encoder.add_audio(tone, 8000, 0.60) == pytest.approx(0.60)  # a 350 ms gap: re-aligned
    placed = encoder.add_audio(tone, 8000, 0.40)  # 300 ms overlap: dropped, not stacked
    assert placed == pytest.approx(0.40)
    encoder.finish(2.0)
    assert probe(path).has_audio
    lo = 2.0 * 8000
    assert lo <= count_audio_samples(path) <= lo + 2 * 1024


def test_mono_samples_are_spread_to_stereo(out_dir: Path) -> None:
    path = out_dir / "stereo.mp4"
    encoder = ClipEncoder(path, 160, 120, 10, sample_rate=48000, channels=2)
    encoder.add_rgb(np.zeros((120, 160, 3), np.uint8), 0.0)
    encoder.add_audio(np.full((4800, 1), 0.25, np.float32), 44100, 0.0)
    encoder.finish(0.1)
    assert probe(path).has_audio


def test_odd_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        ClipEncoder("/nonexistent/never-written.mp4", 321, 240, 30)
