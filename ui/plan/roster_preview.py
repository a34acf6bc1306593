"""The preview of a roster file before its people are imported into a workshop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.planning.roster import Roster
from ui.kit import theme
from ui.kit.widgets import section


class RosterPreview(QDialog):
    """Who would be added, and which lines would not be (duplicates, problems), with a count."""

    def __init__(self, roster: Roster, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {path.name}")
        lay = QVBoxLayout(self)
        head = QLabel(roster.summary())
        head.setFont(theme.font(1.1, QFont.Weight.Bold))
        lay.addWidget(head)
        table = QTableWidget(len(roster.rows), 3)
        table.setHorizontalHeaderLabels(["Name", "E-mail", "Team"])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(roster.rows):
            for c, text in enumerate((row.name, row.email or "", row.team)):
                table.setItem(r, c, QTableWidgetItem(text))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(table, 1)
        issues = roster.duplicates + roster.problems
        if issues:
            lay.addWidget(section("Not imported"))
            box = QPlainTextEdit("\n".join(str(p) for p in sorted(issues, key=lambda p: p.line)))
            box.setReadOnly(True)
            box.setMaximumHeight(box.fontMetrics().height() * 7)
            lay.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton(f"Import {len(roster.rows)}", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setEnabled(bool(roster.rows))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.fontMetrics().height() * 28)
