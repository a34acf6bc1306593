"""One group's current round in the console: cast, phase, its own clock, and the buttons.

A view only: :class:`ui.live.roleplay_panel.RoleplayPanel` fills it and reacts to its
buttons. The clock takes the console timer's colours (``theme``): the text colour while
there is time, amber at 20 % left, red at 5 % and red with a "+" in overtime.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.roleplay.rounds import PhaseClock
from app.roleplay.scenarios import OBSERVER_ROLE
from app.roleplay.views import RoundView, ScenarioView
from app.text import clock
from media.preview import shrink
from ui.kit import theme
from ui.kit.frames import FrameMailbox
from ui.kit.widgets import Card, button, muted, section


def clock_colour(state: str) -> str:
    """The console timer's colour for a phase clock's state."""
    p = theme.current()
    return {"warning": p.warning, "urgent": p.danger, "over": p.danger, "normal": p.text}.get(state, p.muted)


def clock_text(c: PhaseClock) -> str:
    if c.state == "done":
        return "done"
    if c.state == "over":
        return "+" + clock(c.overtime_s)
    return clock(c.remaining_s)


def clock_note(c: PhaseClock, extra_s: float) -> str:
    planned = clock(c.planned_s - extra_s)
    if c.state == "waiting":
        return f"{c.phase} {planned} when the round starts"
    if c.state == "done":
        return "round played"
    if c.state == "over":
        return f"over the planned {clock(c.planned_s)}"
    return f"of {planned}" + (f" (+{extra_s / 60:g} min)" if extra_s else "")


def frame_image(rgb: Any) -> QImage:
    """A small copy of a recorded frame for the card's preview (made on the capture thread)."""
    small = shrink(rgb, 320)
    h, w = small.shape[:2]
    return QImage(small.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class RecordingBridge(FrameMailbox):
    """The recorder's callbacks (capture and encoder threads) for the panel: pictures through
    ``offer_frame`` (only the newest waits for the UI thread, as in the booth, so Stop never
    waits behind queued frames), the end as a queued signal."""

    sig_finished = Signal(object)
    """(result: RecordingResult) — the recorder stopped by itself (the limit, or a fault)."""


class RoundCard(Card):
    """The card of one group: which round, who plays what, the phase clock and the controls."""

    def __init__(self, group: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.round: RoundView | None = None
        head = QHBoxLayout()
        self.heading = section(f"Group {group + 1}")
        self.phases = muted("", wrap=False)
        head.addWidget(self.heading, 1)
        head.addWidget(self.phases)
        self.body.addLayout(head)
        mid = QHBoxLayout()
        self.cast = QLabel()
        self.cast.setTextFormat(Qt.TextFormat.RichText)
        self.cast.setWordWrap(True)
        self.cast.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        mid.addWidget(self.cast, 3)
        clock_box = QGridLayout()
        self.phase = QLabel()
        self.phase.setFont(theme.font(1.0, QFont.Weight.Bold))
        self.phase.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock = QLabel("--:--")
        self.clock.setFont(theme.font(2.6, QFont.Weight.Bold))
        self.clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock.setAccessibleName(f"Group {group + 1} phase timer")
        self.clock_note = muted("", wrap=False)
        self.clock_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        clock_box.addWidget(self.phase, 0, 0)
        clock_box.addWidget(self.clock, 1, 0)
        clock_box.addWidget(self.clock_note, 2, 0)
        mid.addLayout(clock_box, 2)
        self.preview = QLabel()
        self.preview.setFixedSize(QSize(176, 99))
        self.preview.setStyleSheet("background: #0b0d10; border-radius: 8px; color: white;")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.hide()
        mid.addWidget(self.preview)
        self.body.addLayout(mid)
        self.record_line = muted("")
        self.record_line.setMinimumHeight(self.record_line.fontMetrics().height() + 2)  # (the card keeps its height)
        self.body.addWidget(self.record_line)
        self.body.addLayout(self._build_buttons())

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.start_button = button("Start round", primary=True, icon="play", tip="Start the first phase of this round")
        self.next_button = button("Next phase", icon="next_item", tip="Move on now (the clock of this group only)")
        self.plus_button = button("+1 min", icon="extend", tip="Another minute for this phase")
        self.record_button = button("Record", icon="record", tip="Record the round with the booth's camera")
        self.stop_button = button("Stop recording", icon="stop")
        self.brief_button = button("Show a brief…", icon="brief", tip="Show one person their private brief on this laptop")
        self.rate_button = button("Rate…", icon="rate", tip="Observers and the trainer rate the players on the rubric")
        self.review_button = button("Review", icon="review", tip="Watch the recording with its markers")
        self.next_round_button = button("Next round", icon="next_item")
        self.observe_button = button("", icon="swap", tip="Swap them with an observer who agreed to video, from this round on")
        self.buttons: tuple[QPushButton, ...] = (
            self.start_button, self.next_button, self.plus_button, self.record_button, self.stop_button,
            self.observe_button, self.brief_button, self.rate_button, self.review_button, self.next_round_button)
        for b in self.buttons:
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------ showing

    def show_round(self, rnd: RoundView | None, scenario: ScenarioView, total: int, names: dict[object, str],
                   no_video: set[object]) -> None:
        """The round (or a sentence when the group has none), its cast and its phase steps."""
        self.round = rnd
        p = theme.current()
        if rnd is None:
            self.heading.setText(f"GROUP {self.group + 1}")
            self.cast.setText(f"<span style='color:{p.muted}'>No rounds stored for this group: plan the rotation "
                              "in the planner (the role-play card).</span>")
            self.phases.setText("")
            for b in self.buttons:
                b.setVisible(False)
            return
        self.heading.setText(f"GROUP {self.group + 1}  ·  ROUND {rnd.number} OF {total}")
        lines = []
        for role in scenario.roles:
            who = [c.participant_id for c in rnd.cast if c.role == role.key]
            if not who:
                continue
            people = ", ".join(html.escape(names.get(pid, "?")) + (
                f" <span style='color:{p.warning}'>(no video consent)</span>"
                if pid in no_video and role.key != OBSERVER_ROLE else "") for pid in who)
            lines.append(f"<b>{html.escape(role.name)}</b>: {people}")
        self.cast.setText("<br>".join(lines))
        steps = []
        for ph in scenario.phases:
            current = rnd.started and not rnd.finished and ph.name == rnd.phase
            steps.append(f"▶ {ph.name.upper()}" if current else ph.name)
        self.phases.setText("  ·  ".join(steps))

    def show_clock(self, c: PhaseClock, extra_s: float) -> None:
        self.phase.setText(c.phase.upper() if c.state != "done" else "")
        self.clock.setText(clock_text(c) if c.state != "waiting" else clock(c.planned_s))
        self.clock.setStyleSheet(f"color: {clock_colour(c.state)};")
        self.clock.setProperty("state", c.state)
        self.clock_note.setText(clock_note(c, extra_s))

    def show_preview(self, image: QImage | None) -> None:
        if image is None:
            self.preview.hide()
            return
        self.preview.show()
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation))

    def set_record_line(self, text: str, *, alert: bool = False) -> None:
        self.record_line.setText(text)
        self.record_line.setStyleSheet(f"color: {theme.current().danger};" if alert else "")
