"""The Live button with no workshop open: a small list to pick the one to run, instead of an
empty console. Live workshops come first, then today's, then the coming days'
(app/planning/lifecycle.runnable_workshops)."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QVBoxLayout, QWidget

from app.planning.views import WorkshopSummary
from app.text import plural
from ui.kit.widgets import ID_ROLE, WrappingList, muted

PROMPT = "No workshop is live. Pick one to run:"


def label(w: WorkshopSummary, now: datetime | None = None) -> str:
    """One workshop as the picker lists it: title, then when, its state and who is on it."""
    local = w.started_at.astimezone()
    today = (now or datetime.now().astimezone()).date()
    when = "today" if local.date() == today else f"{local:%a} {local.day} {local:%b}"
    state = "●\u00a0live" if w.status == "live" else "planned"
    return f"{w.title}\n{when}, {local:%H:%M} · {state} · {plural(w.participants, 'person', 'people')}"


class WorkshopPicker(QDialog):
    """Pick the workshop to run live (Run, a double-click or Enter), or Cancel."""

    def __init__(self, workshops: list[WorkshopSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WorkshopPicker")
        self.setWindowTitle("Run a workshop live")
        lay = QVBoxLayout(self)
        self.prompt = muted(PROMPT)
        lay.addWidget(self.prompt)
        self.list = WrappingList()
        for w in workshops:
            item = self.list.add(label(w))
            item.setData(ID_ROLE, w.id)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        lay.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.run_button = buttons.addButton("Run live", QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setProperty("primary", True)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        cw = self.fontMetrics().averageCharWidth()
        self.resize(cw * 60, self.fontMetrics().height() * (6 + 3 * min(len(workshops), 6)))
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen(self) -> uuid.UUID | None:
        item: QListWidgetItem | None = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None


__all__ = ["PROMPT", "WorkshopPicker", "label"]
