"""Settings → Preferences: how Ripple looks, who the facilitator is, and the booth's defaults.

Each choice is saved as soon as it is made (``app.settings``, through ``Ripple.save_settings``):
there is no Save button to forget. The appearance applies at once to the whole window. The
facilitator's name goes on new workshops and on the consent a trainer records; the camera,
microphone and clip length are what the booth starts with (the booth can still switch the
camera for a take, and remembers that choice here).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from app.clips.devices import ASK_FOR_FILE, camera_options
from app.context import Ripple
from app.settings import CLIP_SECONDS, THEMES
from app.text import plural
from ui.kit import theme
from ui.kit.widgets import Card, index_of, muted, section

MICROPHONES: dict[str, str] = {
    "": "The laptop's microphone",
    "synthetic": "Test tone",
    "none": "No microphone (video only)",
}
"""The microphone choices: ``Settings.microphone`` → label."""


class PreferencesCard(Card):
    """Appearance, facilitator name, default camera and microphone, clip length."""

    sig_error = Signal(str)
    """(text: str) — one sentence for the banner (the settings file could not be written)."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.body.addWidget(section("Preferences"))
        # Two columns: how Ripple looks and who runs it; what the booth starts with.
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.appearance = QComboBox()
        for code, label in THEMES.items():
            self.appearance.addItem(label, code)
        self.facilitator = QLineEdit()
        self.facilitator.setPlaceholderText("Your name, as participants know you")
        self.camera = QComboBox()
        self.microphone = QComboBox()
        for code, label in MICROPHONES.items():
            self.microphone.addItem(label, code)
        self.clip_length = QComboBox()
        cells: tuple[tuple[int, int, str, QWidget], ...] = (
            (0, 0, "Appearance", self.appearance), (1, 0, "Facilitator", self.facilitator),
            (0, 1, "Camera", self.camera), (1, 1, "Microphone", self.microphone), (2, 1, "Clip length", self.clip_length),
        )
        for row, column, text, field in cells:
            caption = QLabel(text)
            caption.setBuddy(field)
            grid.addWidget(caption, row, 2 * column, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(field, row, 2 * column + 1)
        grid.setColumnMinimumWidth(2, self.fontMetrics().averageCharWidth() * 14)
        self.body.addLayout(grid)
        self.body.addWidget(muted("The facilitator's name goes on new workshops and on the consent you record. "
                                  "The booth starts with this camera, microphone and clip length."))
        self.load()
        self.appearance.activated.connect(self._appearance_chosen)
        self.facilitator.editingFinished.connect(self._facilitator_edited)
        self.camera.activated.connect(self._camera_chosen)
        self.microphone.activated.connect(self._microphone_chosen)
        self.clip_length.activated.connect(self._clip_length_chosen)

    def load(self) -> None:
        """Show what the settings hold now (the booth may have switched the camera)."""
        s = self.ctx.settings
        self.appearance.setCurrentIndex(max(0, index_of(self.appearance, s.theme)))
        self.facilitator.setText(s.facilitator)
        self.camera.clear()
        for option in camera_options(s.camera):
            if option.spec != ASK_FOR_FILE:  # a video file is the booth's to pick, for a take
                self.camera.addItem(option.label, option.spec)
        self.camera.setCurrentIndex(max(0, index_of(self.camera, s.camera)))
        if index_of(self.microphone, s.microphone) < 0:
            self.microphone.addItem(s.microphone, s.microphone)
        self.microphone.setCurrentIndex(index_of(self.microphone, s.microphone))
        self.clip_length.clear()
        lengths = sorted({*CLIP_SECONDS, round(s.max_clip_seconds)})
        for seconds in lengths:
            self.clip_length.addItem(f"At most {plural(seconds, 'second')}", float(seconds))
        self.clip_length.setCurrentIndex(index_of(self.clip_length, float(round(s.max_clip_seconds))))

    def _save(self) -> None:
        try:
            self.ctx.save_settings()
        except OSError as exc:
            self.sig_error.emit(f"The settings could not be saved: {exc.strerror or exc}.")

    def _appearance_chosen(self) -> None:
        self.ctx.settings.theme = str(self.appearance.currentData())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, self.ctx.settings.theme)
        self._save()

    def _facilitator_edited(self) -> None:
        name = " ".join(self.facilitator.text().split())
        self.facilitator.setText(name)
        if name != self.ctx.settings.facilitator:
            self.ctx.settings.facilitator = name
            self._save()

    def _camera_chosen(self) -> None:
        self.ctx.settings.camera = str(self.camera.currentData())
        self._save()

    def _microphone_chosen(self) -> None:
        self.ctx.settings.microphone = str(self.microphone.currentData())
        self._save()

    def _clip_length_chosen(self) -> None:
        self.ctx.settings.max_clip_seconds = float(self.clip_length.currentData())
        self._save()
