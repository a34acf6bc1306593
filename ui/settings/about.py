"""Settings → About: which Ripple this is, which schema its store is at, where the data and
the log live; open the log folder, copy the diagnostics for a support request.

The facts come from ``app.platform.about`` (one small query for the schema), read in a task
the first time the card is shown, so a Settings page that is never opened costs nothing.
"""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QWidget

from app.context import Ripple
from app.platform.about import About, about, diagnostics
from ui.kit.widgets import Card, button, muted, section
from ui.tasks import describe, run_task


class AboutCard(Card):
    """The About section of Settings (the page forwards its messages to the banner)."""

    sig_info = Signal(str)
    """(text: str) — news for the banner (the diagnostics were copied)."""
    sig_error = Signal(str)
    """(text: str) — one sentence for the banner (the facts could not be read, no folder opened)."""

    FIELDS = (("version", "Ripple"), ("schema", "Store schema"), ("store", "Store"),
              ("device", "Device id"), ("data", "Data folder"), ("log", "Log file"))

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.facts: About | None = None
        self.body.addWidget(section("About"))
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        self.values: dict[str, QLabel] = {}
        for key, label in self.FIELDS:
            value = muted("…")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(label, value)
        self.body.addLayout(form)
        actions = QHBoxLayout()
        self.open_logs_button = button("Open log folder", tip="Show the folder with ripple.log in the file manager")
        self.copy_button = button("Copy diagnostics",
                                  tip="Version, schema, folders and system, as text for a support request "
                                      "(no password, nothing about participants)")
        self.open_logs_button.clicked.connect(self.open_log_folder)
        self.copy_button.clicked.connect(self.copy_diagnostics)
        for b in (self.open_logs_button, self.copy_button):
            b.setEnabled(False)
            actions.addWidget(b)
        actions.addStretch(1)
        self.body.addLayout(actions)

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if self.facts is None:
            self.reload()

    def reload(self) -> None:
        """Read the facts again (in a task: the store may be a PostgreSQL server)."""
        run_task(self, about, self.ctx.store, key="about", on_success=self._show,
                 on_failure=lambda exc: self.sig_error.emit(describe(exc)))

    def _show(self, facts: About) -> None:
        self.facts = facts
        texts = {
            "version": f"{facts.version} (commit {facts.commit})",
            "schema": facts.schema_line,
            "store": facts.store,
            "device": facts.device_id,
            "data": str(facts.data_folder),
            "log": str(facts.log_file),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        for b in (self.open_logs_button, self.copy_button):
            b.setEnabled(True)

    def diagnostics_text(self) -> str:
        """What "Copy diagnostics" puts on the clipboard ("" before the facts are read)."""
        if self.facts is None:
            return ""
        return diagnostics(self.facts, {"Qt": f"{qVersion()} (PySide6 {pyside_version})",
                                        "Qt platform": QGuiApplication.platformName()})

    def copy_diagnostics(self) -> None:
        text = self.diagnostics_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.sig_info.emit("The diagnostics are on the clipboard: paste them into your support request.")

    def open_log_folder(self) -> None:
        if self.facts is None:
            return
        folder = self.facts.log_folder
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.sig_error.emit(f"No file manager opened {folder}; the log is {self.facts.log_file.name} there.")
