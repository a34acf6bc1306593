"""What the capture and encoder threads of one recording share while it runs."""

from __future__ import annotations

import threading

__all__ = ["Shared"]


class Shared:
    """Flags, the time origin, warnings and the first error of one recording.

    ``stop`` ends the recording (``stop()``, the time limit, a fault); ``abandon`` says the
    capture thread is stuck in a camera read, so the encoder finishes without it;
    ``finished`` is set once the file is closed and the result is ready. ``t0`` is the clock
    time of the first captured frame: the capture thread sets it before queueing that frame
    and the encoder reads it after dequeueing one, so the queue orders the two.
    """

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.abandon = threading.Event()
        self.finished = threading.Event()
        self.t0: float | None = None
        self.warnings: list[str] = []
        self.error: str | None = None
        self._lock = threading.Lock()

    def fail(self, sentence: str, force: bool = False) -> None:
        """Record why the recording stopped (the first fault wins unless ``force``) and stop it."""
        with self._lock:
            if self.error is None or force:
                self.error = sentence
        self.stop.set()

    def warning_text(self) -> str | None:
        """The warnings as one text, each said once, or ``None``."""
        return " ".join(dict.fromkeys(self.warnings)) or None
