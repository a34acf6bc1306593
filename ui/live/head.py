"""The console's head bar: the workshop's title first, its actions beside it while they fit,
the rest under "More ▾"; and the line under it that says which laptop leads.

At 1366×768 a long workshop title and six buttons do not fit on one line. The title is what
tells the trainer which workshop this is, so it gets its whole width first; the buttons follow
in order of how often they are needed during a workshop (what the room sees, undo, the live
insights, the follow-up, ending it) and those that do not fit are offered in the "More ▾"
menu, with the same icon, text and state. Only when even the title alone is wider than the
bar is it shortened (with the whole title in its tooltip).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLayout, QMenu, QPushButton, QSizePolicy, QWidget

from app.context import Ripple
from app.live import LiveWorkshop
from app.planning.duplicates import duplicate_pairs
from ui.kit import icons
from ui.kit.widgets import button, muted, title
from ui.live.closing import FollowUpBar
from ui.live.room_menu import RoomMenu


@dataclass
class _Slot:
    """One thing in the bar: its widget, how wide it wants to be, and its entries for "More"."""

    widget: QWidget
    width: Callable[[], int]
    to_menu: Callable[[QMenu], None]


class HeadBar(QWidget):
    """Title, Live insights, Room, Undo, End workshop, Commitments / Check-ins, and "More ▾"."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.full_title = ""
        # The bar may be narrower than all its buttons: it hides what does not fit instead of
        # asking the window for more width.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        lay = self._row = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.heading = title("", 1.4)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay.addWidget(self.heading, 1)

        self.panel_button = button("Live insights", icon="insights",
                                   tip="Who is starting ripples, who has not been heard yet")
        self.panel_button.setCheckable(True)
        self.panel_button.setChecked(ctx.settings.show_live_panel)
        self.room_menu = RoomMenu(ctx)  # the shell wires it to the audience window
        self.room_menu.setIcon(icons.icon("room"))
        self.followup = FollowUpBar(ctx)
        self.undo_button = button("Undo", icon="undo", tip="Take back the last contribution (Ctrl+Z)")
        self.end_button = button("End workshop", icon="end", tip="Stop the timer and mark the workshop finished")
        self.more_button = button("More  ▾", icon="more", tip="The actions that do not fit beside the title")
        self.more_button.setObjectName("MoreButton")
        self.more_button.setStyleSheet("#MoreButton::menu-indicator { image: none; width: 0px; }")
        self.more_menu = QMenu(self.more_button)
        self.more_menu.aboutToShow.connect(self._fill_more)
        self.more_button.setMenu(self.more_menu)

        # Left to right as shown; kept visible longest in the order of ``_priority``.
        self._slots = [
            _Slot(self.panel_button, self.panel_button.sizeHint().width, self._panel_entry),
            _Slot(self.room_menu, lambda: self.room_menu.sizeHint().width(), self._room_entry),
            _Slot(self.followup, self.followup.wanted_width, self._followup_entries),
            _Slot(self.undo_button, self.undo_button.sizeHint().width, self._undo_entry),
            _Slot(self.end_button, self.end_button.sizeHint().width, self._end_entry),
        ]
        # Ending is once a workshop (and safer a menu away); check-ins open it, commitments close it.
        self._priority = [self.room_menu, self.undo_button, self.panel_button, self.followup, self.end_button]
        for slot in self._slots:
            slot.widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            lay.addWidget(slot.widget)
        self.more_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lay.addWidget(self.more_button)
        self.more_button.hide()
        self.overflow: list[QWidget] = []
        """The bar's widgets now offered under "More ▾" instead of beside the title."""

    # ------------------------------------------------------------ API

    def set_title(self, text: str) -> None:
        """The workshop's title and status; the bar makes room for it."""
        self.full_title = text
        self.arrange()

    @property
    def title_cut(self) -> bool:
        """Whether the title is shown shortened (only when it alone is wider than the bar)."""
        return self.heading.text() != self.full_title

    def arrange(self) -> None:
        """Show beside the title what fits after it, in order of need; the rest goes to "More"."""
        spacing = max(0, self._row.spacing())
        room = self.contentsRect().width()
        need = self.heading.fontMetrics().horizontalAdvance(self.full_title) + 4
        total = need + sum(s.width() + spacing for s in self._slots)
        keep: set[int] = set()
        if total <= room:
            keep = {id(s.widget) for s in self._slots}
        else:
            used = need + self.more_button.sizeHint().width() + spacing
            widths = {id(s.widget): s.width() for s in self._slots}
            for w in self._priority:  # one that does not fit leaves room for a smaller one after it
                if used + widths[id(w)] + spacing <= room:
                    used += widths[id(w)] + spacing
                    keep.add(id(w))
        self.overflow = [s.widget for s in self._slots if id(s.widget) not in keep]
        for s in self._slots:
            self._show(s.widget, id(s.widget) in keep)
        self._show(self.more_button, bool(self.overflow))
        free = room - sum(s.width() + spacing for s in self._slots if id(s.widget) in keep)
        if self.overflow:
            free -= self.more_button.sizeHint().width() + spacing
        shown = self.full_title
        if self.heading.fontMetrics().horizontalAdvance(shown) + 4 > free:
            shown = self.heading.fontMetrics().elidedText(shown, Qt.TextElideMode.ElideRight, max(0, free - 4))
        if self.heading.text() != shown:
            self.heading.setText(shown)
        self.heading.setToolTip(self.full_title if shown != self.full_title else "")

    @staticmethod
    def _show(widget: QWidget, on: bool) -> None:
        if widget.isHidden() == on:  # only a change: every change asks for another layout pass
            widget.setVisible(on)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self.arrange()

    def event(self, e: QEvent) -> bool:
        # A button's text changed (the room's state, the number of check-ins): widths differ.
        handled = super().event(e)
        if e.type() == QEvent.Type.LayoutRequest:
            self.arrange()
        return handled

    # ------------------------------------------------------------ "More ▾"

    def _fill_more(self) -> None:
        """Built on opening, from what is hidden now and in the state it is in now."""
        self.more_menu.clear()
        for s in self._slots:
            if s.widget in self.overflow:
                s.to_menu(self.more_menu)

    @staticmethod
    def _mirror(menu: QMenu, b: QPushButton, text: str | None = None) -> QAction:
        act = menu.addAction(b.icon(), text or b.text())
        act.setEnabled(b.isEnabled())
        act.setToolTip(b.toolTip())
        act.triggered.connect(b.click)
        return act

    def _panel_entry(self, menu: QMenu) -> None:
        act = menu.addAction(self.panel_button.icon(), self.panel_button.text())
        act.setCheckable(True)
        act.setChecked(self.panel_button.isChecked())
        act.toggled.connect(self.panel_button.setChecked)

    def _room_entry(self, menu: QMenu) -> None:
        sub = self.room_menu.menu_
        sub.setTitle(self.room_menu.accessibleName())
        sub.setIcon(self.room_menu.icon())
        menu.addMenu(sub)

    def _followup_entries(self, menu: QMenu) -> None:
        f = self.followup
        if f.has_check_ins:
            self._mirror(menu, f.check_ins_button)
        self._mirror(menu, f.closing_button)

    def _undo_entry(self, menu: QMenu) -> None:
        self._mirror(menu, self.undo_button, "Undo  Ctrl+Z")

    def _end_entry(self, menu: QMenu) -> None:
        self._mirror(menu, self.end_button, "End workshop…")


class LeadRow(QWidget):
    """Under the head: which laptop leads the workshop (with "Take over" for a follower), and
    "Merge the two “Ana”" when two laptops each added the same walk-in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.lead_note = muted("")
        row.addWidget(self.lead_note, 1)
        self.merge_button = button("", icon="merge",
                                   tip="Two laptops each added this walk-in: make them one person everywhere")
        self.take_over_button = button("Take over", icon="take_over", tip="Run the agenda and the timer from this laptop")
        for b in (self.merge_button, self.take_over_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)

    def show_lead(self, live: LiveWorkshop) -> None:
        lead = live.lead_line()
        self.lead_note.setText(lead)
        self.lead_note.setVisible(bool(lead))
        self.take_over_button.setVisible(bool(lead) and not live.leads)
        pairs = duplicate_pairs(live.plan.participants)
        self.merge_button.setText(f"Merge the two “{pairs[0][0].name}”" if pairs else "")
        self.merge_button.setVisible(bool(pairs))


__all__ = ["HeadBar", "LeadRow"]
