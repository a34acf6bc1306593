"""The single monotonic clock that stamps both video frames and audio samples.

Why: audio and video only stay in sync if both streams are timestamped from the same
origin by the same clock. Wall time can jump (NTP, DST); ``time.monotonic_ns`` cannot.
All media timestamps (``Frame.pts``, ``AudioChunk.pts``) are seconds on this clock.
"""

from __future__ import annotations

import time

_ORIGIN_NS = time.monotonic_ns()


def now_ns() -> int:
    """Nanoseconds since the media clock's origin (process start of media/)."""
    return time.monotonic_ns() - _ORIGIN_NS


def now() -> float:
    """Seconds since the media clock's origin, as a float."""
    return now_ns() / 1e9


def sleep_until(t: float) -> None:
    """Sleep until the clock reads ``t`` seconds (returns at once if already past).

    Why: pacing synthetic and file sources against the same clock that stamps them keeps
    their timestamps honest even when the OS wakes us a little late.
    """
    delay = t - now()
    if delay > 0:
        time.sleep(delay)
