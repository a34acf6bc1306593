"""The dialog that corrects one logged contribution: who, kind, initiative, what it built on."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

from app.live import LiveWorkshop
from app.planning.views import ContributionView
from app.text import workshop_time
from app.vocabulary import CONTRIBUTION_KINDS, KIND_LABELS, KIND_SHORT
from ui.kit.widgets import index_of


class EditContribution(QDialog):
    """A share can build only on an earlier one, never on itself."""

    def __init__(self, live: LiveWorkshop, c: ContributionView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit contribution")
        form = QFormLayout(self)
        self.person = QComboBox()
        for p in live.plan.participants:
            self.person.addItem(p.name, p.id)
        self.person.setCurrentIndex(max(0, index_of(self.person, c.participant_id)))
        self.kind = QComboBox()
        for k in CONTRIBUTION_KINDS:
            self.kind.addItem(KIND_LABELS[k], k)
        self.kind.setCurrentIndex(index_of(self.kind, c.kind))
        self.initiative = QComboBox()
        self.initiative.addItem("Spontaneous", "spontaneous")
        self.initiative.addItem("Prompted", "prompted")
        self.initiative.setCurrentIndex(index_of(self.initiative, c.initiative))
        self.builds = QComboBox()
        self.builds.addItem("— nothing —", None)
        for other in live.contributions():
            if other.id != c.id and other.at <= c.at:
                self.builds.addItem(
                    f"{workshop_time(other.at, live.plan.utc_offset_min)} {other.participant_name} — "
                    f"{KIND_SHORT[other.kind]}", other.id)  # the clock of the Latest list
        self.builds.setCurrentIndex(max(0, index_of(self.builds, c.builds_on_id)))
        form.addRow("Who", self.person)
        form.addRow("Kind", self.kind)
        form.addRow("Initiative", self.initiative)
        form.addRow("Builds on", self.builds)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "participant_id": self.person.currentData(),
            "kind": self.kind.currentData(),
            "initiative": self.initiative.currentData(),
            "builds_on": self.builds.currentData(),
        }
