"""The one way a camera's pictures reach the UI thread: a mailbox that holds only the newest.

A queued signal per frame piles up whenever the UI thread paints slower than the camera sends
(a busy laptop, two cores, a screen grab), and a tap on Stop then waits behind every picture
queued before it: a take stopped at 6 s came out 16 s long. Here a picture offered while an
older one is still waiting replaces it, and at most one wake-up is queued at a time. The
booth's preview (ui/clips/preview_view.py) and the live round recorder (ui/live) both use it.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage


class FrameMailbox(QObject):
    """``offer_frame`` from any thread; ``sig_frame`` on the UI thread with the newest picture."""

    sig_frame = Signal(QImage)
    """(image: QImage) — the latest picture (on the UI thread)."""

    sig_wake = Signal()
    """() — a picture is waiting in the mailbox (queued to the UI thread, at most one at a time)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._latest: QImage | None = None
        self.sig_wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def offer_frame(self, image: QImage) -> None:
        """Any thread: make ``image`` the next picture shown; an older one not shown yet is dropped."""
        with self._lock:
            waiting = self._latest is not None
            self._latest = image
        if not waiting:
            self.sig_wake.emit()

    def pending(self) -> int:
        """How many pictures wait for the UI thread (0 or 1)."""
        with self._lock:
            return 0 if self._latest is None else 1

    def _deliver(self) -> None:
        with self._lock:
            image, self._latest = self._latest, None
        if image is not None:
            self.sig_frame.emit(image)
