"""The Insights page: after a workshop, who started the ripples and why; across workshops, who
is emerging, and each participant's trend; the L&D export.

Everything is computed in tasks (``app.insights.report``) and drawn from the summary it
returns, so a year of workshops never blocks the window. Clicking a name anywhere (ranking,
timeline lane, network node) opens the evidence behind it.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.insights.people import teams
from app.insights.workshop import analysable_workshops
from ui.changes import KINDS
from ui.insights.export_dialog import ExportDialog
from ui.insights.period import PeriodView
from ui.insights.workshop import WorkshopView
from ui.kit.page import Page
from ui.kit.widgets import button, set_style_property, title
from ui.tasks import describe, run_task


class InsightsPage(Page):
    """The nav-rail page: a workshop's ripples, or influence across workshops, and the export."""

    WATCHES = KINDS  # plans, contributions and clips all feed the analyses

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, stale=True)  # computed when first shown
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        head.addWidget(title("Insights", 1.4))
        head.addSpacing(16)
        self.modes = QButtonGroup(self)
        self.mode_buttons: list[QPushButton] = []
        for i, label in enumerate(("One workshop", "Across workshops")):
            b = QPushButton(label)
            b.setObjectName("Chip")
            b.setCheckable(True)
            b.clicked.connect(lambda _c=False, k=i: self.set_mode(k))
            self.modes.addButton(b, i)
            self.mode_buttons.append(b)
            head.addWidget(b)
        head.addStretch(1)
        self.export_button = button("Export candidates…", primary=True, icon="export",
                                    tip="The L&D export: CSV, XLSX or a PDF report")
        self.export_button.clicked.connect(self.open_export)
        head.addWidget(self.export_button)
        outer.addLayout(head)
        self.stack = QStackedWidget()
        self.workshop = WorkshopView(ctx)
        self.period = PeriodView(ctx)
        self.stack.addWidget(self.workshop)
        self.stack.addWidget(self.period)
        outer.addWidget(self.stack, 1)
        for view in (self.workshop, self.period):
            view.sig_error.connect(self.sig_error)
        self.set_mode(0, load=False)

    def set_mode(self, mode: int, *, load: bool = True) -> None:
        self.stack.setCurrentIndex(mode)
        for i, b in enumerate(self.mode_buttons):
            b.setChecked(i == mode)
            set_style_property(b, "active", i == mode)
        if load and mode == 1 and self.period.report is None:
            self.period.set_teams(self._teams())
            self.period.load()

    def _teams(self) -> list[str]:
        return self.guard(teams, self.ctx.store) or []

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Reload the list of workshops (cheap) and the open view."""
        run_task(self, analysable_workshops, self.ctx.store, key="choices",
                 on_success=lambda rows: self.workshop.set_choices(rows, select),
                 on_failure=lambda exc: self.sig_error.emit(describe(exc)))
        if self.stack.currentIndex() == 1:
            self.period.set_teams(self._teams())
            self.period.load()

    def open_export(self) -> None:
        dialog = ExportDialog(self.ctx, teams=self._teams(), parent=self)
        dialog.sig_exported.connect(self.sig_info)
        dialog.open()
