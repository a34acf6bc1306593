"""The ranking tables of the Insights screen: a model, so a year's two thousand people fill
at once, and a view that says whose row was chosen."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from ui.kit import theme
from ui.kit.widgets import ID_ROLE


class _RankingModel(QAbstractTableModel):
    """Rows of (person id, values); a model, so a year's two thousand people fill instantly."""

    def __init__(self, columns: list[str]) -> None:
        super().__init__()
        self.columns = columns
        self.rows: list[tuple[uuid.UUID, list[Any]]] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        pid, values = self.rows[index.row()]
        value = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:.2f}" if isinstance(value, float) else str(value)
        if role == ID_ROLE:
            return pid
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        emerging = isinstance(value, str) and value.startswith("emerging")
        if role == Qt.ItemDataRole.ForegroundRole and emerging:
            return QColor(theme.current().accent)
        if role == Qt.ItemDataRole.FontRole and emerging:
            return theme.font(1.0, QFont.Weight.DemiBold)
        return None

    def set_rows(self, rows: list[tuple[uuid.UUID, list[Any]]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


class RankingTable(QTableView):
    """Ranked people, one row each."""

    sig_person_selected = Signal(object)
    """(person_id: uuid.UUID) — the user selected this person's row."""

    def __init__(self, columns: list[str], widths: list[int] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = _RankingModel(columns)
        self.setModel(self._model)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        cw = self.fontMetrics().averageCharWidth()
        for i, chars in enumerate(widths or []):
            self.setColumnWidth(i, cw * chars)
        self._quiet = False
        self.selectionModel().selectionChanged.connect(self._changed)

    def fill(self, rows: list[tuple[uuid.UUID, list[Any]]]) -> None:
        keep = self.selected()
        self._quiet = True
        self._model.set_rows(rows)
        self._quiet = False
        if keep is not None:
            self.select(keep, emit=False)

    def rowCount(self) -> int:
        return self._model.rowCount()

    def text(self, row: int, column: int) -> str:
        return str(self._model.data(self._model.index(row, column)))

    def selected(self) -> uuid.UUID | None:
        rows = self.selectionModel().selectedRows()
        return self._model.rows[rows[0].row()][0] if rows else None

    def select(self, pid: uuid.UUID | None, *, emit: bool = True) -> bool:
        for r, (row_id, _values) in enumerate(self._model.rows):
            if row_id == pid:
                self._quiet = not emit
                self.selectRow(r)
                self.scrollTo(self._model.index(r, 0))
                self._quiet = False
                return True
        self._quiet = True
        self.clearSelection()
        self._quiet = False
        return False

    def _changed(self) -> None:
        if self._quiet:
            return
        pid = self.selected()
        if pid is not None:
            self.sig_person_selected.emit(pid)

