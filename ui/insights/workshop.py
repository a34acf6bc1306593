"""One workshop's insights: timeline, ripple network, participation, ranking and evidence."""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.influence.wording import INDEX_MEANS
from app.insights.workshop import WorkshopChoice, WorkshopInsights, unranked_note, workshop_insights
from app.text import plural
from ui.insights.charts import EquityChart, NetworkChart, TimelineChart
from ui.insights.evidence import EvidencePanel
from ui.insights.ranking import RankingTable
from ui.kit.widgets import Card, muted, section
from ui.tasks import describe, pending, run_task


class WorkshopView(QWidget):
    """After (or during) a workshop: timeline, ripple network, equity, ranking and evidence."""

    sig_error = Signal(str)
    """(text: str) — the analysis failed; one sentence for the banner."""
    sig_loaded = Signal(object)
    """(insights: WorkshopInsights) — the view now shows this workshop's analysis."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.insights: WorkshopInsights | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(muted("Workshop", wrap=False))
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(36)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice.currentIndexChanged.connect(self._chosen)
        bar.addWidget(self.choice, 1)
        self.status = muted("", wrap=False)
        bar.addWidget(self.status)
        lay.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.timeline = TimelineChart()
        self.network = NetworkChart()
        equity_box = QWidget()
        el = QVBoxLayout(equity_box)
        el.setContentsMargins(0, 0, 0, 0)
        self.equity = EquityChart()
        self.habits = QLabel()
        self.habits.setWordWrap(True)
        self.habits.setTextFormat(Qt.TextFormat.RichText)
        el.addWidget(self.equity, 1)
        el.addWidget(self.habits)
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.addTab(self.network, "Ripple network")
        self.tabs.addTab(equity_box, "Participation")
        legend = muted("● spontaneous   ○ prompted   ★ opened an agenda item   — built on   ┄ inferred ripple")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 4, 0, 0)
        ll.addWidget(self.tabs, 1)
        ll.addWidget(legend)
        split.addWidget(left)

        right = Card()
        right.body.addWidget(section("Who started the ripples"))
        self.ranking = RankingTable(["#", "Participant", "Index", "Set off", "Built on", ""], [4, 24, 8, 10, 11])
        self.ranking.setToolTip(INDEX_MEANS)
        right.body.addWidget(self.ranking, 2)
        right.body.addWidget(muted(INDEX_MEANS))
        self.unranked = muted("")
        right.body.addWidget(self.unranked)
        self.evidence = EvidencePanel(ctx=self.ctx)
        right.body.addWidget(self.evidence, 3)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        cw = self.fontMetrics().averageCharWidth()
        split.setSizes([cw * 90, cw * 60])
        lay.addWidget(split, 1)

        self.ranking.sig_person_selected.connect(self.show_person)
        self.timeline.sig_person_clicked.connect(self.show_person)
        self.network.sig_person_clicked.connect(self.show_person)

    def set_choices(self, choices: list[WorkshopChoice], select: uuid.UUID | None = None) -> None:
        current = select or (self.choice.currentData() if self.choice.count() else None)
        self.choice.blockSignals(True)
        self.choice.clear()
        for w in choices:
            when = w.started_at.astimezone().strftime("%d %b %Y")
            self.choice.addItem(f"{w.title} · {when} · {plural(w.contributions, 'contribution')}", w.id)
        index = self.choice.findData(current) if current is not None else -1
        self.choice.setCurrentIndex(index if index >= 0 else (0 if choices else -1))
        self.choice.blockSignals(False)
        if choices:
            self.load(self.choice.currentData())
        else:
            self.timeline.empty("No workshop has run yet. Run one from the planner, or try `ripple demo`.")
            self.status.setText("")

    def _chosen(self, _i: int) -> None:
        wid = self.choice.currentData()
        if wid is not None:
            self.load(wid)

    @property
    def busy(self) -> bool:
        return pending(self, "analysis")

    def load(self, workshop_id: uuid.UUID) -> None:
        """Analyse the workshop in a task; a newer choice supersedes this one."""
        self.status.setText("Analysing…")
        if self.insights is None:  # nothing drawn yet: say so, not bare axes from 0 to 1
            for chart in (self.timeline, self.network, self.equity):
                chart.empty("Analysing…")
        run_task(self, workshop_insights, self.ctx.store, workshop_id, key="analysis",
                 on_success=self._show, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("")
        self.sig_error.emit(describe(exc))

    def _show(self, wi: WorkshopInsights) -> None:
        self.insights = wi
        explicit = sum(1 for e in wi.edges if e.explicit)
        self.status.setText(f"{plural(len(wi.points), 'contribution')} · {plural(len(wi.edges), 'ripple link')} ({explicit} explicit)")
        self.timeline.show_insights(wi)
        self.network.show_insights(wi)
        self.equity.show_insights(wi)
        self.habits.setText("<br>".join(f"• {html.escape(h)}" for h in wi.equity.habits))
        rows = []
        for r in wi.ranking:
            prof = r.profile
            rows.append((r.person.id, [r.rank, r.person.label, prof.index, len(prof.reach_first),
                                       prof.explicit_ripples, ""]))
        self.ranking.fill(rows)
        self.unranked.setText(unranked_note(wi.unranked, wi.silent))
        keep = self.evidence.person
        if keep is not None and keep in wi.evidence:
            self.show_person(keep)
        elif wi.ranking:
            self.show_person(wi.ranking[0].person.id)
        else:
            self.evidence.show_hint("No one who consented to analytics has shared yet.")
        self.sig_loaded.emit(wi)

    def show_person(self, pid: uuid.UUID) -> None:
        wi = self.insights
        if wi is None:
            return
        self.timeline.select(pid)
        ev = wi.evidence.get(pid)
        if ev is None:
            person = next((x for x in wi.lanes if x.id == pid), None)
            who = person.roster if person else "This participant"
            self.evidence.show_hint(f"{who} did not consent to analytics, so no profile is shown.")
            self.ranking.clearSelection()
            return
        self.ranking.select(pid, emit=False)
        rank = next((r for r in wi.ranking if r.person.id == pid), None)
        headline = f"index {ev.profile.index:.2f} in this workshop" + (f" · #{rank.rank}" if rank else "")
        self.evidence.show_evidence(ev, headline=headline)

