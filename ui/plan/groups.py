"""The dialog that puts each participant of a workshop into a numbered group."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.planning.views import WorkshopPlan
from ui.kit.widgets import muted


class GroupsDialog(QDialog):
    """Put each participant in a numbered group (0 = no group)."""

    def __init__(self, plan: WorkshopPlan, groups: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Groups")
        self.plan = plan
        current = {m: i + 1 for i, g in enumerate(groups) for m in g.members}
        lay = QVBoxLayout(self)
        lay.addWidget(muted("Choose a group number for each participant. Groups decide whose shares can "
                            "ripple to whom."))
        self.table = QTableWidget(len(plan.participants), 2)
        self.table.setHorizontalHeaderLabels(["Participant", "Group"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.spins: list[tuple[uuid.UUID, QSpinBox]] = []
        for r, p in enumerate(plan.participants):
            self.table.setItem(r, 0, QTableWidgetItem(p.name))
            spin = QSpinBox()
            spin.setRange(0, 20)
            spin.setSpecialValueText("–")
            spin.setValue(current.get(p.id, 0))
            self.table.setCellWidget(r, 1, spin)
            self.spins.append((p.id, spin))
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 50, self.fontMetrics().height() * 24)

    def groups(self) -> list[list[uuid.UUID]]:
        by_number: dict[int, list[uuid.UUID]] = {}
        for pid, spin in self.spins:
            if spin.value():
                by_number.setdefault(spin.value(), []).append(pid)
        return [by_number[k] for k in sorted(by_number)]

