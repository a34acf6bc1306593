"""What a recording produced, and the A/V offset summary it reports."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RecordingResult", "offset_summary"]


@dataclass(frozen=True, slots=True)
class RecordingResult:
    """What a recording produced. ``error`` is set (one sentence) when a fault ended it.

    ``av_offset_*_ms``: how far the sound is from the picture, measured against the shared
    clock over the first and last second; positive means the sound comes early (EBU R37
    sign). ``None`` without sound.
    """

    path: Path
    seconds: float
    frames_captured: int
    frames_encoded: int
    frames_dropped: int
    has_audio: bool
    av_offset_start_ms: float | None
    av_offset_end_ms: float | None
    error: str | None = None
    warning: str | None = None
    auto_stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when the recording ended normally (stop, time limit or end of a file source)."""
        return self.error is None

    @property
    def dropped_percent(self) -> float:
        """Dropped frames as a percentage of captured frames."""
        return 100.0 * self.frames_dropped / self.frames_captured if self.frames_captured else 0.0


def offset_summary(offsets: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Median A/V offset (ms) over the first and the last second of ``(time, offset)`` pairs."""
    if not offsets:
        return None, None
    first_t, last_t = offsets[0][0], offsets[-1][0]
    start = [o for t, o in offsets if t <= first_t + 1.0]
    end = [o for t, o in offsets if t >= last_t - 1.0]
    return (
        round(statistics.median(start) * 1000.0, 1) + 0.0,  # + 0.0: no "-0.0"
        round(statistics.median(end) * 1000.0, 1) + 0.0,
    )
