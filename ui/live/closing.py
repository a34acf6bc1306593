"""The console's follow-up: the closing step (one commitment per participant, with a buddy
Ripple suggests from the ripples) and, at the next workshop of the same team, the open
commitments of the people present, each checked in with one tap on 1–10.

Both are small dialogs opened from two buttons in the console's head (:class:`FollowUpBar`);
each tap or save is one small local transaction, like a tap on a tile.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.followup.checkins import OpenCommitment, open_commitments
from app.followup.commitments import commitments_of_workshop, take_commitment
from app.followup.ripples import suggest_buddy, workshop_ripples
from app.planning.views import ParticipantView
from app.planning.workshops import load_plan
from app.text import plural
from ui.kit.checkin import CheckInDialog
from ui.kit.widgets import button, muted, section, title

NO_BUDDY = "No buddy"


class ClosingDialog(QDialog):
    """Before people leave: "In the next 30 days I will …" and a buddy, for each person."""

    sig_saved = Signal(int)
    """(count: int) — commitments kept (new or changed) when Save was pressed."""

    def __init__(self, ctx: Ripple, workshop_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.workshop_id = ctx, workshop_id
        self.setWindowTitle("Closing: commitments")
        plan = load_plan(ctx.store, workshop_id)
        people = [p for p in plan.participants if not p.erased]
        existing = commitments_of_workshop(ctx.store, workshop_id)
        ripples = workshop_ripples(ctx.store, workshop_id)
        roster = {p.id for p in people}
        lay = QVBoxLayout(self)
        lay.addWidget(title("Before you leave", 1.2))
        lay.addWidget(muted("One thing each person will apply in the next 30 days, and a peer to keep them to it. "
                            "Check-ins follow 7 and 30 days after today's workshop."))
        grid = QGridLayout()
        for col, head in enumerate(("Who", "In the next 30 days I will …", "Buddy")):
            grid.addWidget(section(head), 0, col)
        self.texts: dict[uuid.UUID, QLineEdit] = {}
        self.buddies: dict[uuid.UUID, QComboBox] = {}
        for row, p in enumerate(people, start=1):
            grid.addWidget(QLabel(p.name), row, 0)
            text = QLineEdit(existing[p.id].text if p.id in existing else "")
            text.setPlaceholderText("ask one open question in every customer call")
            text.setMaxLength(500)
            self.texts[p.id] = text
            grid.addWidget(text, row, 1)
            chosen = existing[p.id].buddy_id if p.id in existing else suggest_buddy(ripples, p.id, roster)
            self.buddies[p.id] = self._buddy_box(p, people, chosen, suggested=p.id not in existing)
            grid.addWidget(self.buddies[p.id], row, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(people) + 1, 1)  # rows stay at the top, however tall the dialog
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        lay.addWidget(scroll, 1)
        self.message = muted("")
        self.message.setObjectName("Error")
        lay.addWidget(self.message)
        row_buttons = QHBoxLayout()
        row_buttons.addStretch(1)
        cancel = button("Close")
        cancel.clicked.connect(self.reject)
        self.save_button = button("Save commitments", primary=True)
        self.save_button.clicked.connect(self.save)
        row_buttons.addWidget(cancel)
        row_buttons.addWidget(self.save_button)
        lay.addLayout(row_buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 120, 520)

    @staticmethod
    def _buddy_box(p: ParticipantView, people: list[ParticipantView], chosen: uuid.UUID | None,
                   *, suggested: bool) -> QComboBox:
        box = QComboBox()
        box.addItem(NO_BUDDY, None)
        for other in people:
            if other.id != p.id:
                label = other.name + ("  (suggested)" if suggested and other.id == chosen else "")
                box.addItem(label, str(other.id))  # text: Qt compares item data as variants
        if chosen is not None:
            box.setCurrentIndex(max(0, box.findData(str(chosen))))
        return box

    def buddy_of(self, pid: uuid.UUID) -> uuid.UUID | None:
        data = self.buddies[pid].currentData()
        return uuid.UUID(data) if data else None

    def save(self) -> None:
        """Keep every typed commitment; a refusal names the person and keeps the dialog open."""
        kept = 0
        for pid, text in self.texts.items():
            if not text.text().strip():
                continue
            try:
                take_commitment(self.ctx.store, self.workshop_id, pid, text.text(),
                                buddy_id=self.buddy_of(pid))
            except USER_ERRORS as exc:
                self.message.setText(str(exc))
                text.setFocus()
                return
            kept += 1
        self.sig_saved.emit(kept)
        self.accept()


class CheckInsDialog(CheckInDialog):
    """The open commitments of the people in this workshop, from earlier ones of the team."""

    def __init__(self, ctx: Ripple, items: list[OpenCommitment], parent: QWidget | None = None) -> None:
        super().__init__(ctx, items, window_title="Check-ins", heading="How did it go?",
                         intro="Commitments made at earlier workshops of this team. One tap logs a check-in.",
                         height=480, parent=parent)


class FollowUpBar(QWidget):
    """The console head's two follow-up buttons: "Commitments…" (the closing step) and
    "Check-ins (n)", shown only when people present have open commitments."""

    sig_error = Signal(str)
    """(text: str) — one sentence for the banner."""
    sig_info = Signal(str)
    """(text: str) — news for the banner."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.workshop_id: uuid.UUID | None = None
        self.open: list[OpenCommitment] = []
        self.dialog: QDialog | None = None
        lay = self._row = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.has_check_ins = False
        """Whether people present have open commitments (the check-ins button is wanted)."""
        self.check_ins_button = button("Check-ins", icon="check_ins",
                                       tip="Open commitments from this team's earlier workshops")
        self.check_ins_button.clicked.connect(self.show_check_ins)
        self.closing_button = button("Commitments…", icon="commitments",
                                     tip="Closing step: one commitment per person, with a buddy")
        self.closing_button.clicked.connect(self.show_closing)
        for b in (self.check_ins_button, self.closing_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            lay.addWidget(b)
        self.check_ins_button.hide()

    def set_workshop(self, workshop_id: uuid.UUID | None) -> None:
        self.workshop_id = workshop_id
        self._refresh()

    def _refresh(self) -> None:
        try:
            self.open = open_commitments(self.ctx.store, self.workshop_id) if self.workshop_id else []
        except USER_ERRORS as exc:
            self.open = []
            self.sig_error.emit(str(exc))
        waiting = sum(1 for o in self.open if o.next_due is not None)
        self.check_ins_button.setText(f"Check-ins ({waiting})")
        self.has_check_ins = bool(self.open)
        self.check_ins_button.setVisible(self.has_check_ins)

    def wanted_width(self) -> int:
        """How wide the bar is with the buttons it wants shown (also while the head hides it)."""
        shown = [self.closing_button] + ([self.check_ins_button] if self.has_check_ins else [])
        return sum(b.sizeHint().width() for b in shown) + max(0, self._row.spacing()) * (len(shown) - 1)

    def show_closing(self) -> None:
        if self.workshop_id is None:
            return
        try:
            dialog = ClosingDialog(self.ctx, self.workshop_id, self.window())
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        dialog.sig_saved.connect(lambda n: self.sig_info.emit(
            f"{plural(n, 'commitment')} kept; check-ins follow in 7 and 30 days."))
        self._open(dialog)

    def show_check_ins(self) -> None:
        dialog = CheckInsDialog(self.ctx, self.open, self.window())
        dialog.finished.connect(lambda _r: self._refresh())
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        """Window-modal without a nested event loop (the console's timer keeps ticking)."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
