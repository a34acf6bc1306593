"""The booth's picture: the live camera (or the take as it records) with the 3-2-1 overlay, and the
``Bridge`` that brings pictures, levels and outcomes from the media threads to the UI thread."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy

from media.preview import shrink
from ui.kit import theme
from ui.kit.frames import FrameMailbox


def frame_to_image(rgb: np.ndarray) -> QImage:
    """A preview-sized copy of an RGB frame as a QImage (made off the UI thread, by the callback)."""
    small = shrink(rgb)
    h, w = small.shape[:2]
    return QImage(small.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class Bridge(FrameMailbox):
    """Signals emitted on the preview's and the recorder's threads, delivered on the UI thread.

    Pictures go through ``offer_frame`` (the kit's :class:`FrameMailbox`), never straight into
    ``sig_frame``: only the newest picture waits for the UI, so a tap on Stop never waits
    behind a queue of frames.
    """

    sig_level = Signal(float)
    """(level: float) — the microphone's loudness, 0..1."""

    sig_finished = Signal(object)
    """(result: media RecordingResult) — the take ended (stopped, limit or fault)."""

    sig_failed = Signal(object, object)
    """(preview: object, error: MediaError) — that preview lost (or never had) the camera."""


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
