"""A hybrid logical clock: the row version used for last-writer-wins.

Why not wall-clock time: a laptop whose clock runs hours ahead would win every conflict
forever. An HLC keeps close to physical time but never goes backwards and moves past every
version it has seen, so once a laptop has pulled a "future" row, its next edit still wins.

A stamp is a fixed-width string ``"<ms:015d>-<counter:05d>-<node>"`` so that plain string
comparison (in Python and in SQL) is the HLC order, with the node id breaking ties.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

_MS_WIDTH = 15
_COUNTER_WIDTH = 5
_COUNTER_MAX = 10**_COUNTER_WIDTH - 1


#: One stamp, as a regular expression (no anchors): what every check of a stamp from
#: elsewhere (a pulled row, a portable file's clock) holds it to.
STAMP_PATTERN = r"\d{15}-\d{5}-[^-\s\x00]{1,26}"
_STAMP = re.compile(rf"^{STAMP_PATTERN}$")


def is_stamp(value: object) -> bool:
    """Whether ``value`` is a stamp as Ripple writes them."""
    return isinstance(value, str) and _STAMP.match(value) is not None


def format_stamp(ms: int, counter: int, node: str) -> str:
    return f"{ms:0{_MS_WIDTH}d}-{counter:0{_COUNTER_WIDTH}d}-{node}"


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    ms, counter, node = stamp.split("-", 2)
    return int(ms), int(counter), node


class HybridLogicalClock:
    """Thread-safe HLC for one device (one local store)."""

    def __init__(self, node: str, now_ms: Callable[[], int] | None = None) -> None:
        if "-" in node or not node:
            raise ValueError("node id must be non-empty and contain no '-'")
        self.node = node
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def wall_ms(self) -> int:
        """The wall clock this HLC reads (skewed in tests), in ms since the epoch."""
        return self._now_ms()

    def tick(self, *after: str) -> str:
        """A new stamp, later than every stamp this clock has issued or observed, and than
        every stamp in ``after`` (the versions a write replaces: a shared store's clock in
        this process has not seen what another process wrote there, and a new version
        older than the row it replaces would lose to it on every other store)."""
        with self._lock:
            for stamp in after:
                try:
                    self._observe(stamp)
                except ValueError:
                    continue  # not a stamp (never written by Ripple): nothing to be later than
            wall = self._now_ms()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._bump()
            return format_stamp(self._ms, self._counter, self.node)

    def observe(self, stamp: str) -> None:
        """Move past a stamp seen on a row from another device (on pull)."""
        with self._lock:
            self._observe(stamp)

    def _observe(self, stamp: str) -> None:
        ms, counter, _node = parse_stamp(stamp)
        if (ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = ms, counter

    def _bump(self) -> None:
        if self._counter >= _COUNTER_MAX:
            self._ms += 1
            self._counter = 0
        else:
            self._counter += 1
