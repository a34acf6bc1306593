"""Settings → Preferences: how Ripple looks, who the facilitator is, and the booth's defaults.

Each choice is saved as soon as it is made (``app.settings``, through ``Ripple.save_settings``):
there is no Save button to forget. The appearance applies at once to the whole window. The
facilitator's name goes on new workshops and on the consent a trainer records; the camera,
microphone and clip length are what the booth starts with (the booth can still switch them
for a take, and remembers that choice here). The cameras and microphones are looked for the
first time the card is shown (cameras off the UI thread: opening each takes a while), as the
booth does; until then the lists say so rather than offer a camera that may not be there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from app.clips.devices import (
    ASK_FOR_FILE,
    CameraOption,
    Found,
    MicrophoneOption,
    camera_options,
    find_cameras,
    find_microphones,
    microphone_heard,
    microphone_options,
)
from app.context import Ripple
from app.settings import CLIP_SECONDS, THEMES
from app.text import plural
from ui.kit import theme
from ui.kit.devices import look_for_devices
from ui.kit.widgets import Card, index_of, muted, section
from ui.settings.booth_pin import BoothPinSetting

LOOKING_CAMERAS = "Looking for cameras…"
LOOKING_MICROPHONES = "Looking for microphones…"


class PreferencesCard(Card):
    """Appearance, facilitator name, default camera and microphone, clip length."""

    sig_error = Signal(str)
    """(text: str) — one sentence for the banner (the settings file could not be written)."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None,
                 finder: Callable[[], Sequence[CameraOption]] | None = None,
                 mic_finder: Callable[[], Sequence[MicrophoneOption]] | None = None) -> None:
        """``finder``/``mic_finder``: the cameras and microphones the laptop has
        (``app.clips.devices`` unless a test says)."""
        super().__init__(parent)
        self.ctx = ctx
        self.finder: Callable[[], Sequence[CameraOption]] = finder or find_cameras
        self.mic_finder: Callable[[], Sequence[MicrophoneOption]] = mic_finder or find_microphones
        self.found: Found | None = None
        self._looked = False
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
        self.body.addWidget(section("Leaving booth mode"))
        self.body.addWidget(muted("With a PIN, a participant cannot leave the full-screen booth without you."))
        self.booth_pin = BoothPinSetting(ctx)
        self.body.addWidget(self.booth_pin)
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
        cameras = (camera_options(s.camera, None, LOOKING_CAMERAS) if self.found is None
                   else camera_options(s.camera, self.found))
        for option in cameras:
            if option.spec != ASK_FOR_FILE:  # a video file is the booth's to pick, for a take
                self.camera.addItem(option.label, option.spec)
        self.camera.setCurrentIndex(max(0, index_of(self.camera, s.camera)))
        self.microphone.clear()
        mics = microphone_options(self.found or Found())
        if self.found is None:
            mics[0] = MicrophoneOption(LOOKING_MICROPHONES, "")
        for mic in mics:
            self.microphone.addItem(mic.label, mic.spec)
        if index_of(self.microphone, s.microphone) < 0:
            self.microphone.addItem(f"{s.microphone} (not found)", s.microphone)
        self._show_microphone()
        self.clip_length.clear()
        lengths = sorted({*CLIP_SECONDS, round(s.max_clip_seconds)})
        for seconds in lengths:
            self.clip_length.addItem(f"At most {plural(seconds, 'second')}", float(seconds))
        self.clip_length.setCurrentIndex(index_of(self.clip_length, float(round(s.max_clip_seconds))))

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if not self._looked:
            self._looked = True
            self.look()

    def look(self) -> None:
        """Look for cameras in the background (microphones at once: QtMultimedia wants this thread)."""
        look_for_devices(self, self.finder, self.mic_finder, key="preferences-devices", on_found=self._found)

    def _found(self, found: Found) -> None:
        self.found = found
        self.load()

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

    def _show_microphone(self) -> None:
        """Select what a take will hear: with no microphone chosen, the test pattern's tone."""
        s = self.ctx.settings
        self.microphone.setCurrentIndex(max(0, index_of(self.microphone, microphone_heard(s.microphone, s.camera))))

    def _camera_chosen(self) -> None:
        self.ctx.settings.camera = str(self.camera.currentData())
        self._save()
        self._show_microphone()

    def _microphone_chosen(self) -> None:
        self.ctx.settings.microphone = str(self.microphone.currentData())
        self._save()

    def _clip_length_chosen(self) -> None:
        self.ctx.settings.max_clip_seconds = float(self.clip_length.currentData())
        self._save()
