"""The planner's Details tab: title, facilitator, team, start, location, notes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtWidgets import QDateTimeEdit, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from app.planning.views import WorkshopPlan
from app.planning.workshops import update_workshop

if TYPE_CHECKING:
    from ui.plan.page import Planner


class DetailsTab(QWidget):
    """Each field saves when editing finishes; the notes save a moment after typing stops."""

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        form = QFormLayout(self)
        form.setContentsMargins(8, 16, 8, 8)
        form.setVerticalSpacing(10)
        self.title_edit = QLineEdit()
        self.facilitator = QLineEdit()
        self.team = QLineEdit()
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd dd MMM yyyy  HH:mm")
        self.location = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Goals, materials, reminders for yourself…")
        form.addRow("Title", self.title_edit)
        form.addRow("Facilitator", self.facilitator)
        form.addRow("Team", self.team)
        form.addRow("Starts", self.when)
        form.addRow("Location", self.location)
        form.addRow("Notes", self.notes)
        for edit, key in ((self.title_edit, "title"), (self.facilitator, "facilitator"), (self.team, "team"),
                          (self.location, "location")):
            edit.editingFinished.connect(lambda e=edit, k=key: self._save(k, e.text()))
        self.when.editingFinished.connect(self._save_when)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(600)
        self._notes_timer.timeout.connect(lambda: self._save("notes", self.notes.toPlainText()))
        self.notes.textChanged.connect(lambda: None if self.planner.loading else self._notes_timer.start())

    def show_plan(self, plan: WorkshopPlan) -> None:
        self.title_edit.setText(plan.title)
        self.facilitator.setText(plan.facilitator)
        self.team.setText(plan.team)
        self.when.setDateTime(QDateTime.fromMSecsSinceEpoch(round(plan.started_at.timestamp() * 1000)))
        self.location.setText(plan.location)
        if self.notes.toPlainText() != plan.notes:
            self.notes.setPlainText(plan.notes)

    def _save_when(self) -> None:
        value = self.when.dateTime().toPython()
        if isinstance(value, datetime):
            self._save("started_at", value.astimezone())

    def _save(self, key: str, value: Any) -> None:
        plan = self.planner.plan
        if plan is None or self.planner.loading:
            return
        current = getattr(plan, key)
        if isinstance(value, datetime) and isinstance(current, datetime):
            if abs((value - current).total_seconds()) < 1:
                return
        elif current == value:
            return
        if self.planner.guard(update_workshop, self.planner.ctx.store, plan.id, **{key: value}) is None:
            self.planner.changed()
