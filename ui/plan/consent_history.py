"""The selected person's consent history on the planner's Participants tab: every recorded
change (what, when, by whom), newest first, and which record decides each scope today."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from app.planning.views import ConsentRecord
from app.text import weekday_minute
from ui.kit.widgets import muted

#: How each scope is said in the history (the column headers of the table above it).
SCOPE_WORDS = {"video": "video recording", "community": "clips beyond the room", "analytics": "analytics"}


def history_line(record: ConsentRecord, replaced: bool) -> str:
    """One change: "Thu 03 Dec, 10:04 · analytics granted · by Marta Ruiz · decides today".

    ``replaced``: a later record of the same scope exists. A grant that decides nothing and
    was not replaced was made without having seen a withdrawal (another laptop's, a stale
    form): it is kept in the history but does not undo the withdrawal."""
    what = f"{SCOPE_WORDS.get(record.scope, record.scope)} {'granted' if record.granted else 'withdrawn'}"
    parts = [weekday_minute(record.at.astimezone()), what, f"by {record.by or 'unknown'}"]
    if record.effective:
        parts.append("decides today")
    elif replaced:
        parts.append("replaced since")
    elif record.granted:
        parts.append("did not undo a withdrawal it had not seen")
    return " · ".join(parts)


class ConsentHistory(QWidget):
    """The list under the roster; empty until a person is selected."""

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        self.title = QLabel("Consent history")
        self.title.setObjectName("sectionTitle")
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.hint = muted("Select a person to see every change of their consent, with when and by whom.")
        lay.addWidget(self.title)
        lay.addWidget(self.list)
        lay.addWidget(self.hint)
        self.person: uuid.UUID | None = None

    def show_history(self, person: uuid.UUID | None, name: str, records: list[ConsentRecord]) -> None:
        self.person = person
        self.list.clear()
        if person is None:
            self.title.setText("Consent history")
            self.hint.show()
            return
        self.hint.hide()
        self.title.setText(f"Consent history of {name}")
        if not records:
            self.list.addItem("No consent recorded yet.")
        later: set[str] = set()
        for record in reversed(records):  # newest first
            self.list.addItem(history_line(record, replaced=record.scope in later))
            later.add(record.scope)

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
