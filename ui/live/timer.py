"""The console's large timer: time left on the agenda item, amber in the last minute, red
and counting up in overtime."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from app.planning.views import TimerState
from app.text import clock
from ui.kit import theme


class TimerDisplay(QLabel):
    def __init__(self) -> None:
        super().__init__("--:--")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFont(theme.font(4.2, QFont.Weight.Bold))
        self.setObjectName("Timer")
        self.setAccessibleName("Timer")

    def show_state(self, state: TimerState | None) -> None:
        p = theme.current()
        if state is None:
            self.setText("--:--")
            color = p.muted
        elif state.overtime:
            self.setText("+" + clock(-state.remaining_s))
            color = p.danger
        else:
            self.setText(clock(state.remaining_s))
            color = p.text if state.running else p.muted
            if state.running and state.remaining_s <= 60:
                color = p.warning
        self.setStyleSheet(f"color: {color};")


def timer_note(state: TimerState) -> str:
    """The line under the timer: the planned time, and the minutes given on top."""
    planned = clock(state.total_s)
    if state.overtime:
        return f"over the planned {planned}"
    if state.extra_s:
        return f"of {planned} (+{state.extra_s / 60:g} min)"
    return f"of {planned}"
