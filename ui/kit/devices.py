"""Looking for cameras and microphones from a screen: the booth's lists and Settings share it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject

from app.clips.devices import CameraOption, Found, MicrophoneOption
from ui.tasks import run_task


def look_for_devices(
    owner: QObject,
    cameras: Callable[[], Sequence[CameraOption]],
    microphones: Callable[[], Sequence[MicrophoneOption]],
    *,
    key: str,
    on_found: Callable[[Found], None],
) -> None:
    """Cameras in the background (opening devices can take seconds), microphones at once
    (QtMultimedia wants this thread); ``on_found`` gets both."""
    mics = tuple(microphones())
    run_task(owner, cameras, lane="media", key=key, on_success=lambda found: on_found(Found(tuple(found), mics)))
