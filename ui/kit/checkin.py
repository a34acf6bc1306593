"""One open commitment with ten one-tap ratings and a note: the check-in row the console (at
the next workshop of the team) and the participant's page share."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.followup.checkins import OpenCommitment, log_check_in
from ui.kit.widgets import button, muted, title


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


class CheckInDialog(QDialog):
    """Check-in rows under a heading, in a scroll area, with a line for refusals and Done:
    the console's (open commitments of the people present) and one person's from the planner."""

    sig_logged = Signal(object, int)
    """(commitment_id: uuid.UUID, rating: int) — a check-in was written."""

    def __init__(
        self, ctx: Ripple, items: Sequence[OpenCommitment], *, window_title: str, heading: str,
        intro: str = "", message: str = "", history: bool = False, height: int = 420,
        parent: QWidget | None = None,
    ) -> None:
        """``history``: each row says the check-ins so far above it."""
        super().__init__(parent)
        self.setWindowTitle(window_title)
        lay = QVBoxLayout(self)
        lay.addWidget(title(heading, 1.2))
        if intro:
            lay.addWidget(muted(intro))
        self.message = muted(message)
        body = QWidget()
        rows = QVBoxLayout(body)
        self.rows: list[CheckInRow] = []
        for item in items:
            row = CheckInRow(ctx, item)
            if history:
                done = ", ".join(f"{k.rating}/10" for k in item.check_ins) or "none yet"
                rows.addWidget(muted(f"Check-ins so far: {done}"))
            row.sig_logged.connect(self.sig_logged)
            row.sig_error.connect(self.message.setText)
            rows.addWidget(row)
            self.rows.append(row)
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.message)
        close = button("Done", primary=True)
        close.clicked.connect(self.accept)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(self.fontMetrics().averageCharWidth() * 100, height)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
