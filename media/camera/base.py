"""What every video source shares: the ``Frame`` it yields and the ``CameraSource`` interface.

Why one interface: the recorder, the preview and the device test do not care where pictures
come from, and the synthetic and file cameras let everything be exercised on machines (CI,
this laptop's VM) that have no camera at all.

Every source yields ``Frame`` objects: an RGB ``uint8`` array and a timestamp on the shared
media clock (``media.clock``), so the recorder can line video up with audio.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

__all__ = ["CameraInfo", "CameraMode", "CameraSource", "Frame", "even"]


@dataclass(frozen=True, slots=True)
class Frame:
    """One picture: ``image`` is H×W×3 uint8 RGB, ``pts`` seconds on the shared media clock."""

    image: np.ndarray
    pts: float


@dataclass(frozen=True, slots=True)
class CameraMode:
    """A capture mode a device accepted when asked for it."""

    width: int
    height: int
    fps: float

    def __str__(self) -> str:
        return f"{self.width}x{self.height}@{self.fps:g}"


@dataclass(frozen=True, slots=True)
class CameraInfo:
    """A camera found by ``list_cameras``: its index (the ``--camera`` value), name and modes."""

    index: int
    name: str
    modes: tuple[CameraMode, ...]


class CameraSource(ABC):
    """Anything that yields ``Frame`` objects.

    ``read()`` blocks for at most about one frame interval and returns the next frame, or
    ``None`` when no frame is ready yet (live sources) or the source has ended (files).
    ``live`` tells the recorder whether the source runs on its own clock (a webcam cannot
    wait, so a slow encoder must drop frames) or can be paused (a file read as fast as asked).
    ``open()`` is idempotent so a camera already opened for the preview can be recorded.
    """

    name: str = "camera"
    width: int = 0
    height: int = 0
    fps: float = 30.0
    live: bool = True

    def __init__(self) -> None:
        self._is_open = False

    @property
    def is_open(self) -> bool:
        """Whether ``open()`` has succeeded and ``close()`` has not been called since."""
        return self._is_open

    def open(self) -> None:
        """Acquire the device or file; raises ``MediaError`` with a sentence naming it."""
        if not self._is_open:
            self._open()
            self._is_open = True

    def close(self) -> None:
        """Release the device or file (safe to call twice)."""
        if self._is_open:
            self._is_open = False
            self._close()

    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _close(self) -> None: ...

    @abstractmethod
    def read(self) -> Frame | None:
        """Return the next frame, or ``None`` (not ready yet / ended)."""

    def __enter__(self) -> CameraSource:
        self.open()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def even(value: float) -> int:
    """Round to the nearest even integer ≥ 2 (H.264 4:2:0 needs even sizes)."""
    return max(2, round(value / 2.0) * 2)
