"""The Export dialog: the same L&D export as ``ripple export candidates``, with a form.

The inputs go through the same checks as the command line (``make_request``), the export runs
in a worker, and a refusal shows as one sentence inside the dialog, which stays open to fix it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS, FieldError
from app.export.request import make_request
from app.export.service import ExportResult, export_from, export_sources, exporter
from ui.kit.widgets import button, muted, set_style_property, title
from ui.tasks import describe, run_task

FORMAT_LABELS = (("pdf", "PDF report"), ("xlsx", "Excel (candidates + evidence)"), ("csv", "CSV (for tools)"))
FIELD_WORDS = {
    # make_request words these through the command's options; the dialog names its own controls.
    "out": "Choose a file to write the export to.",
    "until": "The start date is after the end date; swap “from” and “until”.",
}


class ExportDialog(QDialog):
    """Choose format, file, period, team, how many and pseudonyms; then export."""

    sig_exported = Signal(str)
    """(summary: str) — the export was written; one sentence saying what and where."""

    def __init__(self, ctx: Ripple, *, teams: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.outcome: ExportResult | None = None
        self.setWindowTitle("Export influencer candidates")
        self.setModal(True)
        lay = QVBoxLayout(self)
        lay.addWidget(title("Export influencer candidates", 1.2))
        lay.addWidget(muted("Only participants who consented to analytics are included. Every export is "
                            "recorded (who, when, what, where)."))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("From", self._build_source())
        form.addRow("Format", self._build_formats())
        form.addRow("Save to", self._build_path())
        form.addRow("Workshops", self._build_period())
        self._build_filters(form, teams or [])
        lay.addLayout(form)

        self.message = QLabel()
        self.message.setObjectName("Banner")
        self.message.setWordWrap(True)
        self.message.hide()
        lay.addWidget(self.message)
        lay.addLayout(self._build_buttons())
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 78)

    def _build_source(self) -> QComboBox:
        """Where the workshops come from: this laptop, or every laptop's through the shared store."""
        self.source = QComboBox()
        for i, source in enumerate(export_sources(self.ctx)):
            self.source.addItem(source.label, source.key)
            if source.detail:
                self.source.setItemData(i, source.detail, Qt.ItemDataRole.ToolTipRole)
            if source.preferred:
                self.source.setCurrentIndex(i)
        self.source.setEnabled(self.source.count() > 1)
        self.source.setToolTip("The shared store is set in Settings; it holds every synced laptop's workshops.")
        return self.source

    def _build_formats(self) -> QVBoxLayout:
        """One radio button per format; choosing one renames the file's suffix to match."""
        self.formats = QButtonGroup(self)
        fmt_row = QVBoxLayout()
        for i, (key, label) in enumerate(FORMAT_LABELS):
            radio = QRadioButton(label)
            radio.setProperty("format", key)
            self.formats.addButton(radio, i)
            fmt_row.addWidget(radio)
        self.formats.button(0).setChecked(True)
        self.formats.idToggled.connect(lambda _i, on: self._format_changed() if on else None)
        return fmt_row

    def _build_path(self) -> QHBoxLayout:
        """The file to write, typed or chosen."""
        path_row = QHBoxLayout()
        self.path = QLineEdit(str(Path.home() / "ripple-candidates.pdf"))
        browse = button("Choose…")
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        return path_row

    def _build_period(self) -> QHBoxLayout:
        """From and until, each optional; the last twelve months by default."""
        today = QDate.currentDate()
        self.since_on = QCheckBox("from")
        self.since = QDateEdit(today.addMonths(-12))
        self.until_on = QCheckBox("until")
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.since_on.setChecked(True)
        period = QHBoxLayout()
        for w in (self.since_on, self.since, self.until_on, self.until):
            period.addWidget(w)
        period.addStretch(1)
        self.since_on.toggled.connect(self.since.setEnabled)
        self.until_on.toggled.connect(self.until.setEnabled)
        self.until.setEnabled(False)
        return period

    def _build_filters(self, form: QFormLayout, teams: list[str]) -> None:
        """Team, how many, and pseudonyms."""
        self.team = QComboBox()
        self.team.addItem("All teams", None)
        for t in teams:
            self.team.addItem(t, t)
        form.addRow("Team", self.team)

        self.top = QSpinBox()
        self.top.setRange(0, 10000)
        self.top.setSpecialValueText("all candidates")
        form.addRow("How many", self.top)

        self.pseudonymize = QCheckBox("Replace names and e-mails with stable pseudonyms")
        form.addRow("", self.pseudonymize)

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel = button("Cancel")
        self.cancel.clicked.connect(self.reject)
        self.export_button = button("Export", primary=True)
        self.export_button.clicked.connect(self.start)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.export_button)
        return buttons

    def chosen_format(self) -> str:
        checked = self.formats.checkedButton()
        return str(checked.property("format")) if checked else "pdf"

    def _format_changed(self) -> None:
        fmt = self.chosen_format()
        current = Path(self.path.text().strip() or "ripple-candidates")
        if current.suffix.lower().lstrip(".") in ("csv", "xlsx", "pdf", ""):
            self.path.setText(str(current.with_suffix("." + fmt)))

    def _browse(self) -> None:
        fmt = self.chosen_format()
        name, _f = QFileDialog.getSaveFileName(self, "Save the export", self.path.text(), f"{fmt.upper()} (*.{fmt})")
        if name:
            self.path.setText(name if Path(name).suffix else name + "." + fmt)

    def _show(self, text: str, level: str) -> None:
        set_style_property(self.message, "level", level)
        self.message.setText(text)
        self.message.show()

    def start(self) -> None:
        try:
            request = make_request(
                format=self.chosen_format(),
                out=self.path.text(),
                since=self.since.date().toPython() if self.since_on.isChecked() else None,  # type: ignore[arg-type]
                until=self.until.date().toPython() if self.until_on.isChecked() else None,  # type: ignore[arg-type]
                team=self.team.currentData(),
                top=self.top.value() or None,
                pseudonymize=self.pseudonymize.isChecked(),
            )
        except FieldError as exc:
            self._show(FIELD_WORDS.get(exc.field, str(exc)), "error")
            return
        except USER_ERRORS as exc:
            self._show(str(exc), "error")
            return
        self.export_button.setEnabled(False)
        self._show("Exporting…", "info")
        source = self.source.currentData()
        run_task(self, export_from, self.ctx, source, request, by=exporter(self.ctx.settings), key="export",
                 lane="network" if source == "shared" else "store",
                 on_success=self._done, on_failure=self._failed,
                 on_progress=lambda text: self._show(str(text), "info"))

    def _done(self, result: ExportResult) -> None:
        self.outcome = result
        self.export_button.setEnabled(True)
        self.sig_exported.emit(result.summary())
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self._show(describe(exc), "error")


__all__ = ["ExportDialog"]
