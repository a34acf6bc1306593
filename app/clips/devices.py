"""Which camera and microphone the booth records with, the fallbacks, and what to say when none.

The settings hold the choice (``Settings.camera``: ``""`` for the laptop's camera if there
is one, ``"synthetic"``, a device index or a video file; ``Settings.microphone``: ``""``
for the default input, ``"synthetic"`` or ``"none"``). This module turns that choice into
opened ``media`` sources, so the booth only shows the options and the outcome. ``media`` is
imported when a source is opened: the app must not pay for OpenCV and PyAV at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.settings import Settings

if TYPE_CHECKING:
    from media.audio import AudioSource
    from media.camera.base import CameraSource

__all__ = [
    "ASK_FOR_FILE",
    "NO_MICROPHONE_NOTE",
    "CameraOption",
    "Sources",
    "camera_options",
    "capture_size",
    "choose_microphone",
    "open_sources",
]

ASK_FOR_FILE = "file"
"""The camera option that asks for a video file; the file's path becomes the spec."""

NO_MICROPHONE_NOTE = "No microphone: video only"

CAPTURE_FPS = 30


@dataclass(frozen=True)
class CameraOption:
    """One entry of the booth's camera list: what it says and the spec it stands for."""

    label: str
    spec: str


@dataclass(frozen=True)
class Sources:
    """The opened camera and the microphone (``None``: none, or none wanted) for a take."""

    camera: CameraSource
    audio: AudioSource | None

    def close(self) -> None:
        """Release the camera (the microphone is started and stopped by whoever reads it)."""
        self.camera.close()


def camera_options(current: str) -> list[CameraOption]:
    """The laptop's camera, the test pattern, a video file, and the current choice if it is none of those."""
    options = [
        CameraOption("Laptop camera", ""),
        CameraOption("Synthetic test pattern", "synthetic"),
        CameraOption("Video file as camera…", ASK_FOR_FILE),
    ]
    if current and current not in ("", "synthetic"):
        label = f"Camera {current}" if current.isdigit() else Path(current).name
        options.append(CameraOption(label, current))
    return options


def capture_size(video_height: int) -> tuple[int, int]:
    """(width, height) asked of the camera: 1080p when chosen, else 720p (lighter on the laptop)."""
    return (1920, 1080) if video_height == 1080 else (1280, 720)


def choose_microphone(choice: str, camera_spec: str) -> AudioSource | None:
    """The microphone for ``choice``; the test pattern comes with its beeping tone, so sync shows.

    ``None`` when none is wanted or the laptop has none (the booth then says video only).
    """
    from media.audio import SyntheticTone, default_microphone

    if choice == "none":
        return None
    if choice == "synthetic" or camera_spec == "synthetic":
        return SyntheticTone(440.0, beep=True)
    return default_microphone()


def open_sources(settings: Settings) -> Sources:
    """Open the chosen camera at the chosen size, and pick the microphone.

    Nothing chosen means the laptop's camera, or the test pattern on a laptop without one.
    A chosen camera that cannot be opened raises ``MediaError`` naming it.
    """
    from media.camera.discovery import default_camera_spec, open_camera

    spec = settings.camera or default_camera_spec()
    width, height = capture_size(settings.video_height)
    camera = open_camera(spec, width, height, CAPTURE_FPS)
    return Sources(camera, choose_microphone(settings.microphone, spec))
