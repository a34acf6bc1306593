"""Stopping a ``QMediaPlayer`` without a chance of freezing the window.

Why: PySide6 keeps the GIL while a Python call of ``QMediaPlayer.stop()`` runs (``setSource``
releases it; ``stop`` does not). Stopping a clip that plays with sound tears down Qt's FFmpeg
audio renderer on its own thread. That teardown disconnects from our ``QAudioOutput``, a
Python wrapper, so Shiboken asks for the GIL while it holds a QObject lock that ``stop()`` on
the UI thread waits for: a deadlock (gdb showed both sides; 3 runs in 9 of 150 stops hung with
two busy cores beside it).

``stop`` here posts the C++ slot and delivers it at once with
``QCoreApplication.sendPostedEvents``, which PySide runs without the GIL. The player is
stopped when it returns, as after a plain call, and only the player's own queued calls run.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QMetaObject, Qt, QUrl
from PySide6.QtMultimedia import QMediaPlayer


def stop(player: QMediaPlayer) -> None:
    """Stop ``player`` now, with the GIL released while Qt tears its playback down."""
    if player.playbackState() == QMediaPlayer.PlaybackState.StoppedState:
        return
    QMetaObject.invokeMethod(player, "stop", Qt.ConnectionType.QueuedConnection)
    QCoreApplication.sendPostedEvents(player, QEvent.Type.MetaCall)


def unload(player: QMediaPlayer) -> None:
    """Stop ``player`` and let go of its file (so the file can be moved or deleted)."""
    stop(player)
    player.setSource(QUrl())  # PySide releases the GIL around setSource itself
