"""Influence across workshops: everyone who may be named, ranked, with their trend and evidence."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.context import Ripple
from app.followup.followthrough import FollowThrough
from app.influence.engine import RULES
from app.influence.wording import INDEX_MEANS
from app.insights.evidence import evidence
from app.insights.period import Candidate, Report, report
from app.insights.workshop import Evidence, Scope
from app.text import plural
from ui.insights.charts import TrendChart
from ui.insights.evidence import EvidencePanel
from ui.insights.ranking import RankingTable
from ui.kit.widgets import Card, muted, section
from ui.tasks import describe, pending, run_task

PERIODS = (("Last 3 months", 91), ("Last 6 months", 182), ("Last 12 months", 365), ("All time", 0))


class PeriodView(QWidget):
    """Across workshops: everyone who may be named, ranked, with their trend and evidence."""

    sig_error = Signal(str)
    """(text: str) — the analysis failed; one sentence for the banner."""
    sig_loaded = Signal(object)
    """(report: Report) — the view now shows this period's report."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(muted("Period", wrap=False))
        self.period = QComboBox()
        for label, days in PERIODS:
            self.period.addItem(label, days)
        self.period.setCurrentIndex(2)
        bar.addWidget(self.period)
        bar.addWidget(muted("Team", wrap=False))
        self.team = QComboBox()
        self.team.setMinimumContentsLength(14)
        bar.addWidget(self.team)
        self.candidates_only = QPushButton("Candidates only")
        self.candidates_only.setCheckable(True)
        self.candidates_only.setObjectName("Chip")
        bar.addWidget(self.candidates_only)
        bar.addStretch(1)
        self.status = muted("", wrap=False)
        bar.addWidget(self.status)
        lay.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        left = Card()
        left.body.addWidget(section("Influence across workshops"))
        self.ranking = RankingTable(["#", "Participant", "Index", "Trend", "Workshops", "Status", "Check-ins"],
                                    [5, 22, 8, 8, 14, 14])
        self.ranking.setToolTip(INDEX_MEANS)
        left.body.addWidget(self.ranking, 1)
        left.body.addWidget(muted(f"{INDEX_MEANS} Candidates: index ≥ {RULES.strong_index:g} with enough evidence."))
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.trend = TrendChart()
        rl.addWidget(self.trend, 2)
        self.evidence = EvidencePanel(ctx=self.ctx)
        rl.addWidget(self.evidence, 3)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        cw = self.fontMetrics().averageCharWidth()
        split.setSizes([cw * 88, cw * 80])
        lay.addWidget(split, 1)

        self.period.currentIndexChanged.connect(lambda _i: self.load())
        self.team.currentIndexChanged.connect(lambda _i: self.load())
        self.candidates_only.toggled.connect(lambda _on: self._fill())
        self.ranking.sig_person_selected.connect(self.show_person)

    def set_teams(self, teams: list[str]) -> None:
        current = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem("All teams", None)
        for t in teams:
            self.team.addItem(t, t)
        i = self.team.findData(current)
        self.team.setCurrentIndex(max(0, i))
        self.team.blockSignals(False)

    def scope(self) -> Scope:
        days = int(self.period.currentData() or 0)
        since = datetime.now().astimezone() - timedelta(days=days) if days else None
        return Scope(since=since, team=self.team.currentData())

    @property
    def busy(self) -> bool:
        return pending(self, "report")

    def load(self) -> None:
        """Compute the chosen period's report in a task; a newer choice supersedes this one."""
        self.status.setText("Analysing…")
        run_task(self, report, self.ctx.store, self.scope(), key="report",
                 on_success=self._show, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("")
        self.sig_error.emit(describe(exc))

    def _show(self, rep: Report) -> None:
        self.report = rep
        self.status.setText(
            f"{plural(rep.workshops, 'workshop')} · {plural(rep.contributions, 'contribution')} · "
            f"{plural(len(rep.candidates), 'candidate')}"
        )
        self._fill()
        keep = self.ranking.selected()
        first = keep or (rep.candidates[0].person.id if rep.candidates else None)
        if first is not None:
            self.ranking.select(first)
        else:
            self.trend.show_series("", [], RULES.strong_index)
            self.evidence.show_hint("No one who consented to analytics took part in this period.")
        self.sig_loaded.emit(rep)

    def _fill(self) -> None:
        rep = self.report
        if rep is None:
            return
        rows = []
        for c in rep.ranking:
            if self.candidates_only.isChecked() and not c.period.candidate:
                continue
            follow = rep.followthrough.get(c.person.id)
            rows.append((c.person.id, [c.rank, c.person.label, c.period.index, f"{c.period.trend:+.2f}",
                                       len(c.period.series), c.status or "—", _follow_text(follow)]))
        self.ranking.fill(rows)

    def show_person(self, pid: uuid.UUID) -> None:
        rep = self.report
        if rep is None:
            return
        cand = rep.candidate(pid)
        if cand is None:
            return
        points = []
        for x in cand.period.series:
            start = rep.workshop_start(x.workshop)
            if start is not None:
                points.append((start, x.index, rep.workshop_title(x.workshop)))
        self.trend.show_series(cand.person.label, points, RULES.strong_index)
        run_task(self, evidence, self.ctx.store, rep, pid, key="evidence",
                 on_success=lambda ev: self._show_evidence(cand, ev),
                 on_failure=lambda exc: self.sig_error.emit(describe(exc)))

    def _show_evidence(self, cand: Candidate, ev: Evidence | None) -> None:
        if ev is None:
            return
        headline = f"index {cand.period.index:.2f} · trend {cand.period.trend:+.2f} per workshop"
        self.evidence.show_evidence(ev, status=cand.status, reasons=cand.reasons, headline=headline)


def _follow_text(follow: FollowThrough | None) -> str:
    """A commitment's follow-through in the ranking: "2 of 2 · last 8/10", or a dash."""
    if follow is None:
        return "—"
    last = f" · last {follow.last_rating}/10" if follow.last_rating is not None else ""
    return f"{follow.check_ins} of {follow.due}{last}"
