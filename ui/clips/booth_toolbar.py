"""The booth's toolbar: which workshop and agenda item, which camera, microphone and picture size,
import, booth mode."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from app.clips.devices import CameraOption, MicrophoneOption
from app.planning.views import WorkshopPlan, WorkshopSummary
from ui.kit.widgets import button, index_of, title


def _box(chars: int) -> QComboBox:
    """A list about ``chars`` wide whatever its entries (the full text is in its popup and tooltip):
    the lists share a row of a 1366-wide laptop."""
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(chars)
    box.currentTextChanged.connect(box.setToolTip)
    return box


class BoothToolbar(QWidget):
    """The trainer's controls above the booth (hidden in booth mode, for participants alone).

    It only fills and shows its lists; the booth connects to them and decides.
    """

    def __init__(self, video_height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        # Two rows: the title and the actions, then the lists. One row of five lists and two
        # buttons was wider than a 1366-wide laptop in the theme's fonts (the window grew).
        bar = QHBoxLayout()
        bar.addWidget(title("Recording booth", 1.4))
        bar.addStretch(1)
        self.workshop_box = _box(24)
        self.item_box = _box(20)
        self.camera_box = _box(14)
        self.mic_box = _box(16)
        self.quality_box = QComboBox()
        self.quality_box.addItem("720p", 720)
        self.quality_box.addItem("1080p", 1080)
        self.quality_box.setToolTip("Picture size of new recordings (720p is lighter on the laptop)")
        self.quality_box.setCurrentIndex(1 if video_height == 1080 else 0)
        self.import_button = button("Import phone clip…", icon="import",
                                    tip="A video shot on a phone (.mp4, .mov), turned upright")
        self.mode_button = button("Booth mode", primary=True, icon="booth_mode",
                                  tip="Full screen, for participants on their own")
        bar.addWidget(self.import_button)
        bar.addWidget(self.mode_button)
        rows.addLayout(bar)
        lists = QHBoxLayout()
        for w, stretch in ((self.workshop_box, 3), (self.item_box, 3), (self.camera_box, 2), (self.mic_box, 2),
                           (self.quality_box, 0)):
            lists.addWidget(w, stretch)
        rows.addLayout(lists)

    def set_workshops(self, workshops: Sequence[WorkshopSummary]) -> None:
        """List the workshops (quietly: choosing one is the booth's call)."""
        self.workshop_box.blockSignals(True)
        self.workshop_box.clear()
        for w in workshops:
            self.workshop_box.addItem(f"{w.title} · {w.started_at.astimezone():%d %b}", w.id)
        self.workshop_box.blockSignals(False)

    def set_items(self, plan: WorkshopPlan) -> None:
        """List the agenda items; the current one, else the first clip round, is selected."""
        self.item_box.blockSignals(True)
        self.item_box.clear()
        self.item_box.addItem("No agenda item", None)
        default = 0
        for i, a in enumerate(plan.agenda, start=1):
            self.item_box.addItem(a.title, a.id)
            if a.id == plan.current_item_id or (not default and a.kind == "clip_round"):
                default = i
        self.item_box.setCurrentIndex(default)
        self.item_box.blockSignals(False)

    def set_cameras(self, options: Sequence[CameraOption], current: str) -> None:
        """List the camera options with ``current`` selected (the first one if it is not listed)."""
        self.camera_box.blockSignals(True)
        self.camera_box.clear()
        for option in options:
            self.camera_box.addItem(option.label, option.spec)
        self.camera_box.setCurrentIndex(max(0, index_of(self.camera_box, current)))
        self.camera_box.blockSignals(False)

    def set_microphones(self, options: Sequence[MicrophoneOption], current: str) -> None:
        """List the microphone options with ``current`` selected (the first one if it is not listed)."""
        self.mic_box.blockSignals(True)
        self.mic_box.clear()
        for option in options:
            self.mic_box.addItem(option.label, option.spec)
        self.mic_box.setCurrentIndex(max(0, index_of(self.mic_box, current)))
        self.mic_box.blockSignals(False)

    def set_choosing(self, enabled: bool) -> None:
        """The lists can be changed only before a take starts and after it is reviewed."""
        for box in (self.workshop_box, self.item_box, self.camera_box, self.mic_box, self.quality_box):
            box.setEnabled(enabled)

    def workshop_index(self, workshop_id: uuid.UUID) -> int:
        return index_of(self.workshop_box, workshop_id)
