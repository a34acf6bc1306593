"""The console's Latest list: the last shares, newest first, on the workshop's clock.

A click on an entry asks for the next share to build on it (``sig_clicked``); Edit… and a
double-click ask to correct it (``sig_edit``), Delete to remove it (``sig_delete``). The
console decides what those do; this list only shows what the live workshop holds. Its times
are the workshop's clock, labelled, as in the insights timeline (``app.text.workshop_time``).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QListWidgetItem, QWidget

from app.live import LiveWorkshop
from app.text import clock_label, workshop_time
from app.vocabulary import KIND_SHORT
from ui.kit.widgets import ID_ROLE, Card, WrappingList, button, muted, section, wrap_words

HINT = "Click: the next share builds on this · Double-click: edit"
KIND_SEP = " — "
BASE_PREFIX = "\n    ↪ on "
INDENT = "    "


class Entries(WrappingList):
    """The entries, each "11:02  ● Lucía Fernández — Question" on one line where it fits; where
    it does not, the name stays whole on the first line and the kind goes under it, with what
    the share built on ("    Question  ↪ on Ana"): two lines at most, never the kind alone
    under a name cut after its dash, nor a third line."""

    def lines(self, label: str, fm: QFontMetrics, width: int) -> list[str]:
        first, _, rest = label.partition(BASE_PREFIX)
        head, sep, kind = first.rpartition(KIND_SEP)
        if not sep or fm.horizontalAdvance(first) <= width:
            return wrap_words(label, fm, width)
        second = INDENT + kind + (f"  ↪ on {rest}" if rest else "")
        return wrap_words(head, fm, width) + wrap_words(second, fm, width)


class LatestList(Card):
    """"LATEST · times in CET", the entries, Edit… and Delete."""

    sig_clicked = Signal(object)
    """(contribution_id: uuid.UUID) — an entry was clicked: the next share may build on it."""
    sig_edit = Signal(object)
    """(contribution_id: uuid.UUID) — the trainer wants to correct this entry."""
    sig_delete = Signal(object)
    """(contribution_id: uuid.UUID) — the trainer wants this entry gone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(section("Latest"))
        # Under the heading, not beside it: "times in UTC+01:00" beside "Latest" made the column
        # (and so the console) too wide for the window Ripple opens with on a 1366x768 laptop.
        self.zone = muted("")
        self.zone.setToolTip("The workshop's clock, as in the insights timeline")
        self.body.addWidget(self.zone)
        self.recent = Entries()
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent.itemClicked.connect(lambda item: self.sig_clicked.emit(item.data(ID_ROLE)))
        self.recent.itemDoubleClicked.connect(lambda item: self.sig_edit.emit(item.data(ID_ROLE)))
        self.body.addWidget(self.recent, 1)
        row = QHBoxLayout()
        self.edit_button = button("Edit…", icon="edit", tip="Correct who, kind, initiative or what it built on")
        self.edit_button.clicked.connect(lambda: self._ask(self.sig_edit))
        self.delete_button = button("Delete", danger=True, icon="delete")
        self.delete_button.clicked.connect(lambda: self._ask(self.sig_delete))
        for b in (self.edit_button, self.delete_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        self.body.addLayout(row)
        self.body.addWidget(muted("Click an entry: the next share builds on it."))

    def selected(self) -> uuid.UUID | None:
        item = self.recent.currentItem()
        return item.data(ID_ROLE) if item and item.isSelected() else None

    def _ask(self, signal: SignalInstance) -> None:
        cid = self.selected()
        if cid is not None:
            signal.emit(cid)

    def show_live(self, live: LiveWorkshop, selected: uuid.UUID | None, limit: int = 40) -> None:
        """The newest ``limit`` shares of ``live``; ``selected`` stays selected."""
        offset = live.plan.utc_offset_min
        self.zone.setText(clock_label(offset))
        self.recent.clear()
        for c in live.recent(limit):
            mark = "●" if c.initiative == "spontaneous" else "○"
            text = f"{workshop_time(c.at, offset)}  {mark} {c.participant_name}{KIND_SEP}{KIND_SHORT[c.kind]}"
            if c.builds_on_id:
                base = live.contribution(c.builds_on_id)
                if base:
                    text += f"{BASE_PREFIX}{base.participant_name}"
            item: QListWidgetItem = self.recent.add(text)
            item.setData(ID_ROLE, c.id)
            item.setToolTip(HINT)
            if c.id == selected:
                item.setSelected(True)


__all__ = ["LatestList"]
