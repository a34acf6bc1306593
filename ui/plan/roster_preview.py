"""The preview of a roster file before its people are imported into a workshop.

It shows who would be added (with the consent the file gives) and which lines would not be,
and lets the trainer say which column holds what when Ripple did not recognise the headers:
one combo per column of the file, the preview redrawn at each change. Nothing is written
until Import; the dialog's :attr:`RosterPreview.roster` is what the caller then imports.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import RippleError
from app.planning.roster import NoNameColumn, Roster, RosterRow, parse_table
from app.planning.roster_columns import FIELDS, guess_columns, has_name
from app.planning.roster_files import RosterTable
from ui.kit import theme
from ui.kit.widgets import section
from ui.tasks import describe, pending, run_task

#: The preview's consent columns, as the Participants tab names them.
CONSENT_HEADERS = {"video": "Video", "community": "Beyond room", "analytics": "Analytics"}
#: Columns side by side in the mapping grid (a label and its combo each).
PER_ROW = 3


class _RowsModel(QAbstractTableModel):
    """The people a roster would add (a model, so 100,000 rows fill at once); while no column
    holds the names, the file's first rows as they are, to tell which column is which."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RosterRow] = []
        self.scopes: tuple[str, ...] = ()
        self.raw: list[list[str]] = []
        self.raw_header: list[str] = []

    def headers(self) -> list[str]:
        if self.raw_header:
            return self.raw_header
        return ["Name", "E-mail", "Team", *(CONSENT_HEADERS[s] for s in self.scopes)]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.raw if self.raw_header else self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        col = index.column()
        if self.raw_header:
            cells = self.raw[index.row()]
            return cells[col].strip() if col < len(cells) else ""
        row = self.rows[index.row()]
        if col < 3:
            return (row.name, row.email or "", row.team)[col]
        granted = row.consent is not None and getattr(row.consent, self.scopes[col - 3])
        return "yes" if granted else "no"

    def show(self, roster: Roster | None) -> None:
        self.beginResetModel()
        self.rows = roster.rows if roster else []
        self.scopes = roster.consent_scopes if roster else ()
        self.raw, self.raw_header = [], []
        self.endResetModel()

    def show_file(self, header: list[str], rows: list[list[str]]) -> None:
        self.beginResetModel()
        self.rows, self.scopes = [], ()
        self.raw_header = [h or f"Column {i + 1}" for i, h in enumerate(header)]
        self.raw = rows
        self.endResetModel()


def _first_rows(table: RosterTable, count: int) -> list[list[str]]:
    """The file's first ``count`` rows that are not blank (none when it cannot be read)."""
    try:
        return [raw for _line, raw in islice((r for r in table.records() if any(c.strip() for c in r[1])), count)]
    except RippleError:
        return []


def _samples(table: RosterTable, count: int = 3) -> list[list[str]]:
    """A few values of each column, to tell an unnamed column's contents at a glance."""
    rows = _first_rows(table, count)
    return [[raw[i].strip() for raw in rows if i < len(raw) and raw[i].strip()] for i in range(len(table.header))]


def _show_lines(title: QLabel, box: QPlainTextEdit, lines: list[str]) -> None:
    """A list under its title, as tall as its lines (up to five, then it scrolls), or hidden."""
    box.setPlainText("\n".join(lines))
    title.setVisible(bool(lines))
    box.setVisible(bool(lines))
    margins = int(box.document().documentMargin() * 2) + box.frameWidth() * 2 + 4
    box.setFixedHeight(box.fontMetrics().lineSpacing() * max(1, min(len(lines), 5)) + margins)


def parse_for_preview(table: RosterTable, columns: dict[str, int]) -> Roster | str:
    """The people ``table`` holds with these columns, or the one sentence saying why there are
    none (no name column chosen yet, a column problem): a plain function, run off the UI thread."""
    try:
        return parse_table(table, columns)
    except NoNameColumn:
        return "Choose the column that holds the names (or the first and the last names)."
    except RippleError as exc:
        return str(exc)


class RosterPreview(QDialog):
    """Who would be added, and which lines would not be (duplicates, problems), with a count;
    a combo per column of the file says which field it fills."""

    def __init__(
        self, table: RosterTable, path: Path, parent: QWidget | None = None, *,
        columns: dict[str, int] | None = None, roster: Roster | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {path.name}")
        self.table = table
        self.roster: Roster | None = None
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setFont(theme.font(1.1, QFont.Weight.Bold))
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.consent_note = QLabel()
        self.consent_note.setWordWrap(True)
        lay.addWidget(self.consent_note)
        lay.addWidget(section("Columns in the file"))
        lay.addWidget(self._mapping_grid(columns if columns is not None else guess_columns(table.header)))
        self.model = _RowsModel()
        self.rows_view = QTableView()
        self.rows_view.setModel(self.model)
        self.rows_view.verticalHeader().hide()
        self.rows_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.rows_view.setAlternatingRowColors(True)
        lay.addWidget(self.rows_view, 1)
        self.issues_title, self.issues = section("Not imported"), QPlainTextEdit()
        self.notes_title, self.notes = section("Imported with a note"), QPlainTextEdit()
        for title, box in ((self.issues_title, self.issues), (self.notes_title, self.notes)):
            box.setReadOnly(True)
            lay.addWidget(title)
            lay.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setProperty("primary", True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        fm = self.fontMetrics()
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = fm.averageCharWidth() * 120, fm.height() * 44
        if screen is not None:  # as big as it reads well, never beyond a small laptop's screen
            width, height = min(width, int(screen.width() * 0.9)), min(height, int(screen.height() * 0.9))
        self.resize(width, height)
        cols = self.columns()
        self._preview(roster if roster is not None or has_name(cols) else parse_for_preview(table, cols))

    def _mapping_grid(self, columns: dict[str, int]) -> QWidget:
        """One label and combo per column of the file, set to what Ripple recognised."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        by_column = {i: key for key, i in columns.items()}
        self.combos: list[QComboBox] = []
        for i, (header, sample) in enumerate(zip(self.table.header, _samples(self.table), strict=True)):
            label = QLabel(header or f"Column {i + 1}")
            label.setToolTip(f"e.g. {', '.join(sample)}" if sample else "Empty in the first rows")
            combo = QComboBox()
            combo.addItem("Ignore", None)
            for key, text in FIELDS.items():
                combo.addItem(text, key)
            combo.setCurrentIndex(max(0, combo.findData(by_column.get(i))))
            combo.setToolTip(label.toolTip())
            combo.currentIndexChanged.connect(lambda _index, column=i: self._mapped(column))
            self.combos.append(combo)
            row, pair = divmod(i, PER_ROW)
            grid.addWidget(label, row, pair * 2, alignment=Qt.AlignmentFlag.AlignRight)
            grid.addWidget(combo, row, pair * 2 + 1)
        for pair in range(PER_ROW):
            grid.setColumnStretch(pair * 2 + 1, 1)
        return box

    def columns(self) -> dict[str, int]:
        """Field → column, as the combos say now."""
        return {c.currentData(): i for i, c in enumerate(self.combos) if c.currentData()}

    def _mapped(self, column: int) -> None:
        """A combo changed: a field fills one column, so another column with it is ignored."""
        field = self.combos[column].currentData()
        for i, combo in enumerate(self.combos):
            if i != column and field and combo.currentData() == field:
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
        self._parse()

    @property
    def parsing(self) -> bool:
        """Whether the rows are being read again with the combos' columns."""
        return pending(self, "parse")

    def _parse(self) -> None:
        # Off the UI thread: a 100,000-row workbook takes a second or two per parse, and the
        # trainer may change three combos in a row (the newest parse wins, the others are
        # dropped). Import waits until the rows shown are the rows it would import.
        self.roster = None
        self.import_button.setEnabled(False)
        self.summary.setText("Reading the rows with these columns…")
        run_task(self, parse_for_preview, self.table, self.columns(), key="parse", on_success=self._preview,
                 on_failure=lambda exc: self._preview(describe(exc)))

    def _preview(self, roster: Roster | str | None) -> None:
        """Show a parse (or the sentence why there is none); ``None``: parse it first."""
        if roster is None:
            self._parse()
            return
        message, parsed = (roster, None) if isinstance(roster, str) else ("", roster)
        self.roster = roster = parsed
        if roster is None:
            self.model.show_file(self.table.header, _first_rows(self.table, 50))
        else:
            self.model.show(roster)
        self.summary.setText(roster.summary() if roster else message)
        note = roster.unstated_consent() if roster else ""
        self.consent_note.setText(note)
        self.consent_note.setVisible(bool(note))
        issues = sorted(roster.duplicates + roster.problems, key=lambda p: p.line) if roster else []
        _show_lines(self.issues_title, self.issues, [str(p) for p in issues])
        _show_lines(self.notes_title, self.notes, [str(p) for p in roster.notes] if roster else [])
        header = self.rows_view.horizontalHeader()  # names and e-mails share what the rest leaves
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col < 2 or roster is None
                                        else QHeaderView.ResizeMode.ResizeToContents)
        count = len(roster.rows) if roster else 0
        self.import_button.setText(f"Import {count:,}")
        self.import_button.setEnabled(count > 0)

