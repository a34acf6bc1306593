"""The Qt half of ``ripple --self-test`` (the ``selftest`` entry point of ``ripple.gui``).

``app/platform/selftest.py`` runs this in a child process and reads one JSON line per check
from its stdout: if the platform plugin cannot load, Qt aborts that child, and the parent
still reports it in a sentence. The checks: the platform plugin loads, a QtMultimedia backend
is there, ``QMediaPlayer`` has one and opens an H.264/AAC MP4 (the self-test's own clip), and
the list of cameras can be read (none connected is a warning, not a failure).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QMessageLogContext,
    QtMsgType,
    QUrl,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtWidgets import QApplication

from app.platform.selftest import Check

PLAYER_TIMEOUT_MS = 8000

_qt_messages: list[str] = []


def _capture(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    _qt_messages.append(message)


def _emit(check: Check) -> None:
    print(check.to_json(), flush=True)


def check_platform(app: QApplication) -> Check:
    name = QApplication.platformName() or "?"
    screen = app.primaryScreen()
    size = screen.size() if screen is not None else None
    where = f", screen {size.width()}x{size.height()}" if size is not None else ", no screen"
    return Check("Qt platform", True, f"{name}{where} (Qt {qVersion()})")


def check_multimedia_backend() -> Check:
    from PySide6.QtMultimedia import QMediaFormat, QMediaPlayer

    _qt_messages.clear()
    player = QMediaPlayer()
    available = player.isAvailable()
    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    del player
    said = " ".join(_qt_messages)
    if not available or not formats:
        reason = "“No QtMultimedia backends found”" if "No QtMultimedia backends" in said else "no backend"
        return Check("Multimedia backend", False,
                     f"{reason}: clips cannot be played (on Linux: the FFmpeg plugin's system "
                     "libraries are missing, see the README)")
    backend = "FFmpeg" if "FFmpeg" in said else "present"
    version = ""
    if "FFmpeg version" in said:
        version = " " + said.split("FFmpeg version", 1)[1].split()[0]
    return Check("Multimedia backend", True, f"{backend}{version}, decodes {len(formats)} file formats")


def has_player_backend() -> bool:
    """Whether ``QMediaPlayer`` can play at all on this machine (the tests ask this too)."""
    from PySide6.QtMultimedia import QMediaPlayer

    return bool(QMediaPlayer().isAvailable())


def check_player(clip: Path | None) -> Check:
    """``QMediaPlayer`` plays Ripple's kind of clip (MP4, H.264, AAC) to its end, frames and all.

    (``QMediaFormat.isSupported`` is no help: Qt's FFmpeg backend lists only royalty-free
    codecs there, yet decodes H.264 in software.)"""
    from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

    from ui.kit import players

    if not has_player_backend():
        return Check("Media player", False, "QMediaPlayer has no backend: clips cannot be played")
    if clip is None:
        return Check("Media player", True, "has a backend (no test clip to play)")
    player = QMediaPlayer()
    sink = QVideoSink()
    player.setVideoSink(sink)
    frames: list[bool] = []

    def on_frame(frame: QVideoFrame) -> None:
        frames.append(frame.isValid())

    sink.videoFrameChanged.connect(on_frame)
    player.setSource(QUrl.fromLocalFile(str(clip)))
    player.play()
    end = (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia)
    timer = QElapsedTimer()
    timer.start()
    while player.mediaStatus() not in end and timer.elapsed() < PLAYER_TIMEOUT_MS:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    status, error = player.mediaStatus(), player.errorString()
    seconds = player.duration() / 1000
    players.stop(player)
    shown = sum(frames)
    if status != QMediaPlayer.MediaStatus.EndOfMedia or shown == 0:
        why = error or (status.name if status != QMediaPlayer.MediaStatus.EndOfMedia else "no frame decoded")
        return Check("Media player", False, f"could not play an H.264/AAC MP4: {why}")
    return Check("Media player", True, f"played an H.264/AAC MP4 ({seconds:.2f} s, {shown} frames shown)")


def check_cameras() -> Check:
    from PySide6.QtMultimedia import QMediaDevices

    from ui.permissions import camera_permission

    permission = camera_permission()
    if permission == "denied":
        return Check("Cameras", False, "camera access is denied for Ripple: allow it in the "
                     "system's privacy settings", False)
    cameras = QMediaDevices.videoInputs()
    if not cameras:
        return Check("Cameras", False, "the camera list was read: no camera connected (the booth "
                     "can still import phone clips)", False)
    names = ", ".join(c.description() for c in cameras[:3]) + (" …" if len(cameras) > 3 else "")
    return Check("Cameras", True, f"{len(cameras)} found: {names}", False)


def run(clip: str | None = None) -> int:
    """Print one JSON line per check; exit status 0 when the required ones pass."""
    previous = qInstallMessageHandler(_capture)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    checks = [check_platform(app), check_multimedia_backend()]
    for check in checks:
        _emit(check)
    for fn in (lambda: check_player(Path(clip) if clip else None), check_cameras):
        try:
            check = fn()
        except Exception as exc:
            check = Check("Qt", False, f"{type(exc).__name__}: {exc}")
        _emit(check)
        checks.append(check)
    qInstallMessageHandler(previous)
    return 0 if all(c.ok or not c.required for c in checks) else 1
