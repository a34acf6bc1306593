"""Whether the UI thread kept running while work went on elsewhere, measured so that a slow,
loaded machine does not fail it: the longest gap between two turns of the event loop against
the time the whole thing took. A UI thread that waited for the work has one gap as long as the
work; one that kept running has many short ones, however slow the machine."""

from __future__ import annotations

import time
from itertools import pairwise
from types import TracebackType

from PySide6.QtCore import QTimer


class Heartbeat:
    """A zero-interval (or ``interval_ms``) timer on the UI thread, stamped at every turn.

    Use as a context around the work; afterwards :attr:`longest_gap` and :attr:`elapsed`."""

    def __init__(self, interval_ms: int = 0) -> None:
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)
        self.beats: list[float] = []
        self._started = 0.0
        self._ended = 0.0

    def _beat(self) -> None:
        self.beats.append(time.monotonic())

    def __enter__(self) -> Heartbeat:
        self._started = time.monotonic()
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._timer.stop()
        self._ended = time.monotonic()

    @property
    def elapsed(self) -> float:
        """Seconds from entering to leaving the context."""
        return self._ended - self._started

    @property
    def longest_gap(self) -> float:
        """The longest stretch, in seconds, in which the event loop did not turn (from the
        start to the first beat, between beats, from the last beat to the end)."""
        stamps = [self._started, *self.beats, self._ended]
        return max(b - a for a, b in pairwise(stamps))

    def kept_running(self, share: float = 0.5) -> bool:
        """Whether no single stall took more than ``share`` of the whole time."""
        return len(self.beats) > 1 and self.longest_gap < share * self.elapsed
