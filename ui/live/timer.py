"""The console's large timer: time left on the agenda item, amber at 20 % left, red at 5 %
and counting up in overtime (the room's timer follows the same rule, app.room.view.timer_tone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from app.planning.views import TimerState
from app.room.view import timer_tone
from app.text import clock
from ui.kit import theme


class TimerDisplay(QLabel):
    def __init__(self) -> None:
        super().__init__("--:--")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFont(theme.font(4.2, QFont.Weight.Bold))
        self.setObjectName("Timer")
        self.setAccessibleName("Timer")
        self.tone = "idle"  # app.room.view.TONES

    def show_state(self, state: TimerState | None) -> None:
        p = theme.current()
        if state is None:
            self.setText("--:--")
        elif state.overtime:
            self.setText("+" + clock(-state.remaining_s))
        else:
            self.setText(clock(state.remaining_s))
        self.tone = timer_tone(state)
        color = {"idle": p.muted, "calm": p.text, "soon": p.warning, "last": p.danger, "over": p.danger}[self.tone]
        self.setStyleSheet(f"color: {color};")


def timer_note(state: TimerState) -> str:
    """The line under the timer: the planned time, and the minutes given on top."""
    planned = clock(state.total_s)
    if state.overtime:
        return f"over the planned {planned}"
    if state.extra_s:
        return f"of {planned} (+{state.extra_s / 60:g} min)"
    return f"of {planned}"
