"""What is in a video file: length, upright size, frame rate, rotation, codecs.

Why a probe of our own: phone clips carry their orientation as metadata, so the stored
size is not the size people see; everything downstream (import, thumbnails, the
player's layout) needs the *displayed* size and the rotation to apply.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from media.errors import MediaError

__all__ = ["VideoInfo", "open_video", "probe", "rotation_of", "turn_upright"]


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """A video's facts. ``width``/``height`` are as displayed (after rotation).

    ``rotation_deg`` is how far the stored picture must be turned *clockwise* to be
    upright: 0, 90, 180 or 270 (the convention of the legacy ``rotate`` tag).
    """

    duration_s: float
    width: int
    height: int
    fps: float
    rotation_deg: int
    video_codec: str
    has_audio: bool
    audio_codec: str | None = None


def _not_a_video(path: Path) -> MediaError:
    return MediaError(
        f"“{path.name}” is not a video Ripple can read: the file is damaged or in an unknown format."
    )


def open_video(path: str | os.PathLike[str]) -> av.container.InputContainer:
    """Open ``path`` for reading, turning every failure into a one-sentence ``MediaError``."""
    p = Path(path)
    if not p.exists():
        raise MediaError(f"The file “{p}” does not exist.")
    if p.is_dir():
        raise MediaError(f"“{p}” is a folder, not a video file.")
    try:
        container = av.open(str(p), mode="r")
    except PermissionError:
        raise MediaError(f"Ripple is not allowed to read “{p.name}”.") from None
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError):
        raise _not_a_video(p) from None
    if not container.streams.video:
        container.close()
        raise MediaError(f"“{p.name}” has no pictures in it: it is not a video.")
    return container


def rotation_of(frame: av.VideoFrame, stream: av.VideoStream) -> int:
    """Clockwise degrees (0/90/180/270) to turn ``frame`` upright.

    Phones store orientation in the display matrix (which FFmpeg attaches to each decoded
    frame, counter-clockwise); older tools used a ``rotate`` tag (clockwise).
    """
    ccw = 0.0
    with contextlib.suppress(Exception):
        ccw = float(frame.rotation or 0)
    if ccw:
        return round(-ccw / 90.0) * 90 % 360
    tag = stream.metadata.get("rotate") if stream.metadata else None
    if tag:
        with contextlib.suppress(ValueError):
            return round(float(tag) / 90.0) * 90 % 360
    return 0


def turn_upright(image: np.ndarray, clockwise: int) -> np.ndarray:
    """``image`` (rows × columns × channels) turned clockwise by ``clockwise`` degrees, a
    multiple of 90 as :func:`rotation_of` gives; a new contiguous array unless it is 0."""
    if clockwise % 360 == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=-(clockwise // 90) % 4))


def _frame_rate(stream: av.VideoStream) -> float:
    """Nominal frame rate: the stream's base rate when the average agrees with it.

    Why: the average is skewed by a stretched first frame or a short clip (29.79 for a
    3 s 30 fps recording); the base rate is exact for constant-rate video but can be a
    meaningless timebase-sized number for variable-rate phone clips.
    """
    average: Fraction | None = stream.average_rate
    base: Fraction | None = stream.base_rate or stream.guessed_rate
    if average and base and abs(float(average) - float(base)) <= 0.05 * float(base):
        return float(base)
    if average:
        return float(average)
    return float(base) if base else 0.0


def _duration(container: av.container.InputContainer, stream: av.VideoStream) -> float:
    if container.duration and container.duration > 0:
        return container.duration / 1_000_000.0
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    # Partial files (e.g. a recording cut by a crash): find the last packet's end.
    end = 0.0
    with contextlib.suppress(av.FFmpegError, OSError):
        container.seek(0)
        for packet in container.demux(stream):
            if packet.pts is None or packet.time_base is None:
                continue
            t = float((packet.pts + (packet.duration or 0)) * packet.time_base)
            end = max(end, t)
    start = (
        float(stream.start_time * stream.time_base)
        if stream.start_time and stream.time_base
        else 0.0
    )
    return max(0.0, end - start)


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Describe the video at ``path``; raises ``MediaError`` for a non-video or broken file."""
    p = Path(path)
    container = open_video(p)
    try:
        stream = container.streams.video[0]
        first: av.VideoFrame | None = None
        try:
            for frame in container.decode(stream):
                first = frame
                break
        except (av.FFmpegError, OSError):
            first = None
        if first is None:
            raise _not_a_video(p)
        rotation = rotation_of(first, stream)
        width, height = first.width, first.height
        if rotation in (90, 270):
            width, height = height, width
        fps = _frame_rate(stream)
        audio = container.streams.audio[0] if container.streams.audio else None
        codec = stream.codec_context.name if stream.codec_context else "unknown"
        duration = _duration(container, stream)
        return VideoInfo(
            duration_s=round(duration, 3),
            width=int(width),
            height=int(height),
            fps=round(fps, 3),
            rotation_deg=rotation,
            video_codec=codec,
            has_audio=audio is not None,
            audio_codec=audio.codec_context.name if audio is not None else None,
        )
    except av.FFmpegError:
        raise _not_a_video(p) from None
    finally:
        container.close()
