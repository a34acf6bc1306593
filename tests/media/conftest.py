"""Test media generated with PyAV once per session: phone-like clips and broken files.

Every clip draws its *displayed* picture with a red band across the top, then stores the
pixels turned the other way and tags the rotation, exactly as a phone held upright does.
So "is the import upright?" is answered by looking for red at the top.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RED = (230, 20, 20)


@dataclass(frozen=True)
class Clip:
    """A generated clip and what it should look like once upright."""

    path: Path
    display_width: int
    display_height: int
    fps: float
    seconds: float
    rotation_cw: int
    has_audio: bool


def displayed_picture(width: int, height: int, index: int) -> np.ndarray:
    """Grey picture, red band on top (the uprightness marker), a moving dark square."""
    image = np.full((height, width, 3), 128, dtype=np.uint8)
    image[: max(8, height // 6), :, :] = RED
    x = (index * 7) % max(1, width - 24)
    image[height // 2 : height // 2 + 24, x : x + 24] = 20
    return image


def has_encoder(name: str) -> bool:
    """Whether PyAV's FFmpeg was built with this encoder."""
    try:
        av.Codec(name, "w")
    except Exception:
        return False
    return True


def make_clip(
    path: Path,
    *,
    width: int,
    height: int,
    fps: float = 30,
    seconds: float = 1.0,
    codec: str = "libx264",
    rotation_cw: int = 0,
    audio: bool = True,
    faststart: bool = False,
    audio_rate: int = 48000,
    audio_channels: int = 2,
) -> Clip:
    """Write a clip whose *displayed* size is width×height after ``rotation_cw``."""
    stored_w, stored_h = (height, width) if rotation_cw in (90, 270) else (width, height)
    options = {"movflags": "+faststart"} if faststart else {}
    container = av.open(
        str(path), mode="w", format="mp4" if path.suffix == ".mp4" else "mov", options=options
    )
    rate = Fraction(fps).limit_denominator(1001)
    codec_options = {"preset": "ultrafast"} if codec == "libx264" else {}
    if codec == "libx265":
        codec_options = {"preset": "ultrafast", "x265-params": "log-level=error"}
    video = container.add_stream(codec, rate=rate, options=codec_options)
    video.width, video.height, video.pix_fmt = stored_w, stored_h, "yuv420p"
    if rotation_cw:
        video.set_display_rotation(-rotation_cw)  # PyAV takes counter-clockwise degrees
    astream = None
    if audio:
        layout = "stereo" if audio_channels == 2 else "mono"
        astream = container.add_stream("aac", rate=audio_rate, layout=layout)
    n_frames = round(seconds * fps)
    samples_per_frame = audio_rate / fps
    sample_pos = 0
    for i in range(n_frames):
        shown = displayed_picture(width, height, i)
        stored = np.ascontiguousarray(np.rot90(shown, k=rotation_cw // 90))  # undo the turn
        frame = av.VideoFrame.from_ndarray(stored, format="rgb24")
        frame.pts = i
        frame.time_base = 1 / rate
        for packet in video.encode(frame):
            container.mux(packet)
        if astream is not None:
            end = round((i + 1) * samples_per_frame)
            n = end - sample_pos
            t = (np.arange(sample_pos, end) / audio_rate).astype(np.float32)
            tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            aframe = av.AudioFrame.from_ndarray(
                np.stack([tone] * audio_channels), format="fltp", layout=layout
            )
            aframe.sample_rate = audio_rate
            aframe.pts = sample_pos
            aframe.time_base = Fraction(1, audio_rate)
            sample_pos += n
            for packet in astream.encode(aframe):
                container.mux(packet)
    for packet in video.encode(None):
        container.mux(packet)
    if astream is not None:
        for packet in astream.encode(None):
            container.mux(packet)
    container.close()
    return Clip(path, width, height, float(fps), seconds, rotation_cw, audio)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def landscape_clip(media_dir: Path) -> Clip:
    """640x360 H.264 + AAC, 30 fps, 2 s: a plain laptop/phone landscape clip."""
    return make_clip(media_dir / "landscape.mp4", width=640, height=360, seconds=2.0)


@pytest.fixture(scope="session")
def portrait_clip(media_dir: Path) -> Clip:
    """Stored 640x360, rotation 90° clockwise → displayed 360x640 (an upright phone)."""
    return make_clip(media_dir / "portrait.mov", width=360, height=640, rotation_cw=90)


@pytest.fixture(scope="session")
def portrait_270_clip(media_dir: Path) -> Clip:
    """Phone held upside-down the other way: rotation 270°."""
    return make_clip(
        media_dir / "portrait270.mp4",
        width=360,
        height=640,
        rotation_cw=270,
        seconds=0.5,
        audio=False,
    )


@pytest.fixture(scope="session")
def upside_down_clip(media_dir: Path) -> Clip:
    """Rotation 180° (landscape, phone upside down)."""
    return make_clip(
        media_dir / "upside_down.mp4",
        width=320,
        height=180,
        rotation_cw=180,
        seconds=0.5,
        audio=False,
    )


@pytest.fixture(scope="session")
def hevc_clip(media_dir: Path) -> Clip:
    """HEVC portrait clip with audio, like a recent iPhone's."""
    if not has_encoder("libx265"):
        pytest.skip("this FFmpeg build has no HEVC encoder")
    return make_clip(
        media_dir / "hevc.mov", width=360, height=640, codec="libx265", rotation_cw=90, seconds=1.0
    )


@pytest.fixture(scope="session")
def sixty_fps_clip(media_dir: Path) -> Clip:
    return make_clip(media_dir / "sixty.mp4", width=640, height=360, fps=60, seconds=1.0)


@pytest.fixture(scope="session")
def fast_clip(media_dir: Path) -> Clip:
    """120 fps slow-motion source: must be capped at 60."""
    return make_clip(
        media_dir / "fast.mp4", width=320, height=180, fps=120, seconds=1.0, audio=False
    )


@pytest.fixture(scope="session")
def big_portrait_clip(media_dir: Path) -> Clip:
    """1440x2560 displayed (QHD portrait) at 5 fps: must come down to 1080x1920."""
    return make_clip(
        media_dir / "big.mp4",
        width=1440,
        height=2560,
        fps=5,
        seconds=0.6,
        rotation_cw=90,
        audio=False,
    )


@pytest.fixture(scope="session")
def silent_clip(media_dir: Path) -> Clip:
    return make_clip(media_dir / "silent.mp4", width=320, height=240, audio=False)


@pytest.fixture(scope="session")
def truncated_clip(media_dir: Path, landscape_clip: Clip) -> Path:
    """The landscape clip cut in half: its index (at the end) is gone."""
    data = landscape_clip.path.read_bytes()
    path = media_dir / "truncated.mp4"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture(scope="session")
def truncated_faststart_clip(media_dir: Path) -> Path:
    """Index at the front but the media data cut short (an interrupted copy)."""
    clip = make_clip(
        media_dir / "faststart_full.mp4", width=640, height=360, seconds=3.0, faststart=True
    )
    data = clip.path.read_bytes()
    path = media_dir / "truncated_faststart.mp4"
    path.write_bytes(data[: int(len(data) * 0.4)])
    return path


@pytest.fixture(scope="session")
def text_as_mp4(media_dir: Path) -> Path:
    path = media_dir / "notes.mp4"
    path.write_text("These are my workshop notes, not a video.\n" * 20, encoding="utf-8")
    return path


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder of the test's own (tmp_path also holds the suite's data directory)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def odd_audio_clip(media_dir: Path) -> Clip:
    """32 kHz mono sound (a cheap phone or screen recorder): must be resampled to 48 kHz."""
    return make_clip(
        media_dir / "odd_audio.mp4",
        width=320,
        height=240,
        seconds=1.5,
        audio_rate=32000,
        audio_channels=1,
    )
