"""The booth's camera and microphone lists: filled with what was found, and what a choice means.

Why its own object: looking for cameras opens each one (seconds on some laptops), so it runs
off the UI thread, and until it answers the list says "Looking for cameras…" rather than
offering a camera that may not be there. The choice is saved in the settings; the booth
is told through ``sig_changed`` and asks ``camera_spec()`` what to open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

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
    resolve_camera,
)
from app.context import Ripple
from ui.clips.booth_toolbar import BoothToolbar
from ui.kit.devices import look_for_devices

LOOKING = "Looking for cameras…"


class DeviceLists(QObject):
    """Fills the toolbar's camera and microphone boxes and saves what is chosen.

    ``finder`` returns the cameras found (``app.clips.devices.find_cameras`` unless a test
    says which cameras a laptop has) and ``mic_finder`` the microphones.
    """

    sig_changed = Signal()
    """() — the devices were found, or another camera or microphone was chosen."""

    def __init__(self, ctx: Ripple, toolbar: BoothToolbar, parent: QWidget,
                 finder: Callable[[], Sequence[CameraOption]] | None = None,
                 mic_finder: Callable[[], Sequence[MicrophoneOption]] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.toolbar = toolbar
        self.dialog_parent = parent
        self.finder: Callable[[], Sequence[CameraOption]] = finder or find_cameras
        self.mic_finder: Callable[[], Sequence[MicrophoneOption]] = mic_finder or find_microphones
        self.found: Found | None = None
        toolbar.camera_box.activated.connect(self._camera_chosen)
        toolbar.mic_box.activated.connect(self._mic_chosen)
        self.fill()

    def look(self) -> None:
        """Look for cameras in the background (microphones at once: QtMultimedia wants this thread)."""
        look_for_devices(self, self.finder, self.mic_finder, key="devices", on_found=self._found)

    def _found(self, found: Found) -> None:
        self.found = found
        self.fill()
        self.sig_changed.emit()

    def fill(self) -> None:
        settings = self.ctx.settings
        if self.found is None:
            self.toolbar.set_cameras(camera_options(settings.camera, None, LOOKING), settings.camera)
            self.toolbar.set_microphones([MicrophoneOption("Looking for microphones…", "")], "")
            return
        self.toolbar.set_cameras(camera_options(settings.camera, self.found), settings.camera)
        self.toolbar.set_microphones(microphone_options(self.found), self.microphone_shown())

    def microphone_shown(self) -> str:
        """The microphone entry to show: what the take will hear (``microphone_heard``)."""
        return microphone_heard(self.ctx.settings.microphone, self.camera_spec())

    def camera_spec(self) -> str | None:
        """What to open: the chosen camera, else the first found; ``None``: none found (yet)."""
        if self.found is None:
            return self.ctx.settings.camera or None
        return resolve_camera(self.ctx.settings.camera, self.found)

    @property
    def no_sound(self) -> bool:
        """Takes will be silent: "No sound" chosen, or no microphone found and no test tone chosen."""
        choice = self.ctx.settings.microphone
        if choice == "none":
            return True
        return choice != "synthetic" and self.found is not None and not self.found.microphones

    @property
    def searching(self) -> bool:
        return self.found is None and not self.ctx.settings.camera

    def _camera_chosen(self) -> None:
        spec = self.toolbar.camera_box.currentData()
        if spec == ASK_FOR_FILE:
            path, _ = QFileDialog.getOpenFileName(self.dialog_parent, "A video to use as the camera", str(Path.home()),
                                                  "Videos (*.mp4 *.mov *.mkv *.avi)")
            if not path:
                self.fill()
                return
            spec = path
        self.choose_camera(str(spec))

    def choose_camera(self, spec: str) -> None:
        """Use ``spec`` from now on (saved), as picking it in the list does."""
        self.ctx.settings.camera = spec
        self.ctx.save_settings()
        self.fill()
        self.sig_changed.emit()

    def _mic_chosen(self) -> None:
        self.ctx.settings.microphone = str(self.toolbar.mic_box.currentData())
        self.ctx.save_settings()
        self.sig_changed.emit()
