"""The review part of the booth: the take played back, and retake / who may see it / title / keep.

Also ``big_button``, the look of the booth's take buttons (record, stop, retake, keep): big
enough to hit from a step away.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QFont
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from ui.kit import theme
from ui.kit.widgets import button


def big_button(text: str, *, primary: bool = False, tip: str = "") -> QPushButton:
    """A take button: twice a line high, in large bold type."""
    b = button(text, primary=primary, tip=tip)
    b.setMinimumHeight(b.fontMetrics().height() * 2 + 8)
    b.setFont(theme.font(1.15, QFont.Weight.Bold))
    return b


class ReviewPlayer(QVideoWidget):
    """The take just recorded, played with its sound before it is kept or taken again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(320, 180))
        self.player = QMediaPlayer(self)
        self.audio_out = QAudioOutput(self)
        self.player.setAudioOutput(self.audio_out)
        self.player.setVideoOutput(self)

    def play_file(self, path: Path) -> None:
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.play()

    def clear(self) -> None:
        """Stop and let go of the file (so it can be moved into the store or deleted)."""
        self.player.stop()
        self.player.setSource(QUrl())


class KeepControls(QWidget):
    """Retake, who may see the clip (the owner chooses), an optional title, and keep."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.retake_button = big_button("Retake")
        self.keep_button = big_button("Keep this clip", primary=True)
        self.scope_room = QRadioButton("Only this room")
        self.scope_room.setChecked(True)
        self.scope_community = QRadioButton("May be shared beyond the room")
        self.scope_group = QButtonGroup(self)
        self.scope_group.addButton(self.scope_room)
        self.scope_group.addButton(self.scope_community)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("A title (optional)")
        row.addWidget(self.retake_button)
        row.addWidget(self.scope_room)
        row.addWidget(self.scope_community)
        row.addWidget(self.title_edit, 1)
        row.addWidget(self.keep_button)

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
