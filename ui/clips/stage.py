"""The booth's stage: what the person in front of the camera sees and presses.

The prompt, the picture (live, or the take played back), the sound meter, the status line,
the take buttons and, in booth mode, the hold-to-leave button. The booth page drives it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.settings import Settings
from app.text import clock
from ui.clips.leave_booth import LeaveBooth
from ui.clips.preview_view import PreviewView
from ui.clips.review import KeepControls, ReviewPlayer, big_button
from ui.kit import theme
from ui.kit.widgets import Card, button, muted


class Stage(Card):
    """The booth's centre; ``show_state`` sets which buttons and which picture each state shows."""

    sig_leave_booth_mode = Signal()
    """() — the leave button was held long enough, and the PIN (if set) given (a tap does not leave)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt_title = QLabel()
        self.prompt_title.setFont(theme.font(1.35, QFont.Weight.Bold))
        self.prompt_title.setWordWrap(True)
        self.prompt_text = muted("")
        self.body.addWidget(self.prompt_title)
        self.body.addWidget(self.prompt_text)
        self.pages = QStackedWidget()
        self.view = PreviewView()
        self.review_player = ReviewPlayer()
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.review_player)
        self.body.addWidget(self.pages, 1)
        self.body.addLayout(self._build_meter())
        self.status = QLabel()
        self.status.setFont(theme.font(1.2, QFont.Weight.DemiBold))
        self.status.setWordWrap(True)
        self.body.addWidget(self._build_status_area())
        self.body.addLayout(self._build_controls())
        self.leave = LeaveBooth(settings)
        self.leave.hide()
        self.leave.sig_leave.connect(self.sig_leave_booth_mode.emit)
        self.body.addWidget(self.leave)

    def _build_meter(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(self.fontMetrics().height() // 2)
        self.meter_label = muted("Sound", wrap=False)
        row.addWidget(self.meter_label)
        row.addWidget(self.meter, 1)
        return row

    def _build_controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.record_button = big_button("Record", primary=True, tip="3-2-1, then recording starts", icon="record")
        self.stop_button = big_button("Stop", icon="stop")
        self.keep_controls = KeepControls()
        row.addWidget(self.record_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.keep_controls, 1)
        return row

    def _build_rec_label(self) -> QLabel:
        """The red REC mark: shown exactly while a take is being recorded."""
        self.rec_label = QLabel("● REC")
        self.rec_label.setFont(theme.font(1.2, QFont.Weight.Black))
        self.rec_label.setStyleSheet(f"color: white; background: {theme.current().danger}; "
                                     "border-radius: 6px; padding: 2px 8px;")
        self.rec_label.setAccessibleName("Recording")
        self.rec_label.hide()
        return self.rec_label

    def _build_status_area(self) -> QWidget:
        """The status line and, in its place, the discard question: one area whose height is
        reserved for two lines, so the picture above does not jump when a sentence or the
        question comes and goes (the walk-through saw it shift by a line each time)."""
        self.status_area = QWidget()
        column = QVBoxLayout(self.status_area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.status_line = QWidget()
        row = QHBoxLayout(self.status_line)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._build_rec_label(), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.status, 1)
        column.addWidget(self.status_line)
        column.addWidget(self._build_confirm_bar())
        self.status_area.setMinimumHeight(max(_two_lines(self.status_line, self.status),
                                              _two_lines(self.confirm_bar, self.confirm_text)))
        return self.status_area

    def _build_confirm_bar(self) -> QWidget:
        """Asked when another name is tapped while a take is unkept: discard it, or go back to it."""
        self.confirm_bar = QWidget()
        row = QHBoxLayout(self.confirm_bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.confirm_text = QLabel()
        self.confirm_text.setWordWrap(True)
        self.confirm_discard = button("Discard it and switch", danger=True, icon="discard")
        self.confirm_back = button("Back to the take", primary=True, icon="back")
        row.addWidget(self.confirm_text, 1)
        row.addWidget(self.confirm_back)
        row.addWidget(self.confirm_discard)
        self.confirm_bar.hide()
        return self.confirm_bar

    def show_prompt(self, title: str, text: str) -> None:
        self.prompt_title.setText(title)
        self.prompt_text.setText(text)

    def show_level(self, level: float) -> None:
        """The meter reads 0..1 levels tripled: speech at a normal distance fills most of it."""
        self.meter.setValue(int(min(1.0, level * 3) * 100))

    def show_problem(self, sentence: str) -> None:
        """A refusal or a fault on the status line, in the danger colour."""
        self.status.setText(sentence)
        self.status.setStyleSheet(f"color: {theme.current().danger};")

    def show_state(self, state: str, max_seconds: float) -> None:
        """The buttons, the picture and the status line of a booth state (see ``Booth.STATES``)."""
        self.record_button.setVisible(state in ("ready", "countdown"))
        self.record_button.setEnabled(state == "ready")
        self.stop_button.setVisible(state == "recording")
        self.rec_label.setVisible(state == "recording")
        self.stop_button.setEnabled(True)
        self.keep_controls.setVisible(state == "review")
        if state != "review":
            self.hide_question()
        self.pages.setCurrentWidget(self.review_player if state == "review" else self.view)
        if state == "pick":
            self.view.clear_image("Tap your name to start")
            self.meter.setValue(0)
            if not self.status.styleSheet():
                self.status.setText("")
        elif state == "ready":
            self.show_ready(max_seconds)

    def show_ready(self, max_seconds: float) -> None:
        """The status line of a booth ready to record (replacing any earlier problem)."""
        self.status.setStyleSheet("")
        self.status.setText(f"When you are ready, press Record. You will have {clock(max_seconds)}.")

    def ask_discard(self, owner: str, other: str) -> None:
        """Ask before the unkept take of ``owner`` is thrown away for ``other``."""
        self.confirm_text.setText(f"{owner}'s take is not kept yet. Discard it and switch to {other}?")
        self.status_line.hide()
        self.confirm_bar.show()

    def hide_question(self) -> None:
        """The discard question answered (or moot): the status line is back in its place."""
        self.confirm_bar.hide()
        self.status_line.show()

    def show_no_camera(self, sentence: str) -> None:
        """No picture to record: the reason on the picture and the status line, Record disabled."""
        self.view.clear_image("No camera found")
        self.record_button.setEnabled(False)
        self.show_problem(sentence)


def _two_lines(row: QWidget, label: QLabel) -> int:
    """How tall ``row`` is with two lines in ``label`` (its real size hint, margins included)."""
    label.setText("Two\nlines")
    height = row.sizeHint().height()
    label.setText("")
    return height
