"""The review part of the booth: the take played back (play/pause, replay, scrubber), and
discard / retake / who may see it / title / keep.

Also ``big_button``, the look of the booth's take buttons (record, stop, retake, keep): big
enough to hit from a step away.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QFont
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.text import clock
from ui.kit import players, theme
from ui.kit.widgets import button, muted, relabel


def big_button(text: str, *, primary: bool = False, danger: bool = False, tip: str = "",
               icon: str = "") -> QPushButton:
    """A take button: twice a line high, in large bold type."""
    b = button(text, primary=primary, danger=danger, tip=tip, icon=icon)
    b.setMinimumHeight(b.fontMetrics().height() * 2 + 8)
    b.setFont(theme.font(1.15, QFont.Weight.Bold))
    return b


class ReviewPlayer(QWidget):
    """The take just recorded, played with its sound before it is kept, retaken or discarded.

    Play/pause, replay from the start, and a scrubber to find a moment: a participant
    checks the part they were unsure of without watching the whole take again.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.video = QVideoWidget()
        self.video.setMinimumSize(QSize(320, 180))
        self.player = QMediaPlayer(self)
        self.audio_out = QAudioOutput(self)
        self.player.setAudioOutput(self.audio_out)
        self.player.setVideoOutput(self.video)
        layout.addWidget(self.video, 1)
        row = QHBoxLayout()
        self.play_button = button("Pause", tip="Play or pause the take", icon="pause")
        self.replay_button = button("Replay", tip="Watch it again from the start", icon="replay")
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setAccessibleName("Position in the take")
        self.time_label = muted("00:00 / 00:00", wrap=False)
        row.addWidget(self.play_button)
        row.addWidget(self.replay_button)
        row.addWidget(self.scrubber, 1)
        row.addWidget(self.time_label)
        layout.addLayout(row)
        self.play_button.clicked.connect(self.toggle)
        self.replay_button.clicked.connect(self.replay)
        self.scrubber.sliderMoved.connect(self.player.setPosition)
        self.player.durationChanged.connect(self._duration)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._state)
        self.player.mediaStatusChanged.connect(self._status)
        self.ended = False  # played to the end: the last picture stays, Play starts again

    def play_file(self, path: Path) -> None:
        self.ended = False
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.play()

    def toggle(self) -> None:
        """Pause while playing, else play (from the start again once it has ended)."""
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        elif self.ended:
            self.replay()
        else:
            self.player.play()

    def replay(self) -> None:
        self.ended = False
        self.player.setPosition(0)
        self.player.play()

    def seek(self, ms: int) -> None:
        """Go to ``ms`` into the take, as dragging the scrubber does."""
        self.ended = False
        self.scrubber.setValue(ms)
        self.player.setPosition(ms)

    def clear(self) -> None:
        """Stop and let go of the file (so it can be moved into the store or deleted)."""
        players.unload(self.player)

    def _duration(self, ms: int) -> None:
        self.scrubber.setRange(0, max(0, ms))
        self._position(self.player.position())

    def _position(self, ms: int) -> None:
        if not self.scrubber.isSliderDown():
            self.scrubber.setValue(ms)
        # Whole seconds counted down on both sides, as the status line says "4 s recorded".
        self.time_label.setText(f"{clock(ms // 1000)} / {clock(self.player.duration() // 1000)}")

    def _status(self, status: QMediaPlayer.MediaStatus) -> None:
        """At the end, hold the last picture: the player went black, as if the take were lost."""
        if status == QMediaPlayer.MediaStatus.EndOfMedia and self.player.duration() > 0:
            self.ended = True
            self.player.setPosition(max(0, self.player.duration() - 40))
            self.player.pause()

    def _state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        relabel(self.play_button, "Pause" if playing else "Play", "pause" if playing else "play")


class KeepControls(QWidget):
    """Discard, retake, who may see the clip (the owner chooses), an optional title, and keep."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.discard_button = big_button("Discard", danger=True, icon="discard")
        self.discard_button.setToolTip("Throw this take away; nothing is kept")
        self.retake_button = big_button("Retake", icon="retake")
        self.keep_button = big_button("Keep this clip", primary=True, icon="keep")
        self.scope_room = QRadioButton("Only this room")
        self.scope_room.setChecked(True)
        self.scope_community = QRadioButton("May be shared beyond the room")
        self.scope_group = QButtonGroup(self)
        self.scope_group.addButton(self.scope_room)
        self.scope_group.addButton(self.scope_community)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("A title (optional)")
        self.title_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        top = QHBoxLayout()
        top.addWidget(self.scope_room)
        top.addWidget(self.scope_community)
        top.addWidget(self.title_edit, 1)
        rows.addLayout(top)
        row.addWidget(self.discard_button)
        row.addWidget(self.retake_button)
        row.addStretch(1)
        row.addWidget(self.keep_button)
        rows.addLayout(row)

    def offer(self, name: str, may_share: bool) -> None:
        """Set up for a new person: room only by default, beyond the room only with their consent."""
        self.scope_community.setEnabled(may_share)
        self.scope_community.setToolTip("" if may_share else f"{name} has not agreed to sharing beyond the room.")
        self.scope_room.setChecked(True)

    def scope(self) -> str:
        return "community" if self.scope_community.isChecked() else "room"

    def title(self) -> str:
        return self.title_edit.text()

    def clear_title(self) -> None:
        self.title_edit.clear()
