"""Poster frames for clip tiles.

Why ~1 s in: the first frame of a webcam clip is often dark (auto-exposure settling) or a
face mid-blink; a second in is representative. Short clips use their middle.
Works on partial fragmented recordings (crash leftovers): if seeking fails it decodes
from the start, and a ragged end is simply where decoding stops.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import av
import cv2
import numpy as np

from media.errors import MediaError
from media.probe import VideoInfo, open_video, probe, rotation_of, turn_upright

__all__ = ["poster_frame", "poster_image"]


def _pick_time(info: VideoInfo | None) -> float:
    if info is None or info.duration_s <= 0:
        return 0.0
    if info.duration_s >= 2.0:
        return 1.0
    return info.duration_s / 2.0


def _frame_near(
    container: av.container.InputContainer, at_s: float, seek: bool
) -> av.VideoFrame | None:
    stream = container.streams.video[0]
    if seek and at_s > 0 and stream.time_base:
        container.seek(int(at_s / stream.time_base), stream=stream, backward=True, any_frame=False)
    best: av.VideoFrame | None = None
    try:
        for frame in container.decode(stream):
            best = frame
            if frame.time is None or frame.time >= at_s:
                break
    except (av.FFmpegError, OSError):
        pass  # a ragged end of a partial file: keep the last good frame
    return best


def poster_image(path: str | os.PathLike[str], at_s: float | None = None) -> np.ndarray:
    """The upright RGB picture nearest ``at_s`` (default: ~1 s in, or mid-clip if shorter)."""
    p = Path(path)
    info: VideoInfo | None = None
    with contextlib.suppress(MediaError):
        info = probe(p)
    target = _pick_time(info) if at_s is None else max(0.0, float(at_s))
    frame: av.VideoFrame | None = None
    rotation = 0
    for seek in (True, False):
        container = open_video(p)
        try:
            with contextlib.suppress(av.FFmpegError, OSError):
                frame = _frame_near(container, target, seek)
            if frame is not None:
                rotation = rotation_of(frame, container.streams.video[0])
                rgb = frame.to_ndarray(format="rgb24")
                return turn_upright(rgb, rotation)
        finally:
            container.close()
    raise MediaError(f"No picture could be read from “{p.name}”: the file is damaged.")


def poster_frame(
    path: str | os.PathLike[str], at_s: float | None = None, max_width: int = 480
) -> bytes:
    """JPEG bytes of the poster picture, scaled down to at most ``max_width`` pixels wide."""
    image = poster_image(path, at_s)
    height, width = image.shape[:2]
    if width > max_width:
        new_h = max(1, round(height * max_width / width))
        image = cv2.resize(image, (max_width, new_h), interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(
        ".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [int(cv2.IMWRITE_JPEG_QUALITY), 85]
    )
    if not ok:
        raise MediaError(f"The preview picture for “{Path(path).name}” could not be made.")
    return bytes(encoded.tobytes())
