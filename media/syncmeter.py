"""Measure A/V sync end to end in a recording of the synthetic camera + beeping tone.

Why: the recorder's own offset figures are computed from timestamps it produced itself;
this reads the finished *file* instead. Each video frame carries the clock time it was
captured (``SyntheticCamera``'s timestamp strip) and the tone beeps exactly on each clock
second, so any beep's position in the file can be compared with where the picture of the
same instant landed. Used by tests, ``bench/record_720p.py`` and ``record_test``.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass

import av
import numpy as np

from media.camera.synthetic import read_timecode
from media.probe import open_video

__all__ = ["SyncMeasurement", "measure_av_offset"]

_THRESHOLD = 0.05
_QUIET_BEFORE_S = 0.3


@dataclass(frozen=True, slots=True)
class SyncMeasurement:
    """Per-beep offsets in ms; positive means the sound comes before the picture."""

    offsets_ms: tuple[float, ...]
    frames_with_timecode: int

    @property
    def start_ms(self) -> float:
        """Offset at the first beep."""
        return self.offsets_ms[0]

    @property
    def end_ms(self) -> float:
        """Offset at the last beep."""
        return self.offsets_ms[-1]


def measure_av_offset(path: str | os.PathLike[str]) -> SyncMeasurement | None:
    """Offsets for every beep in ``path``, or ``None`` if it has no timecode or no beeps."""
    container = open_video(path)
    try:
        vstream = container.streams.video[0]
        vstream.thread_type = "AUTO"
        mapping: list[float] = []  # file time - capture clock time, per frame
        try:
            for frame in container.decode(vstream):
                if frame.time is None:
                    continue
                captured = read_timecode(frame.to_ndarray(format="gray"))
                if captured is not None:
                    mapping.append(frame.time - captured)
        except (av.FFmpegError, OSError):
            pass  # partial file: use what decoded
        if not mapping or not container.streams.audio:
            return None
        container.seek(0)
        astream = container.streams.audio[0]
        pieces: list[tuple[float, np.ndarray]] = []
        rate = astream.codec_context.sample_rate or 48000
        try:
            for aframe in container.decode(astream):
                data = aframe.to_ndarray()
                mono = (
                    data.mean(axis=0) if data.ndim == 2 and data.shape[0] > 1 else data.reshape(-1)
                )
                pieces.append((aframe.time or 0.0, mono.astype(np.float32)))
        except (av.FFmpegError, OSError):
            pass
    finally:
        container.close()
    if not pieces:
        return None
    # Place every decoded frame at its own timestamp: a gap in the track must stay a gap.
    start_time = min(t for t, _ in pieces)
    total = max(round((t - start_time) * rate) + len(x) for t, x in pieces)
    samples = np.zeros(total, dtype=np.float32)
    for t, x in pieces:
        at = round((t - start_time) * rate)
        samples[at : at + len(x)] = np.abs(x)
    loud = np.flatnonzero(samples > _THRESHOLD)
    if loud.size == 0:
        return None
    quiet = int(_QUIET_BEFORE_S * rate)
    gaps = np.diff(loud)
    onsets = [int(loud[0])] if loud[0] >= quiet else []
    onsets += [int(loud[i + 1]) for i in np.flatnonzero(gaps > quiet)]
    video_shift = statistics.median(mapping)
    offsets: list[float] = []
    for onset in onsets:
        audio_t = start_time + onset / rate
        clock_t = audio_t - video_shift
        second = round(clock_t)
        if abs(clock_t - second) > 0.3:
            continue
        video_t = second + video_shift
        offsets.append(round((video_t - audio_t) * 1000.0, 1) + 0.0)
    if not offsets:
        return None
    return SyncMeasurement(tuple(offsets), len(mapping))
