"""The Export dialog: the same L&D export as ``ripple export candidates``, with a form.

The inputs go through the same checks as the command line (``make_request``), the export runs
in a task, and a refusal shows as one sentence inside the dialog, which stays open to fix it.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
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
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.export.service import ExportRequest, ExportResult, export_candidates, make_request
from ui.kit.widgets import Banner, button, muted, title
from ui.tasks import describe, run_task

FORMAT_LABELS = (("pdf", "PDF report"), ("xlsx", "Excel (candidates + evidence)"), ("csv", "CSV (for tools)"))


class ExportDialog(QDialog):
    """Choose format, file, period, team, how many and pseudonyms; then export."""

    sig_exported = Signal(str)
    """(summary: str) — the file was written; one sentence saying what it holds."""

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
        self.team = QComboBox()
        self.team.addItem("All teams", None)
        for t in teams or []:
            self.team.addItem(t, t)
        form.addRow("Team", self.team)
        self.top = QSpinBox()
        self.top.setRange(0, 10000)
        self.top.setSpecialValueText("all candidates")
        form.addRow("How many", self.top)
        self.pseudonymize = QCheckBox("Replace names and e-mails with stable pseudonyms")
        form.addRow("", self.pseudonymize)
        lay.addLayout(form)

        self.message = Banner()
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel = button("Cancel")
        self.cancel.clicked.connect(self.reject)
        self.export_button = button("Export", primary=True)
        self.export_button.clicked.connect(self.start)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.export_button)
        lay.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 78)

    def _build_source(self) -> QComboBox:
        """Where the workshops come from: this laptop, or every laptop's through the shared store."""
        ctx = self.ctx
        self.source = QComboBox()
        here = "This laptop" if ctx.store.is_sqlite else f"The open store ({ctx.store_label})"
        self.source.addItem(here, "local")
        self.source.setItemData(0, ctx.store_label, Qt.ItemDataRole.ToolTipRole)
        if ctx.sync.configured:
            self.source.addItem(f"Shared store, all laptops ({ctx.sync.masked_remote})", "shared")
            self.source.setCurrentIndex(1)
        self.source.setEnabled(self.source.count() > 1)
        self.source.setToolTip("The shared store is set in Settings; it holds every synced laptop's workshops.")
        return self.source

    def _build_formats(self) -> QVBoxLayout:
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
        path_row = QHBoxLayout()
        self.path = QLineEdit(str(Path.home() / "ripple-candidates.pdf"))
        browse = button("Choose…")
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        return path_row

    def _build_period(self) -> QHBoxLayout:
        """From a year ago (on), until today (off): both can be switched."""
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
        self.message.show_message(text, level)

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
                dialog=True,
            )
        except USER_ERRORS as exc:
            self._show(str(exc), "error")
            return
        self.export_button.setEnabled(False)
        self._show("Exporting…", "info")
        who = self.ctx.settings.facilitator.strip() or _user()
        shared = self.source.currentData() == "shared"
        run_task(self, _export, self.ctx, shared, request, who, key="export", lane="network" if shared else "store",
                 on_success=self._done, on_failure=self._failed, on_progress=lambda text: self._show(str(text), "info"))

    def _done(self, result: ExportResult) -> None:
        self.outcome = result
        self.export_button.setEnabled(True)
        self.sig_exported.emit(result.summary())
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self._show(describe(exc), "error")


def _export(ctx: Ripple, shared: bool, request: ExportRequest, by: str,
            progress: Callable[[str], None] | None = None) -> ExportResult:
    """Runs in a task: connecting to the shared store may take seconds (or fail)."""
    if not shared:
        return export_candidates(ctx.store, request, by=by, progress=progress)
    if progress:
        progress(f"Connecting to {ctx.sync.masked_remote}…")
    remote = ctx.sync.open_shared()
    try:
        return export_candidates(remote, request, by=by, progress=progress)
    finally:
        remote.close()


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


__all__ = ["ExportDialog"]
