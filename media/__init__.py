"""Ripple's media layer: cameras, microphones, crash-safe recording, import, thumbnails, storage.

Pure Python + PyAV/OpenCV/numpy; QtCore/QtMultimedia only for the microphone. Nothing
here imports ``app``, ``ui`` or ``db``. Every user-facing failure is a ``MediaError``
whose ``str()`` is one sentence.
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported on first use: the app imports media.errors at start-up and must not pay for
# numpy, OpenCV and PyAV until a clip is recorded or played.
_WHERE: dict[str, str] = {
    "AudioChunk": "media.audio",
    "AudioSource": "media.audio",
    "CameraInfo": "media.camera",
    "CameraMode": "media.camera",
    "CameraSource": "media.camera",
    "ClipFiles": "media.storage",
    "DeviceCamera": "media.camera",
    "FileCamera": "media.camera",
    "Frame": "media.camera",
    "MediaError": "media.errors",
    "MicrophoneInfo": "media.audio",
    "QtMicrophone": "media.audio",
    "Recorder": "media.recorder",
    "RecordingResult": "media.recorder",
    "SyncMeasurement": "media.syncmeter",
    "SyntheticCamera": "media.camera",
    "SyntheticTone": "media.audio",
    "VideoInfo": "media.probe",
    "default_camera_spec": "media.camera",
    "default_microphone": "media.audio",
    "describe_devices": "media.devices",
    "import_video": "media.transcode",
    "list_cameras": "media.camera",
    "list_microphones": "media.audio",
    "measure_av_offset": "media.syncmeter",
    "open_camera": "media.camera",
    "poster_frame": "media.thumbnails",
    "probe": "media.probe",
    "record_test": "media.devices",
    "rms_level": "media.audio",
    "salvage": "media.recorder",
    "sha256_of": "media.storage",
}

__all__ = [
    "AudioChunk",
    "AudioSource",
    "CameraInfo",
    "CameraMode",
    "CameraSource",
    "ClipFiles",
    "DeviceCamera",
    "FileCamera",
    "Frame",
    "MediaError",
    "MicrophoneInfo",
    "QtMicrophone",
    "Recorder",
    "RecordingResult",
    "SyncMeasurement",
    "SyntheticCamera",
    "SyntheticTone",
    "VideoInfo",
    "default_camera_spec",
    "default_microphone",
    "describe_devices",
    "import_video",
    "list_cameras",
    "list_microphones",
    "measure_av_offset",
    "open_camera",
    "poster_frame",
    "probe",
    "record_test",
    "rms_level",
    "salvage",
    "sha256_of",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'media' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
