"""The console's left column: the current agenda item, its big timer and controls, its groups
and the whole agenda. It shows a :class:`~app.live.LiveWorkshop`; what its buttons do is the
console's (it connects them), so the column holds no workshop state of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSpacerItem, QWidget

from app.live import LiveWorkshop
from app.live_words import group_lines
from app.planning.views import AgendaItemView, TimerState
from app.vocabulary import AGENDA_LABELS
from ui.kit import icons, theme
from ui.kit.widgets import ID_ROLE, Card, WrappingList, button, muted, section
from ui.live.timer import TimerDisplay, timer_note


class AgendaColumn(Card):
    """The item under way over the whole agenda (the current item in bold, ▶; done ones ✓)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._showing_pause = False  # the timer button's icon: ▶ or ❚❚ (set only when it changes)
        self.item_kind = section("")
        self.item_title = QLabel()
        self.item_title.setFont(theme.font(1.25, QFont.Weight.Bold))
        self.item_title.setWordWrap(True)
        self.timer = TimerDisplay()
        self.timer_note = muted("")
        self.timer_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        controls = QHBoxLayout()
        self.start_button = button("Start", primary=True, icon="play", tip="Start or pause the timer (Space)")
        self.plus_button = button("+1", tip="Give this item another minute (+)")  # its text is its icon: the column stays narrow
        self.next_button = button("Next", icon="next_item", tip="Next agenda item (Ctrl+→)")
        for b in (self.start_button, self.plus_button, self.next_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # never "Paus"
            controls.addWidget(b)
        self.instructions = QLabel()
        self.instructions.setWordWrap(True)
        self.instructions.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.instructions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.agenda = WrappingList()
        self.agenda.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for w in (self.item_kind, self.item_title, self.timer, self.timer_note):
            self.body.addWidget(w)
        self.body.addLayout(controls)
        self.body.addWidget(self.instructions)
        self.groups_title = section("Groups")
        self.groups = QLabel()  # the current item's groups, one line each
        self.groups.setWordWrap(True)
        self.groups.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.body.addWidget(self.groups_title)
        self.body.addWidget(self.groups)
        self.body.addWidget(section("Agenda"))
        self.body.addWidget(self.agenda, 1)
        # At least 34 characters, and never narrower than the timer's buttons ("Resume", "Pause").
        self.body.addItem(QSpacerItem(self.fontMetrics().averageCharWidth() * 34, 0))

    def show_item(self, live: LiveWorkshop) -> AgendaItemView | None:
        """The current item, its groups and the agenda as ``live`` has them; returns the item."""
        plan = live.plan
        item = live.current_item
        self.item_kind.setText(AGENDA_LABELS.get(item.kind, "").upper() if item else "")
        self.item_title.setText(item.title if item else "No agenda items yet: add some in the planner.")
        self.instructions.setText(item.instructions if item else "")
        groups = group_lines(plan, item)
        self.groups.setText("\n".join(groups))
        self.groups_title.setVisible(bool(groups))
        self.groups.setVisible(bool(groups))
        self.agenda.clear()
        for i, a in enumerate(plan.agenda):
            t = live.timer(a.id)
            mark = "▶ " if item and a.id == item.id else ("✓ " if t and t.finished else "   ")
            entry = self.agenda.add(f"{mark}{i + 1}. {a.title} \u00a0·\u00a0{a.minutes:g}\u00a0min")  # "· 10 min" wraps whole
            entry.setData(ID_ROLE, a.id)
            if item and a.id == item.id:
                f = entry.font()
                f.setBold(True)
                entry.setFont(f)
                self.agenda.set_label(entry, self.agenda.label(entry))  # (bold is wider)
        return item

    def show_timer(self, state: TimerState | None) -> None:
        """The big clock, its note and the Start / Pause / Resume button for ``state``."""
        self.timer.show_state(state)
        if state is None:
            self.timer_note.setText("")
            self.start_button.setText("Start")
            if self._showing_pause:
                self._showing_pause = False
                self.start_button.setIcon(icons.icon("play", "primary"))
            return
        self.start_button.setText("Pause" if state.running else ("Resume" if state.started else "Start"))
        if state.running != self._showing_pause:
            self._showing_pause = state.running
            self.start_button.setIcon(icons.icon("pause" if state.running else "play", "primary"))
        self.timer_note.setText(timer_note(state))
