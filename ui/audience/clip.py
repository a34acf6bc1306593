"""A clip for the room: full screen with sound while it plays, then the owner's name and the
reactions it got."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.room.view import RoomClip
from ui.audience.style import palette, room_font
from ui.kit import players


class ClipStage(QStackedWidget):
    """Page 0: the video; page 1: who shared it and how the room reacted."""

    sig_finished = Signal()
    """() — the clip played to its end (or could not play)."""

    def __init__(self) -> None:
        super().__init__()
        self.video = QVideoWidget()
        self.video.setStyleSheet("background: black;")
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.video)
        self.player.mediaStatusChanged.connect(self._status)
        self.player.errorOccurred.connect(lambda *_: self.sig_finished.emit())
        self.after = QWidget()
        lay = QVBoxLayout(self.after)
        lay.addStretch(1)
        self.owner = QLabel()
        self.title = QLabel()
        self.reactions = QLabel()
        for w in (self.owner, self.title, self.reactions):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            w.setWordWrap(True)
            lay.addWidget(w)
        lay.addStretch(1)
        self.addWidget(self.video)
        self.addWidget(self.after)
        self.clip: RoomClip | None = None
        self._height = 720

    def scale_to(self, height: int) -> None:
        self._height = max(240, height)
        self.owner.setFont(room_font("headline", height, QFont.Weight.Bold))
        self.title.setFont(room_font("body", height))
        self.reactions.setFont(room_font("name", height, QFont.Weight.DemiBold))

    def show_clip(self, clip: RoomClip) -> None:
        p = palette()
        self.after.setStyleSheet(f"background: {p.bg};")
        self.owner.setStyleSheet(f"color: {p.text};")
        self.title.setStyleSheet(f"color: {p.muted};")
        self.reactions.setStyleSheet(f"color: {p.accent};")
        self.owner.setText(f"{clip.owner}'s clip")
        self.title.setText(clip.title)
        shown = [f"{label} {n}" for label, n in clip.reactions if n]
        self.reactions.setText("   ·   ".join(shown) if shown else "React now: Helpful · Inspired · Tried it")
        same = self.clip is not None and self.clip.clip_id == clip.clip_id
        self.clip = clip
        if clip.ended or not clip.path:
            players.stop(self.player)
            self.setCurrentWidget(self.after)
            return
        self.setCurrentWidget(self.video)
        if not same:
            self.player.setSource(QUrl.fromLocalFile(clip.path))
            self.player.play()

    def stop(self) -> None:
        players.stop(self.player)
        self.clip = None

    def _status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self.sig_finished.emit()
