"""The recording booth: pick the person, see the prompt, 3-2-1, record, review, keep or retake.

Before a take the live picture comes from ``media.preview`` (a plain thread); during a take
from the recorder's capture thread (``app.clips.recording.Recording``). Both call back on their
own threads; ``Bridge`` turns the callbacks into queued signals, so the UI thread only
paints. Which camera and microphone to use is decided in ``app.clips.devices``. The page
is assembled from ``booth_toolbar`` (the trainer's lists), ``person_picker`` (who records) and
``stage`` (prompt, picture, meter, status and take buttons, with ``preview_view`` and
``review`` inside); this module holds the flow between them.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.clips.catalogue import ClipView
from app.clips.devices import NO_CAMERA_SENTENCE, NO_MICROPHONE_NOTE, Sources, open_sources
from app.clips.library import require_video_consent
from app.clips.recording import Recording, take_clock
from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning.views import WorkshopPlan
from app.planning.workshops import list_workshops, load_plan
from app.text import clock
from media.preview import Preview
from ui.changes import CLIPS
from ui.clips import booth_import
from ui.clips.booth_toolbar import BoothToolbar
from ui.clips.device_lists import DeviceLists
from ui.clips.person_picker import PersonPicker
from ui.clips.preview_view import Bridge, frame_to_image
from ui.clips.stage import Stage
from ui.kit.page import Page
from ui.kit.widgets import index_of

DEFAULT_PROMPT = "Share one lesson in a minute"
DEFAULT_INSTRUCTIONS = ("A tip, a story, or a learning moment from a failure: what happened, "
                        "what you learned, what you do now.")


class Booth(Page):
    """The booth page: a state machine over ``STATES``, driven by taps, timers and the bridge.

    Its banner messages are the page's ``sig_error`` and ``sig_info``; a clip it keeps or
    imports is announced to the other screens (``ui.changes``) as a change of clips.
    """

    sig_booth_mode = Signal(bool)
    """(on: bool) — full screen with only the booth (``True``), for participants alone, or back."""

    sig_clip_kept = Signal(object)
    """(view: ClipView) — a clip was kept or imported and is in the gallery."""

    STATES = ("pick", "ready", "countdown", "recording", "review")

    def __init__(self, ctx: Ripple, parent: QWidget | None = None, *,
                 find_cameras: Any = None, find_microphones: Any = None) -> None:
        """``find_cameras``/``find_microphones``: what the laptop has (``app.clips.devices`` by default)."""
        super().__init__(ctx, parent)
        self.plan: WorkshopPlan | None = None
        self.participant_id: uuid.UUID | None = None
        self.switch_to: uuid.UUID | None = None  # tapped during review, waiting for "discard?"
        self.state = "pick"
        self.sources: Sources | None = None
        self.preview: Preview | None = None
        self.take: Recording | None = None
        self.result: Any = None  # the take's media RecordingResult (ui/ names no media type)
        self.in_booth_mode = False
        self.bridge = Bridge()
        self.bridge.sig_frame.connect(self._on_frame)
        self.bridge.sig_level.connect(self._on_level)
        self.bridge.sig_finished.connect(self._on_finished)
        self.bridge.sig_failed.connect(self._on_preview_failed)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        self.toolbar = self._build_toolbar()
        outer.addWidget(self.toolbar)
        self.devices = DeviceLists(ctx, self.toolbar, self, find_cameras, find_microphones)
        self.devices.sig_changed.connect(self._devices_changed)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        self.people = PersonPicker()
        self.people.sig_chosen.connect(self.choose)
        body.addWidget(self.people, 3)
        self.stage = self._build_stage()
        body.addWidget(self.stage, 5)
        self._build_timers()
        self._set_state("pick")

    # ------------------------------------------------------------ building

    def _build_toolbar(self) -> BoothToolbar:
        bar = BoothToolbar(self.ctx.settings.video_height)
        bar.workshop_box.currentIndexChanged.connect(self._workshop_chosen)
        bar.item_box.currentIndexChanged.connect(self._item_chosen)
        bar.quality_box.activated.connect(self._quality_chosen)
        bar.import_button.clicked.connect(lambda: booth_import.ask_and_import(self))
        bar.mode_button.clicked.connect(lambda: self.set_booth_mode(True))
        return bar

    def _build_stage(self) -> Stage:
        stage = Stage(self.ctx.settings)
        stage.record_button.clicked.connect(self.start_countdown)
        stage.stop_button.clicked.connect(self.stop_recording)
        stage.keep_controls.retake_button.clicked.connect(self.retake)
        stage.keep_controls.discard_button.clicked.connect(self.discard)
        stage.confirm_discard.clicked.connect(self._switch_confirmed)
        stage.confirm_back.clicked.connect(stage.hide_question)
        stage.keep_controls.keep_button.clicked.connect(self.keep)
        stage.sig_leave_booth_mode.connect(lambda: self.set_booth_mode(False))
        return stage

    def _build_timers(self) -> None:
        self._count = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_tick)
        self._clock = QTimer(self)
        self._clock.setInterval(200)
        self._clock.timeout.connect(self._clock_tick)

    # ------------------------------------------------------------ set-up

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        if not self.toolbar.workshop_box.count():
            self.reload()

    def hideEvent(self, e: Any) -> None:
        super().hideEvent(e)
        if self.state in ("pick", "ready") and not self.in_booth_mode:
            self._stop_preview(close=True)

    def reload(self) -> None:
        self.devices.look()
        keep = self.plan.id if self.plan else None
        workshops = list_workshops(self.ctx.store)
        self.toolbar.set_workshops(workshops)
        if not workshops:
            self.stage.status.setText("Plan a workshop first: the booth records for its participants.")
            return
        index = 0
        if keep is not None:
            index = max(0, self.toolbar.workshop_index(keep))
        else:
            live = next((i for i, w in enumerate(workshops) if w.status == "live"), None)
            index = live if live is not None else 0
        self.toolbar.workshop_box.setCurrentIndex(index)
        self._workshop_chosen()

    def open_workshop(self, workshop_id: uuid.UUID, item_id: uuid.UUID | None = None) -> None:
        if not self.toolbar.workshop_box.count():
            self.reload()
        i = self.toolbar.workshop_index(workshop_id)
        if i >= 0:
            self.toolbar.workshop_box.setCurrentIndex(i)
            self._workshop_chosen()
        if item_id is not None:
            j = index_of(self.toolbar.item_box, item_id)
            if j >= 0:
                self.toolbar.item_box.setCurrentIndex(j)

    def _devices_changed(self) -> None:
        """Devices found, or another camera or microphone chosen: it applies at once when ready."""
        self._restart_preview_if_ready()

    def _quality_chosen(self) -> None:
        self.ctx.settings.video_height = int(self.toolbar.quality_box.currentData())
        self.ctx.save_settings()
        self._restart_preview_if_ready()

    def _restart_preview_if_ready(self) -> None:
        """A new camera or size applies at once when nobody is recording."""
        if self.state == "ready":
            self._stop_preview(close=True)
            self._start_preview()

    def _workshop_chosen(self) -> None:
        wid = self.toolbar.workshop_box.currentData()
        if wid is None:
            return
        try:
            self.plan = load_plan(self.ctx.store, wid)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        self.toolbar.set_items(self.plan)
        self._item_chosen()
        self.people.fill(self.plan.participants)

    def _item_chosen(self) -> None:
        item_id = self.toolbar.item_box.currentData()
        item = self.plan.item(item_id) if self.plan and item_id else None
        self.stage.show_prompt(item.title if item else DEFAULT_PROMPT,
                               item.instructions if item and item.instructions else DEFAULT_INSTRUCTIONS)

    # ------------------------------------------------------------ flow

    def choose(self, participant_id: uuid.UUID) -> bool:
        """Pick who records. Without video consent: refused, with the reason on screen.

        During review another name first asks whether to discard the unkept take (``False``
        until it is confirmed); the reviewed person's own name changes nothing.
        """
        if self.state in ("countdown", "recording"):
            return False
        if self.state == "review":  # the tapped button toggled itself: the reviewed name stays lit
            self.people.mark(self.participant_id)
            if participant_id != self.participant_id:
                self._ask_discard(participant_id)
            return False
        self.people.mark(participant_id)
        try:
            person = require_video_consent(self.ctx.store, participant_id)
        except USER_ERRORS as exc:
            self.participant_id = None
            self._stop_preview(close=True)
            self._set_state("pick")
            self.stage.view.clear_image("")
            self.stage.show_problem(str(exc))
            return False
        self.participant_id = participant_id
        self.stage.keep_controls.offer(person.name, person.consent_community)
        self.stage.status.setStyleSheet("")
        self._set_state("ready")
        self._start_preview()
        return True

    def _open_sources(self) -> bool:
        """Open the chosen camera (and microphone) if not open; ``False``, with the reason shown, if none."""
        if self.sources is not None:
            return True
        spec = self.devices.camera_spec()
        if spec is None:
            if self.devices.searching:
                self.stage.view.clear_image("Looking for cameras…")
                self.stage.record_button.setEnabled(False)
            else:
                self.stage.show_no_camera(NO_CAMERA_SENTENCE)
                if self.devices.no_sound:
                    self.stage.meter_label.setText(NO_MICROPHONE_NOTE)
            return False
        try:
            self.sources = open_sources(self.ctx.settings, spec)
        except USER_ERRORS as exc:
            self.sources = None
            self.stage.show_problem(str(exc))
            self.stage.record_button.setEnabled(False)
            self.sig_error.emit(str(exc))
            return False
        audio = self.sources.audio
        self.stage.meter_label.setText(f"Sound: {audio.name}" if audio is not None else NO_MICROPHONE_NOTE)
        self.stage.record_button.setEnabled(self.state == "ready")
        if self.state == "ready":  # a camera now: "No camera found" no longer holds
            self.stage.show_ready(self.ctx.settings.max_clip_seconds)
        return True

    def _ask_discard(self, participant_id: uuid.UUID) -> None:
        self.switch_to = participant_id
        names = {p.id: p.name for p in self.plan.participants} if self.plan else {}
        self.stage.ask_discard(names.get(self.participant_id or participant_id, "This"),
                               names.get(participant_id, "them"))

    def _switch_confirmed(self) -> None:
        """"Discard it and switch": the take goes, the tapped person is chosen."""
        target, self.switch_to = self.switch_to, None
        self.discard()
        if target is not None:
            self.choose(target)

    def _start_preview(self) -> None:
        if self.preview is not None or not self._open_sources():
            return
        assert self.sources is not None
        bridge = self.bridge
        preview: Preview | None = None

        def on_frame(rgb: np.ndarray) -> None:
            bridge.offer_frame(frame_to_image(rgb))

        def on_error(exc: Exception) -> None:
            bridge.sig_failed.emit(preview, exc)

        preview = Preview(self.sources.camera, self.sources.audio, on_frame=on_frame,
                          on_level=bridge.sig_level.emit, on_error=on_error)
        self.preview = preview
        preview.start()

    def _stop_preview(self, *, close: bool = False) -> None:
        if self.preview is not None:
            self.preview.stop()
            self.preview = None
        if close and self.sources is not None:
            self.sources.close()
            self.sources = None

    def start_countdown(self) -> None:
        if self.state != "ready" or self.participant_id is None:
            return
        self._count = 3
        self._set_state("countdown")
        self.stage.view.overlay.setText("3")
        self.stage.view.overlay.show()
        self._countdown.start()

    def _count_tick(self) -> None:
        self._count -= 1
        if self._count > 0:
            self.stage.view.overlay.setText(str(self._count))
            return
        self._countdown.stop()
        self.stage.view.overlay.hide()
        self.start_recording()

    def start_recording(self) -> bool:
        if self.plan is None or self.participant_id is None:
            return False
        self._stop_preview()
        if not self._open_sources():
            self._set_state("ready")
            return False
        assert self.sources is not None
        bridge = self.bridge
        try:
            self.take = Recording(
                self.ctx.store, self.ctx.clips, self.plan.id, self.participant_id,
                self.toolbar.item_box.currentData(), camera=self.sources.camera, audio=self.sources.audio,
                max_seconds=self.ctx.settings.max_clip_seconds,
                on_preview=lambda f: bridge.offer_frame(frame_to_image(f.image)),
                on_level=bridge.sig_level.emit, on_finished=bridge.sig_finished.emit,
            )
            self.take.start()
        except USER_ERRORS as exc:
            self.take = None
            self.sig_error.emit(str(exc))
            self._set_state("ready")
            self._start_preview()
            return False
        self._set_state("recording")
        self._clock.start()
        return True

    def stop_recording(self) -> None:
        if self.state != "recording" or self.take is None:
            return
        self.stage.stop_button.setEnabled(False)
        self.stage.status.setText("Finishing the clip…")
        take = self.take
        take.request_stop()  # now: finishing the file may wait for a worker, the take must not
        from ui.tasks import describe, run_task

        run_task(self, take.stop, lane="media", on_success=self._on_finished,
                 on_failure=lambda exc: self.sig_error.emit(describe(exc)))

    def _on_preview_failed(self, preview: object, exc: Exception) -> None:
        """The preview lost the camera (or never had it): say so and let the camera go.

        A failure of an earlier preview (queued before a camera switch or a take) is old
        news: it must not close the camera now in use.
        """
        if preview is not self.preview:
            return
        self.stage.status.setText(str(exc))
        self.sig_error.emit(str(exc))
        self._stop_preview(close=True)

    def _on_finished(self, result: Any) -> None:
        if self.state != "recording" or self.take is None:
            return
        self._clock.stop()
        self.result = result
        if self.sources is not None:
            self.sources.close()
            self.sources = None
        if result.error:
            self.sig_error.emit(f"{result.error} What was recorded until then is kept below.")
        elif warning := self.take.warning(result):
            self.sig_info.emit(warning)
        self._set_state("review")
        self.stage.status.setText(f"{result.seconds:.0f} s recorded. Watch it, then keep it or take it again.")
        self.stage.review_player.play_file(self.take.path)

    def retake(self) -> None:
        self.stage.review_player.clear()
        if self.take is not None:
            self.take.discard()
            self.take = None
        self.result = None
        self._set_state("ready" if self.participant_id else "pick")
        if self.participant_id:
            self._start_preview()

    def discard(self) -> None:
        """Throw the reviewed take away and let the next person tap their name."""
        if self.state != "review":
            return
        self.stage.review_player.clear()
        if self.take is not None:
            self.take.discard()
            self.take = None
        self.result = None
        self.participant_id = None
        self.people.mark(None)
        self._set_state("pick")
        self.stage.status.setText("The take was discarded; nothing was kept.")

    def keep(self) -> ClipView | None:
        if self.state != "review" or self.take is None:
            return None
        self.stage.review_player.clear()
        try:
            view = self.take.keep(self.stage.keep_controls.scope(), self.stage.keep_controls.title())
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return None
        self.take = None
        self.stage.keep_controls.clear_title()
        self.sig_info.emit(f"Thank you! {view.owner}'s clip ({view.seconds:.0f} s) is in the gallery.")
        self.kept(view)
        self.participant_id = None
        self.people.mark(None)
        self._set_state("pick")
        return view

    # ------------------------------------------------------------ updates

    def _on_frame(self, image: QImage) -> None:
        if self.state in ("ready", "countdown", "recording"):
            self.stage.view.show_image(image)

    def _on_level(self, level: float) -> None:
        self.stage.show_level(level)

    def _clock_tick(self) -> None:
        if self.take is None:
            return
        elapsed, left = take_clock(self.take.elapsed, self.ctx.settings.max_clip_seconds)
        text = f"Recording  {clock(elapsed)}  ·  {clock(left)} left"
        if left <= 10:
            self.stage.show_problem(text + "  —  time to wrap up!")
        else:
            self.stage.status.setStyleSheet("")
            self.stage.status.setText(text)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.stage.show_state(state, self.ctx.settings.max_clip_seconds)
        if state == "ready" and self.sources is None and self.preview is None:
            self.stage.record_button.setEnabled(False)  # until a camera is open
        self.people.setEnabled(state in ("pick", "ready", "review"))
        self.toolbar.set_choosing(state in ("pick", "ready"))

    # ------------------------------------------------------------ booth mode

    def set_booth_mode(self, on: bool) -> None:
        self.in_booth_mode = on
        if on and self.state == "pick":  # the trainer's last news ("The take was discarded…") is not the room's
            self.stage.status.setStyleSheet("")
            self.stage.status.setText("")
        self.toolbar.setVisible(not on)
        self.stage.leave.reset()
        self.stage.leave.setVisible(on)
        self.sig_booth_mode.emit(on)

    def kept(self, view: ClipView) -> None:
        """A clip (a take or an import) is in the gallery: tell the other screens."""
        self.announce(CLIPS, workshop=view.workshop_id)
        self.sig_clip_kept.emit(view)

    def shutdown(self) -> None:
        self._countdown.stop()
        self._clock.stop()
        if self.take is not None and self.state == "recording":
            self.take.stop()
        self._stop_preview(close=True)
        self.stage.review_player.clear()  # its decoder thread must not outlive the page
