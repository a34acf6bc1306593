"""Which camera and microphone the booth records with, the fallbacks, and what to say when none.

The settings hold the choice (``Settings.camera``: ``""`` for the laptop's camera if there
is one, ``"synthetic"``, a device index or a video file; ``Settings.microphone``: ``""``
for the default input, ``"synthetic"``, ``"none"`` or a device id). This module turns that
choice into opened ``media`` sources, so the booth only shows the options and the outcome.
The booth lists only devices ``find_devices`` actually found: a laptop without a webcam is
told "No camera found", never offered a "Laptop camera" that is not there. ``media`` is
imported when a source is opened or devices are looked for: the app must not pay for
OpenCV and PyAV at start-up.
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
    "NO_CAMERA_FOUND",
    "NO_CAMERA_SENTENCE",
    "NO_MICROPHONE_FOUND",
    "NO_MICROPHONE_NOTE",
    "CameraOption",
    "Found",
    "MicrophoneOption",
    "Sources",
    "camera_options",
    "capture_size",
    "choose_microphone",
    "find_cameras",
    "find_devices",
    "find_microphones",
    "microphone_heard",
    "microphone_options",
    "open_sources",
    "resolve_camera",
]

ASK_FOR_FILE = "file"
"""The camera option that asks for a video file; the file's path becomes the spec."""

NO_MICROPHONE_NOTE = "No microphone: this clip will have no sound"
"""Said next to the sound meter when the take will be silent (none found, or "No sound" chosen)."""

NO_CAMERA_FOUND = "No camera found"
"""The camera list's entry for "the laptop's camera" when the laptop has none."""

NO_CAMERA_SENTENCE = ("No camera found: plug one in, or choose the test pattern or a video file "
                      "as the camera.")

NO_MICROPHONE_FOUND = "No microphone found"

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


@dataclass(frozen=True)
class MicrophoneOption:
    """One entry of the booth's microphone list: what it says and the spec it stands for."""

    label: str
    spec: str


@dataclass(frozen=True)
class Found:
    """The cameras and microphones the laptop has right now (empty tuples: none)."""

    cameras: tuple[CameraOption, ...] = ()
    microphones: tuple[MicrophoneOption, ...] = ()


def find_cameras() -> tuple[CameraOption, ...]:
    """The cameras that open, named ``"<name> (<index>)"`` with the index as the spec.

    Slow on a laptop with cameras (each is opened and asked for its modes): run it off the
    UI thread.
    """
    from media.camera.discovery import list_cameras

    return tuple(CameraOption(f"{c.name} ({c.index})", str(c.index)) for c in list_cameras())


def find_microphones() -> tuple[MicrophoneOption, ...]:
    """The audio inputs, the default one first, by system name with the device id as spec.

    Quick, but it asks QtMultimedia: call it on the UI thread.
    """
    from media.audio import list_microphones

    mics = sorted(list_microphones(), key=lambda m: not m.is_default)
    return tuple(MicrophoneOption(m.name, m.id) for m in mics)


def find_devices() -> Found:
    """Both lists (``find_cameras`` and ``find_microphones``), for one-thread callers such as tests."""
    return Found(find_cameras(), find_microphones())


def camera_options(current: str, found: Found | None = None, none_label: str = NO_CAMERA_FOUND) -> list[CameraOption]:
    """The cameras found, the test pattern, a video file, and the current choice if it is none of those.

    Without any camera found, the first entry says so (``none_label``, spec ``""``): choosing
    nothing then means no picture, and the booth says why.
    """
    cameras = list(found.cameras) if found is not None else []
    options = cameras or [CameraOption(none_label, "")]
    options += [
        CameraOption("Synthetic test pattern", "synthetic"),
        CameraOption("Video file as camera…", ASK_FOR_FILE),
    ]
    if current and current not in ("", "synthetic") and all(o.spec != current for o in options):
        label = f"Camera {current} (not found)" if current.isdigit() else Path(current).name
        options.append(CameraOption(label, current))
    return options


def resolve_camera(choice: str, found: Found) -> str | None:
    """The camera spec to open for ``choice``: nothing chosen means the first camera found.

    ``None`` when nothing is chosen and no camera was found (the booth says ``NO_CAMERA_SENTENCE``).
    """
    if choice:
        return choice
    return found.cameras[0].spec if found.cameras else None


def microphone_options(found: Found) -> list[MicrophoneOption]:
    """The microphones found (or "No microphone found"), the test tone, and "No sound".

    The first entry's spec is ``""`` (the default input), so a saved ``""`` selects it.
    """
    mics = [MicrophoneOption(m.label, "" if i == 0 else m.spec) for i, m in enumerate(found.microphones)]
    options = mics or [MicrophoneOption(NO_MICROPHONE_FOUND, "")]
    return [*options, MicrophoneOption("Synthetic tone", "synthetic"), MicrophoneOption("No sound", "none")]


def capture_size(video_height: int) -> tuple[int, int]:
    """(width, height) asked of the camera: 1080p when chosen, else 720p (lighter on the laptop)."""
    return (1920, 1080) if video_height == 1080 else (1280, 720)


def microphone_heard(choice: str, camera_spec: str | None) -> str:
    """The microphone entry that names what a take will hear: ``choice``, except that with none
    chosen the test pattern brings its beeping tone (``"synthetic"``). The booth's and the
    settings' lists select it, so they never say "No microphone found" above a meter that moves."""
    return "synthetic" if not choice and camera_spec == "synthetic" else choice


def choose_microphone(choice: str, camera_spec: str) -> AudioSource | None:
    """The microphone for ``choice``; the test pattern comes with its beeping tone, so sync shows.

    ``None`` when none is wanted or the laptop has none (the booth then says so). A device id
    that is no longer there falls back to the default input.
    """
    from media.audio import QtMicrophone, SyntheticTone, default_microphone, list_microphones

    if choice == "none":
        return None
    if microphone_heard(choice, camera_spec) == "synthetic":
        return SyntheticTone(440.0, beep=True)
    if choice:
        match = next((m for m in list_microphones() if m.id == choice), None)
        if match is not None:
            return QtMicrophone(match.id, name=match.name)
    return default_microphone()


def open_sources(settings: Settings, camera_spec: str | None = None) -> Sources:
    """Open the chosen camera at the chosen size, and pick the microphone.

    ``camera_spec`` (from ``resolve_camera``) overrides the setting. Without either, nothing
    chosen means the laptop's camera, or the test pattern on a laptop without one (the
    round recorder's behaviour; the booth resolves first and says "No camera found").
    A chosen camera that cannot be opened raises ``MediaError`` naming it.
    """
    from media.camera.discovery import default_camera_spec, open_camera

    spec = camera_spec or settings.camera or default_camera_spec()
    width, height = capture_size(settings.video_height)
    camera = open_camera(spec, width, height, CAPTURE_FPS)
    return Sources(camera, choose_microphone(settings.microphone, spec))
