"""One open commitment with ten one-tap ratings and a note: the check-in row the console (at
the next workshop of the team) and the participant's page share."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.context import Ripple
from app.errors import USER_ERRORS
from app.followup.checkins import OpenCommitment, log_check_in
from ui.kit.widgets import muted


class CheckInRow(QWidget):
    """One open commitment: who, what, the buddy, a note, and ten one-tap ratings."""

    sig_logged = Signal(object, int)
    """(commitment_id: uuid.UUID, rating: int) — a check-in was written."""
    sig_error = Signal(str)
    """(text: str) — the check-in was refused."""

    def __init__(self, ctx: Ripple, item: OpenCommitment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.item = ctx, item
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 6)
        buddy = f" · buddy {item.buddy}" if item.buddy else ""
        head = QLabel(f"<b>{_esc(item.person)}</b>: {_esc(item.commitment.text)}")
        head.setWordWrap(True)
        lay.addWidget(head)
        due = f", check-in due {item.next_due.isoformat()}" if item.next_due else ""
        lay.addWidget(muted(f"From “{item.workshop_title}”{buddy}{due}"))
        taps = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText("a short note (optional)")
        self.note.setMaxLength(500)
        taps.addWidget(self.note, 1)
        self.ratings: list[QPushButton] = []
        for n in range(1, 11):
            b = QPushButton(str(n))
            b.setObjectName("Chip")
            b.setToolTip(f"How far it went: {n} of 10")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, r=n: self.log(r))
            taps.addWidget(b)
            self.ratings.append(b)
        lay.addLayout(taps)
        self.done = muted("")
        self.done.hide()
        lay.addWidget(self.done)

    def log(self, rating: int) -> None:
        try:
            log_check_in(self.ctx.store, self.item.commitment.id, rating, self.note.text())
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        for b in self.ratings:
            b.setEnabled(False)
        self.note.setEnabled(False)
        self.done.setText(f"Checked in: {rating}/10. Thank you!")
        self.done.show()
        self.sig_logged.emit(self.item.commitment.id, rating)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
