"""A participant's commitments, from their row in the planner: check-ins that arrive later
(a call, an e-mail) are typed in here with the same one-tap 1–10 as in the console."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QScrollArea, QVBoxLayout, QWidget

from app.context import Ripple
from app.followup.checkins import commitments_of_person
from ui.kit.checkin import CheckInRow
from ui.kit.widgets import button, muted, title


class PersonCheckIns(QDialog):
    """Every commitment of one person, newest first, each with a check-in row."""

    sig_logged = Signal(object, int)
    """(commitment_id: uuid.UUID, rating: int) — a check-in was written."""

    def __init__(self, ctx: Ripple, participant_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        items = commitments_of_person(ctx.store, participant_id)  # refusals: the caller's banner
        self.setWindowTitle("Commitments and check-ins")
        lay = QVBoxLayout(self)
        lay.addWidget(title(items[0].person if items else "Commitments", 1.2))
        self.message = muted("" if items else "No commitment yet: they are taken in the console's closing step.")
        body = QWidget()
        rows = QVBoxLayout(body)
        self.rows: list[CheckInRow] = []
        for item in items:
            row = CheckInRow(ctx, item)
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
        self.resize(self.fontMetrics().averageCharWidth() * 100, 420)
