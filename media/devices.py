"""Device listing and a device test, for ``ripple devices`` and ``ripple clip record``.

Why: when a trainer's webcam "doesn't work" ten minutes before a workshop, these two
commands answer the questions that matter: which cameras and microphones the laptop
sees, in which modes, and whether a recording from them keeps every frame and stays in
sync.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

from media.audio import AudioSource, SyntheticTone, default_microphone, list_microphones
from media.camera.discovery import list_cameras, open_camera
from media.errors import MediaError
from media.recording.recorder import Recorder
from media.recording.result import RecordingResult

__all__ = ["describe_devices", "record_test"]

AudioChoice = Literal["default", "synthetic", "none"]


def describe_devices() -> str:
    """A human-readable list of cameras (with modes) and microphones."""
    lines: list[str] = ["Cameras:"]
    cameras = list_cameras()
    if cameras:
        for cam in cameras:
            modes = ", ".join(str(m) for m in cam.modes) or "no mode reported"
            lines.append(f"  {cam.index}: {cam.name} ({modes})")
    else:
        lines.append("  none found (use --camera synthetic or a video file to test)")
    lines.append("Microphones:")
    mics = list_microphones()
    if mics:
        for mic in mics:
            marker = " [default]" if mic.is_default else ""
            lines.append(f"  {mic.name}{marker}")
    else:
        lines.append("  none found (clips will be recorded without sound)")
    return "\n".join(lines)


def record_test(
    camera_spec: str,
    seconds: float,
    out: str | os.PathLike[str],
    width: int = 1280,
    height: int = 720,
    fps: float = 30,
    audio: AudioChoice = "default",
) -> RecordingResult:
    """Record ``seconds`` from ``camera_spec`` into ``out`` and return the result.

    ``camera_spec``: a camera number, ``"synthetic"`` or a video file. ``audio``:
    ``"default"`` microphone (none → video only, said in ``warning``), ``"synthetic"``
    beeping tone, or ``"none"``. With the synthetic camera and tone the beeps line up
    with the picture's flashes, so the file itself can be checked with
    ``media.syncmeter.measure_av_offset``.
    """
    if seconds <= 0:
        raise MediaError("The test recording needs a length of more than 0 seconds.")
    target = Path(out)
    if target.suffix.lower() != ".mp4":
        raise MediaError(f"The test recording must be an .mp4 file, not “{target.name}”.")
    camera = open_camera(camera_spec, width, height, fps)
    source: AudioSource | None
    if audio == "synthetic":
        source = SyntheticTone(freq=1000.0, beep=True)
    elif audio == "none":
        source = None
    elif audio == "default":
        source = default_microphone()
    else:
        camera.close()
        raise MediaError(f"Unknown audio choice “{audio}”: use default, synthetic or none.")
    recorder = Recorder(camera, source, target, max_seconds=seconds)
    try:
        recorder.start()
        result = recorder.wait(timeout=seconds + 30.0)
        if result is None:
            result = recorder.stop()
    finally:
        camera.close()
    if audio == "none" and result.warning is not None:
        result = _replace_warning(result, None)
    return result


def _replace_warning(result: RecordingResult, warning: str | None) -> RecordingResult:
    return replace(result, warning=warning)
