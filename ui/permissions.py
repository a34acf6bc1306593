"""Camera and microphone permission where the system gates them (macOS; Qt's ``QPermission``).

The macOS bundle declares why it wants them (``NSCameraUsageDescription`` and
``NSMicrophoneUsageDescription`` in packaging/ripple.spec) and carries the camera and
microphone entitlements; the system shows its question the first time Ripple asks, here.
Elsewhere nothing needs asking and the answer is "granted" at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def camera_permission() -> str:
    """``granted``, ``denied``, ``undetermined`` or ``not needed`` (Qt's ``QPermission``)."""
    if sys.platform not in ("darwin", "win32", "ios") and not sys.platform.startswith("android"):
        return "not needed"
    from PySide6.QtCore import QCameraPermission, Qt

    app = QCoreApplication.instance()
    if app is None:
        return "undetermined"
    status = app.checkPermission(QCameraPermission())
    return {
        Qt.PermissionStatus.Granted: "granted",
        Qt.PermissionStatus.Denied: "denied",
    }.get(status, "undetermined")


def request_media_permissions(done: Callable[[bool], None] | None = None) -> None:
    """Ask macOS (and other systems that gate it) for the camera and the microphone once;
    ``done(camera_granted)`` is called with the answer. Where nothing needs asking, it is
    called at once with True. ``ui/app.py`` asks once the window is up; asking again (the
    booth, before it opens the camera) shows nothing once the person has answered."""
    app = QCoreApplication.instance()
    if camera_permission() in ("not needed", "granted") or app is None:
        if done is not None:
            done(True)
        return
    from PySide6.QtCore import QCameraPermission, QMicrophonePermission, Qt

    def after_camera(permission: object) -> None:
        granted = app.checkPermission(QCameraPermission()) == Qt.PermissionStatus.Granted
        app.requestPermission(QMicrophonePermission(), app, lambda _p: None)
        if done is not None:
            done(granted)

    app.requestPermission(QCameraPermission(), app, after_camera)
