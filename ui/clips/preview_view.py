"""The booth's picture: the live camera (or the take as it records) with the 3-2-1 overlay, and the
``Bridge`` that brings pictures, levels and outcomes from the media threads to the UI thread."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy

from media.preview import shrink
from ui.kit import theme


def frame_to_image(rgb: np.ndarray) -> QImage:
    """A preview-sized copy of an RGB frame as a QImage (made off the UI thread, by the callback)."""
    small = shrink(rgb)
    h, w = small.shape[:2]
    return QImage(small.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class Bridge(QObject):
    """Signals emitted on the preview's and the recorder's threads, delivered on the UI thread.

    Pictures go through ``offer_frame``, never straight into ``sig_frame``: a queued signal per
    frame piles up whenever the UI thread paints slower than the camera sends (a busy laptop,
    two cores, a screen grab), and a tap on Stop then waits behind every picture queued before
    it: a take stopped at 6 s came out 16 s long. Only the newest picture waits for the UI.
    """

    sig_frame = Signal(QImage)
    """(image: QImage) — the latest picture, already preview-sized (on the UI thread)."""

    _sig_wake = Signal()
    """() — a picture is waiting in the mailbox (queued to the UI thread, at most one at a time)."""

    sig_level = Signal(float)
    """(level: float) — the microphone's loudness, 0..1."""

    sig_finished = Signal(object)
    """(result: media RecordingResult) — the take ended (stopped, limit or fault)."""

    sig_failed = Signal(object, object)
    """(preview: object, error: MediaError) — that preview lost (or never had) the camera."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._latest: QImage | None = None
        self._sig_wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def offer_frame(self, image: QImage) -> None:
        """Any thread: make ``image`` the next picture shown; an older one not shown yet is dropped."""
        with self._lock:
            waiting = self._latest is not None
            self._latest = image
        if not waiting:
            self._sig_wake.emit()

    def _deliver(self) -> None:
        with self._lock:
            image, self._latest = self._latest, None
        if image is not None:
            self.sig_frame.emit(image)


class PreviewView(QLabel):
    """Keeps the picture's aspect ratio, with a big overlay text for the countdown."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(QSize(320, 180))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background: #0b0d10; border-radius: 12px; color: white;")
        self._image: QImage | None = None
        self.overlay = QLabel(self)
        self.overlay.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.overlay.setStyleSheet("background: transparent; color: white;")
        self.overlay.setFont(theme.font(6.0, QFont.Weight.Black))
        self.overlay.hide()

    def show_image(self, image: QImage) -> None:
        self._image = image
        self._paint()

    def clear_image(self, text: str = "") -> None:
        self._image = None
        self.setPixmap(QPixmap())
        self.setText(text)

    def resizeEvent(self, e: Any) -> None:
        super().resizeEvent(e)
        self.overlay.setGeometry(self.rect())
        self._paint()

    def _paint(self) -> None:
        if self._image is None:
            return
        pix = QPixmap.fromImage(self._image).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.setPixmap(pix)
