"""The recording booth: pick the person, see the prompt, 3-2-1, record, review, keep or retake.

Capture and encoding run on the media recorder's own threads; a small QThread feeds the live
preview before recording starts. Frames reach this widget as QImages through queued signals,
so the UI thread only paints.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QThread, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.clips import library as C
from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning import workshops as W
from app.planning.views import WorkshopPlan
from ui.kit import theme
from ui.kit.formats import fmt_clock
from ui.kit.widgets import Card, button, index_of, muted, section, title

log = logging.getLogger("ripple.ui.booth")
PREVIEW_WIDTH = 640


def frame_to_image(rgb: Any) -> QImage:
    """A scaled-down copy of an RGB frame as a QImage (made off the UI thread)."""
    import cv2

    h, w = rgb.shape[:2]
    if w > PREVIEW_WIDTH:
        rgb = cv2.resize(rgb, (PREVIEW_WIDTH, round(h * PREVIEW_WIDTH / w)), interpolation=cv2.INTER_AREA)
        h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class Bridge(QObject):
    """Signals emitted from the recorder's threads, delivered on the UI thread."""

    frame = Signal(QImage)
    level = Signal(float)
    finished = Signal(object)


class PreviewThread(QThread):
    """Reads the camera (and microphone) for the live preview before a take."""

    def __init__(self, camera: Any, audio: Any, bridge: Bridge) -> None:
        super().__init__()
        self.camera, self.audio, self.bridge = camera, audio, bridge
        self._running = True
        self.error: str | None = None

    def stop(self) -> None:
        self._running = False
        self.wait(3000)

    def run(self) -> None:
        from media.audio import rms_level
        from media.errors import MediaError

        shown = 0.0
        try:
            if not self.camera.is_open:
                self.camera.open()
            if self.audio is not None:
                try:
                    self.audio.start()
                except MediaError:
                    self.audio = None
            while self._running:
                frame = self.camera.read()
                if frame is None:
                    self.msleep(5)
                    continue
                if frame.pts - shown >= 1 / 15:  # 15 fps is plenty for a preview
                    shown = frame.pts
                    self.bridge.frame.emit(frame_to_image(frame.image))
                if self.audio is not None:
                    chunk = self.audio.read()
                    if chunk is not None:
                        self.bridge.level.emit(rms_level(chunk))
        except MediaError as exc:
            self.error = str(exc)
            self.bridge.finished.emit(exc)
        finally:
            if self.audio is not None:
                self.audio.stop()


class PreviewView(QLabel):
    """Keeps the picture's aspect ratio, with a big overlay text for the countdown."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(QSize(320, 180))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background: #0b0d10; border-radius: 12px; color: white;")
        self._image: QImage | None = None
        self.overlay = QLabel(self)
        self.overlay.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.overlay.setStyleSheet("background: transparent; color: white;")
        self.overlay.setFont(theme.font(6.0, QFont.Weight.Black))
        self.overlay.hide()

    def show_image(self, image: QImage) -> None:
        self._image = image
        self._paint()

    def clear_image(self, text: str = "") -> None:
        self._image = None
        self.setPixmap(QPixmap())
        self.setText(text)

    def resizeEvent(self, e: Any) -> None:
        super().resizeEvent(e)
        self.overlay.setGeometry(self.rect())
        self._paint()

    def _paint(self) -> None:
        if self._image is None:
            return
        pix = QPixmap.fromImage(self._image).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.setPixmap(pix)


class Booth(QWidget):
    error = Signal(str)
    info = Signal(str)
    booth_mode = Signal(bool)
    clip_kept = Signal(object)

    STATES = ("pick", "ready", "countdown", "recording", "review")

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Page")
        self.plan: WorkshopPlan | None = None
        self.participant_id: uuid.UUID | None = None
        self.state = "pick"
        self.camera: Any = None
        self.audio: Any = None
        self.preview: PreviewThread | None = None
        self.take: C.Recording | None = None
        self.result: Any = None
        self.in_booth_mode = False
        self.bridge = Bridge()
        self.bridge.frame.connect(self._on_frame)
        self.bridge.level.connect(self._on_level)
        self.bridge.finished.connect(self._on_finished)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        self.toolbar = QWidget()
        bar = QHBoxLayout(self.toolbar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(title("Recording booth", 1.4))
        bar.addStretch(1)
        self.workshop_box = QComboBox()
        self.workshop_box.setMinimumContentsLength(24)
        self.workshop_box.currentIndexChanged.connect(self._workshop_chosen)
        self.item_box = QComboBox()
        self.item_box.setMinimumContentsLength(18)
        self.item_box.currentIndexChanged.connect(self._item_chosen)
        self.camera_box = QComboBox()
        self.camera_box.setToolTip("Where the picture comes from")
        self.camera_box.activated.connect(self._camera_chosen)
        self.quality_box = QComboBox()
        self.quality_box.addItem("720p", 720)
        self.quality_box.addItem("1080p", 1080)
        self.quality_box.setToolTip("Picture size of new recordings (720p is lighter on the laptop)")
        self.quality_box.setCurrentIndex(1 if ctx.settings.video_height == 1080 else 0)
        self.quality_box.activated.connect(self._quality_chosen)
        imp = button("Import phone clip…", tip="A video shot on a phone (.mp4, .mov), turned upright")
        imp.clicked.connect(self._import_dialog)
        self.mode_button = button("Booth mode", primary=True, tip="Full screen, for participants on their own")
        self.mode_button.clicked.connect(lambda: self.set_booth_mode(True))
        for w in (self.workshop_box, self.item_box, self.camera_box, self.quality_box, imp, self.mode_button):
            bar.addWidget(w)
        outer.addWidget(self.toolbar)

        body = QHBoxLayout()
        outer.addLayout(body, 1)
        # -- who
        self.people_card = Card()
        self.people_card.body.addWidget(section("Who is recording?"))
        self.people_grid = QGridLayout()
        self.people_grid.setSpacing(8)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addLayout(self.people_grid)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.people_card.body.addWidget(scroll, 1)
        self.people_buttons: dict[uuid.UUID, QPushButton] = {}
        self.people_card.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)
        body.addWidget(self.people_card, 3)

        # -- stage
        stage = Card()
        self.prompt_title = QLabel()
        self.prompt_title.setFont(theme.font(1.35, QFont.Weight.Bold))
        self.prompt_title.setWordWrap(True)
        self.prompt_text = muted("")
        stage.body.addWidget(self.prompt_title)
        stage.body.addWidget(self.prompt_text)
        self.pages = QStackedWidget()
        self.view = PreviewView()
        self.player_widget = QVideoWidget()
        self.player_widget.setMinimumSize(QSize(320, 180))
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.player_widget)
        stage.body.addWidget(self.pages, 1)
        meter_row = QHBoxLayout()
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(self.fontMetrics().height() // 2)
        self.meter_label = muted("Sound", wrap=False)
        meter_row.addWidget(self.meter_label)
        meter_row.addWidget(self.meter, 1)
        stage.body.addLayout(meter_row)
        self.status = QLabel()
        self.status.setFont(theme.font(1.2, QFont.Weight.DemiBold))
        self.status.setWordWrap(True)
        stage.body.addWidget(self.status)

        controls = QHBoxLayout()
        self.record_button = button("Record", primary=True, tip="3-2-1, then recording starts")
        self.record_button.clicked.connect(self.start_countdown)
        self.stop_button = button("Stop")
        self.stop_button.clicked.connect(self.stop_recording)
        self.retake_button = button("Retake")
        self.retake_button.clicked.connect(self.retake)
        self.keep_button = button("Keep this clip", primary=True)
        self.keep_button.clicked.connect(self.keep)
        self.scope_room = QRadioButton("Only this room")
        self.scope_room.setChecked(True)
        self.scope_community = QRadioButton("May be shared beyond the room")
        self.scope_group = QButtonGroup(self)
        self.scope_group.addButton(self.scope_room)
        self.scope_group.addButton(self.scope_community)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("A title (optional)")
        for b in (self.record_button, self.stop_button, self.retake_button, self.keep_button):
            b.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
            b.setFont(theme.font(1.15, QFont.Weight.Bold))
        controls.addWidget(self.record_button)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.retake_button)
        controls.addWidget(self.scope_room)
        controls.addWidget(self.scope_community)
        controls.addWidget(self.title_edit, 1)
        controls.addWidget(self.keep_button)
        stage.body.addLayout(controls)
        self._exit_hold = QTimer(self)
        self._exit_hold.setSingleShot(True)
        self._exit_hold.setInterval(1500)
        self._exit_hold.timeout.connect(lambda: self.set_booth_mode(False))
        self.exit_button = QPushButton("Hold to leave booth mode")
        self.exit_button.setObjectName("Chip")
        self.exit_button.pressed.connect(self._exit_hold.start)
        self.exit_button.released.connect(self._exit_hold.stop)
        self.exit_button.hide()
        stage.body.addWidget(self.exit_button, 0, Qt.AlignmentFlag.AlignRight)
        body.addWidget(stage, 5)

        self.player = QMediaPlayer(self)
        self.audio_out = QAudioOutput(self)
        self.player.setAudioOutput(self.audio_out)
        self.player.setVideoOutput(self.player_widget)

        self._count = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_tick)
        self._clock = QTimer(self)
        self._clock.setInterval(200)
        self._clock.timeout.connect(self._clock_tick)
        self._set_state("pick")

    # ------------------------------------------------------------ set-up

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        if not self.workshop_box.count():
            self.reload()

    def hideEvent(self, e: Any) -> None:
        super().hideEvent(e)
        if self.state in ("pick", "ready") and not self.in_booth_mode:
            self._stop_preview(close=True)

    def reload(self) -> None:
        self._fill_cameras()
        keep = self.plan.id if self.plan else None
        self.workshop_box.blockSignals(True)
        self.workshop_box.clear()
        workshops = W.list_workshops(self.ctx.store)
        for w in workshops:
            self.workshop_box.addItem(f"{w.title} · {w.started_at.astimezone():%d %b}", w.id)
        self.workshop_box.blockSignals(False)
        if not workshops:
            self.status.setText("Plan a workshop first: the booth records for its participants.")
            return
        index = 0
        if keep is not None:
            index = max(0, index_of(self.workshop_box, keep))
        else:
            live = next((i for i, w in enumerate(workshops) if w.status == "live"), None)
            index = live if live is not None else 0
        self.workshop_box.setCurrentIndex(index)
        self._workshop_chosen()

    def open_workshop(self, workshop_id: uuid.UUID, item_id: uuid.UUID | None = None) -> None:
        if not self.workshop_box.count():
            self.reload()
        i = index_of(self.workshop_box, workshop_id)
        if i >= 0:
            self.workshop_box.setCurrentIndex(i)
            self._workshop_chosen()
        if item_id is not None:
            j = index_of(self.item_box, item_id)
            if j >= 0:
                self.item_box.setCurrentIndex(j)

    def _fill_cameras(self) -> None:
        self.camera_box.blockSignals(True)
        self.camera_box.clear()
        self.camera_box.addItem("Laptop camera", "")
        self.camera_box.addItem("Synthetic test pattern", "synthetic")
        self.camera_box.addItem("Video file as camera…", "file")
        current = self.ctx.settings.camera
        if current and current not in ("", "synthetic"):
            self.camera_box.addItem(Path(current).name if not current.isdigit() else f"Camera {current}", current)
        i = index_of(self.camera_box, current)
        self.camera_box.setCurrentIndex(max(0, i))
        self.camera_box.blockSignals(False)

    def _camera_chosen(self) -> None:
        spec = self.camera_box.currentData()
        if spec == "file":
            path, _ = QFileDialog.getOpenFileName(self, "A video to use as the camera", str(Path.home()),
                                                  "Videos (*.mp4 *.mov *.mkv *.avi)")
            if not path:
                self._fill_cameras()
                return
            spec = path
        self.ctx.settings.camera = spec
        self.ctx.save_settings()
        self._fill_cameras()
        if self.state == "ready":
            self._stop_preview(close=True)
            self._start_preview()

    def _quality_chosen(self) -> None:
        self.ctx.settings.video_height = int(self.quality_box.currentData())
        self.ctx.save_settings()
        if self.state == "ready":
            self._stop_preview(close=True)
            self._start_preview()

    def _workshop_chosen(self) -> None:
        wid = self.workshop_box.currentData()
        if wid is None:
            return
        try:
            self.plan = W.load_plan(self.ctx.store, wid)
        except USER_ERRORS as exc:
            self.error.emit(str(exc))
            return
        self.item_box.blockSignals(True)
        self.item_box.clear()
        self.item_box.addItem("No agenda item", None)
        default = 0
        for i, a in enumerate(self.plan.agenda, start=1):
            self.item_box.addItem(a.title, a.id)
            if a.id == self.plan.current_item_id or (not default and a.kind == "clip_round"):
                default = i
        self.item_box.setCurrentIndex(default)
        self.item_box.blockSignals(False)
        self._item_chosen()
        self._fill_people()

    def _item_chosen(self) -> None:
        item = self.plan.item(self.item_box.currentData()) if self.plan and self.item_box.currentData() else None
        self.prompt_title.setText(item.title if item else "Share one lesson in a minute")
        self.prompt_text.setText(item.instructions if item and item.instructions else
                                 "A tip, a story, or a learning moment from a failure: what happened, "
                                 "what you learned, what you do now.")

    def _fill_people(self) -> None:
        while self.people_grid.count():
            taken = self.people_grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.people_buttons.clear()
        if self.plan is None:
            return
        for i, p in enumerate(self.plan.participants):
            b = QPushButton(p.name if p.consent.video else f"{p.name}\nno video consent")
            b.setCheckable(True)
            b.setMinimumHeight(self.fontMetrics().height() * 3)
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            b.setToolTip(p.name if p.consent.video else
                         f"{p.name} has not agreed to be recorded on video; no recording without consent.")
            b.setFont(theme.font(1.05, QFont.Weight.DemiBold))
            b.setProperty("consent", p.consent.video)
            if not p.consent.video:
                b.setStyleSheet(f"color: {theme.current().muted};")
            b.clicked.connect(lambda _c=False, pid=p.id: self.choose(pid))
            self.people_grid.addWidget(b, i // 2, i % 2)
            self.people_buttons[p.id] = b

    # ------------------------------------------------------------ flow

    def choose(self, participant_id: uuid.UUID) -> bool:
        """Pick who records. Without video consent: refused, with the reason on screen."""
        if self.state in ("countdown", "recording"):
            return False
        if self.state == "review":
            self.retake()
        for pid, b in self.people_buttons.items():
            b.setChecked(pid == participant_id)
        try:
            person = C.require_video_consent(self.ctx.store, participant_id)
        except USER_ERRORS as exc:
            self.participant_id = None
            self._stop_preview(close=True)
            self._set_state("pick")
            self.view.clear_image("")
            self.status.setText(str(exc))
            self.status.setStyleSheet(f"color: {theme.current().danger};")
            return False
        self.participant_id = participant_id
        self.scope_community.setEnabled(person.consent_community)
        self.scope_community.setToolTip("" if person.consent_community else
                                        f"{person.name} has not agreed to sharing beyond the room.")
        self.scope_room.setChecked(True)
        self.status.setStyleSheet("")
        self._set_state("ready")
        self._start_preview()
        return True

    def _open_sources(self) -> None:
        from media.audio import SyntheticTone, default_microphone
        from media.camera import default_camera_spec, open_camera

        spec = self.ctx.settings.camera or default_camera_spec()
        height = 1080 if self.ctx.settings.video_height == 1080 else 720
        width = 1920 if height == 1080 else 1280
        self.camera = open_camera(spec, width, height, 30)
        mic = self.ctx.settings.microphone
        if mic == "none":
            self.audio = None
        elif mic == "synthetic" or spec == "synthetic":
            self.audio = SyntheticTone(440.0, beep=True)
        else:
            self.audio = default_microphone()

    def _start_preview(self) -> None:
        if self.preview is not None:
            return
        try:
            if self.camera is None:
                self._open_sources()
        except USER_ERRORS as exc:
            self.camera = None
            self.status.setText(str(exc))
            self.error.emit(str(exc))
            return
        self.meter_label.setText("Sound" if self.audio is not None else "No microphone: video only")
        self.preview = PreviewThread(self.camera, self.audio, self.bridge)
        self.preview.start()

    def _stop_preview(self, *, close: bool = False) -> None:
        if self.preview is not None:
            self.preview.stop()
            self.preview = None
        if close and self.camera is not None:
            self.camera.close()
            self.camera = None

    def start_countdown(self) -> None:
        if self.state != "ready" or self.participant_id is None:
            return
        self._count = 3
        self._set_state("countdown")
        self.view.overlay.setText("3")
        self.view.overlay.show()
        self._countdown.start()

    def _count_tick(self) -> None:
        self._count -= 1
        if self._count > 0:
            self.view.overlay.setText(str(self._count))
            return
        self._countdown.stop()
        self.view.overlay.hide()
        self.start_recording()

    def start_recording(self) -> bool:
        if self.plan is None or self.participant_id is None:
            return False
        self._stop_preview()
        if self.camera is None:
            try:
                self._open_sources()
            except USER_ERRORS as exc:
                self.error.emit(str(exc))
                self._set_state("ready")
                return False
        bridge = self.bridge
        try:
            self.take = C.Recording(
                self.ctx.store, self.ctx.clips, self.plan.id, self.participant_id, self.item_box.currentData(),
                camera=self.camera, audio=self.audio, max_seconds=self.ctx.settings.max_clip_seconds,
                on_preview=lambda f: bridge.frame.emit(frame_to_image(f.image)),
                on_level=bridge.level.emit, on_finished=bridge.finished.emit,
            )
            self.take.start()
        except USER_ERRORS as exc:
            self.take = None
            self.error.emit(str(exc))
            self._set_state("ready")
            self._start_preview()
            return False
        self._set_state("recording")
        self._clock.start()
        return True

    def stop_recording(self) -> None:
        if self.state != "recording" or self.take is None:
            return
        self.stop_button.setEnabled(False)
        self.status.setText("Finishing the clip…")
        take = self.take
        from ui.tasks import describe, run_task

        run_task(self, take.stop, lane="media", on_success=self._on_finished,
                 on_failure=lambda exc: self.error.emit(describe(exc)))

    def _on_finished(self, result: Any) -> None:
        if isinstance(result, Exception):  # the preview thread lost the camera
            self.status.setText(str(result))
            self.error.emit(str(result))
            self._stop_preview(close=True)
            return
        if self.state != "recording" or self.take is None:
            return
        self._clock.stop()
        self.result = result
        if self.camera is not None:
            self.camera.close()
            self.camera = None
        if result.error:
            self.error.emit(f"{result.error} What was recorded until then is kept below.")
        elif result.warning:
            self.info.emit(result.warning)
        self._set_state("review")
        self.status.setText(f"{result.seconds:.0f} s recorded. Watch it, then keep it or take it again.")
        self.player.setSource(QUrl.fromLocalFile(str(self.take.path)))
        self.player.play()

    def retake(self) -> None:
        self.player.stop()
        self.player.setSource(QUrl())
        if self.take is not None:
            self.take.discard()
            self.take = None
        self.result = None
        self._set_state("ready" if self.participant_id else "pick")
        if self.participant_id:
            self._start_preview()

    def keep(self) -> C.ClipView | None:
        if self.state != "review" or self.take is None:
            return None
        self.player.stop()
        self.player.setSource(QUrl())
        scope = "community" if self.scope_community.isChecked() else "room"
        try:
            view = self.take.keep(scope, self.title_edit.text())
        except USER_ERRORS as exc:
            self.error.emit(str(exc))
            return None
        self.take = None
        self.title_edit.clear()
        self.info.emit(f"Thank you! {view.owner}'s clip ({view.seconds:.0f} s) is in the gallery.")
        self.clip_kept.emit(view)
        self.participant_id = None
        for b in self.people_buttons.values():
            b.setChecked(False)
        self._set_state("pick")
        return view

    # ------------------------------------------------------------ updates

    def _on_frame(self, image: QImage) -> None:
        if self.state in ("ready", "countdown", "recording"):
            self.view.show_image(image)

    def _on_level(self, level: float) -> None:
        self.meter.setValue(int(min(1.0, level * 3) * 100))

    def _clock_tick(self) -> None:
        if self.take is None:
            return
        limit = self.ctx.settings.max_clip_seconds
        elapsed = self.take.elapsed
        left = max(0.0, limit - elapsed)
        text = f"Recording  {fmt_clock(elapsed)}  ·  {fmt_clock(left)} left"
        if left <= 10:
            text += "  —  time to wrap up!"
            self.status.setStyleSheet(f"color: {theme.current().danger};")
        else:
            self.status.setStyleSheet("")
        self.status.setText(text)

    def _set_state(self, state: str) -> None:
        self.state = state
        picking = state == "pick"
        self.record_button.setVisible(state in ("ready", "countdown"))
        self.record_button.setEnabled(state == "ready")
        self.stop_button.setVisible(state == "recording")
        self.stop_button.setEnabled(True)
        for w in (self.retake_button, self.keep_button, self.scope_room, self.scope_community, self.title_edit):
            w.setVisible(state == "review")
        self.pages.setCurrentWidget(self.player_widget if state == "review" else self.view)
        self.people_card.setEnabled(state in ("pick", "ready", "review"))
        for box in (self.workshop_box, self.item_box, self.camera_box, self.quality_box):
            box.setEnabled(state in ("pick", "ready"))
        if picking:
            self.view.clear_image("Tap your name to start")
            self.meter.setValue(0)
            if not self.status.styleSheet():
                self.status.setText("")
        elif state == "ready":
            self.status.setText("When you are ready, press Record. You will have "
                                f"{fmt_clock(self.ctx.settings.max_clip_seconds)}.")

    # ------------------------------------------------------------ booth mode and import

    def set_booth_mode(self, on: bool) -> None:
        self.in_booth_mode = on
        self.toolbar.setVisible(not on)
        self.exit_button.setVisible(on)
        self.booth_mode.emit(on)

    def _import_dialog(self) -> None:
        if self.plan is None:
            return
        if self.participant_id is None:
            self.error.emit("Tap the name of the person whose clip this is first.")
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import a phone clip", str(Path.home()),
                                              "Videos (*.mp4 *.mov *.m4v *.3gp);;All files (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Transcode in the background; the booth stays usable."""
        if self.plan is None or self.participant_id is None:
            return
        from ui.tasks import describe, run_task

        self.info.emit(f"Importing {path.name}… (it is turned upright and converted for every player)")
        run_task(self, C.import_clip, self.ctx.store, self.ctx.clips, path, self.plan.id, self.participant_id,
                 lane="media", agenda_item_id=self.item_box.currentData(),
                 on_success=self._imported, on_failure=lambda exc: self.error.emit(describe(exc)))

    def _imported(self, view: C.ClipView) -> None:
        self.info.emit(f"{view.owner}'s clip ({view.seconds:.0f} s, {view.width}×{view.height}) is in the gallery.")
        self.clip_kept.emit(view)

    def shutdown(self) -> None:
        self._countdown.stop()
        self._clock.stop()
        if self.take is not None and self.state == "recording":
            self.take.stop()
        self._stop_preview(close=True)
