"""Shared media helpers for the tests: make a small phone-like video, decode files the way a player would."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def make_video(path: Path, seconds: float = 1.0, *, audio: bool = True, size: tuple[int, int] = (320, 240)) -> Path:
    """A small H.264 video like a phone's (with silent AAC sound unless ``audio`` is False)."""
    with av.open(str(path), "w") as out:
        v = out.add_stream("libx264", rate=30)
        v.width, v.height, v.pix_fmt = size[0], size[1], "yuv420p"
        a = out.add_stream("aac", rate=48000) if audio else None
        for i in range(int(seconds * 30)):
            img = np.full((size[1], size[0], 3), (i * 8) % 255, np.uint8)
            for p in v.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(p)
        if a is not None:
            samples = np.zeros((1, int(48000 * seconds)), np.float32)
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate = 48000
            for p in a.encode(frame):
                out.mux(p)
            for p in a.encode(None):
                out.mux(p)
        for p in v.encode(None):
            out.mux(p)
    return path


def decode_video(path: Path) -> list[tuple[float, np.ndarray]]:
    """Every decodable frame as (time, upright-agnostic RGB); stops quietly at a ragged end."""
    frames: list[tuple[float, np.ndarray]] = []
    with av.open(str(path)) as container:
        try:
            for frame in container.decode(video=0):
                frames.append((frame.time or 0.0, frame.to_ndarray(format="rgb24")))
        except av.FFmpegError:
            pass
    return frames


def count_audio_samples(path: Path) -> int:
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return 0
        total = 0
        try:
            for frame in container.decode(audio=0):
                total += frame.samples
        except av.FFmpegError:
            pass
        return total


def codecs(path: Path) -> tuple[str, str | None]:
    with av.open(str(path)) as container:
        video = container.streams.video[0].codec_context.name
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        return video, audio


def red_on_top(image: np.ndarray) -> bool:
    """True when the top band is red and the bottom band is not (the fixture's marker)."""
    height = image.shape[0]
    top = image[: max(2, height // 12)].reshape(-1, 3).mean(axis=0)
    bottom = image[-max(2, height // 12) :].reshape(-1, 3).mean(axis=0)
    top_red = top[0] > 150 and top[1] < 90 and top[2] < 90
    bottom_red = bottom[0] > 150 and bottom[1] < 90 and bottom[2] < 90
    return bool(top_red and not bottom_red)
