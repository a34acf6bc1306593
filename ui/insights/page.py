"""The Insights page: after a workshop, who started the ripples and why; across workshops, who
is emerging, and each participant's trend; the L&D export.

Everything is computed in a worker (``app.insights.workshop``, ``app.insights.period``) and drawn from the summary it returns,
so a year of workshops never blocks the window. Clicking a name anywhere (ranking, timeline
lane, network node) opens the evidence behind it.
"""

from __future__ import annotations

import html
import uuid
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.influence.engine import COMPONENTS
from app.influence.params import RULES
from app.influence.workshop import Profile
from app.insights.evidence import Evidence, evidence
from app.insights.loading import Scope
from app.insights.people import Person, teams
from app.insights.period import Candidate, Report, report
from app.insights.workshop import (
    WorkshopChoice,
    WorkshopInsights,
    analysable_workshops,
    workshop_insights,
)
from ui.insights.charts import EquityChart, NetworkChart, TimelineChart, TrendChart
from ui.kit import theme
from ui.kit.widgets import Card, button, muted, section, title
from ui.tasks import run_async

ID_ROLE = Qt.ItemDataRole.UserRole


def _fmt_when(d: datetime) -> str:
    return d.strftime("%a %d %b, %H:%M")


# ---------------------------------------------------------------- pieces


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
    """Ranked people; selecting a row emits ``person_selected(uuid)``."""

    person_selected = Signal(object)

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
            self.person_selected.emit(pid)


class EvidencePanel(QTextBrowser):
    """The numbers and the records behind one person's rank."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.person: uuid.UUID | None = None
        self.show_hint("Click a name to see the evidence behind it.")

    def show_hint(self, text: str) -> None:
        self.person = None
        p = theme.current()
        self.setHtml(f"<p style='color:{p.muted}'>{html.escape(text)}</p>")

    def show_evidence(self, ev: Evidence, *, status: str = "", reasons: tuple[str, ...] = (),
                      headline: str = "") -> None:
        self.person = ev.person.id
        p = theme.current()
        prof = ev.profile
        e = html.escape
        parts = [f"<h2 style='margin:0'>{e(ev.person.label)}</h2>"]
        sub = " · ".join(x for x in (status, headline) if x)
        if sub:
            parts.append(f"<div style='color:{p.accent};font-weight:600'>{e(sub)}</div>")
        parts.append(f"<p>{e(ev.summary)}.</p>")
        if reasons:
            lines = "<br>".join("• " + e(r) for r in reasons)
            parts.append(f"<p style='color:{p.muted}'>{lines}</p>")
        parts.append(self._points(prof))
        if ev.shares:
            parts.append(f"<h3>Shares that set others off ({len(ev.shares)})</h3><ul>")
            for s in ev.shares:
                who = []
                if s.explicit:
                    who.append("built on by " + e(_names(s.explicit)))
                if s.inferred:
                    who.append("followed by " + e(_names(s.inferred)))
                if s.second_order:
                    who.append(f"+{s.second_order} further")
                mark = "●" if s.spontaneous else "○"
                line = (f"<li><b>{e(_fmt_when(s.at))}</b> · {e(s.item or s.workshop)} · {mark} "
                        f"{e(theme.KIND_SHORT.get(s.kind, s.kind))}"
                        + (f" — {'; '.join(who)}" if who else "")
                        + (f" · {s.reactions} reaction{'s' if s.reactions != 1 else ''}" if s.reactions else "")
                        + (f"<br><i style='color:{p.muted}'>{e(s.note)}</i>" if s.note else "") + "</li>")
                parts.append(line)
            parts.append("</ul>")
        if ev.failures:
            parts.append(f"<h3>Failure stories ({len(ev.failures)})</h3><ul>")
            for s in ev.failures:
                mark = "spontaneous" if s.spontaneous else "prompted"
                parts.append(f"<li>{e(_fmt_when(s.at))} · {e(s.item or s.workshop)} · {mark}</li>")
            parts.append("</ul>")
        if ev.clips:
            parts.append(f"<h3>Clips ({len(ev.clips)})</h3><ul>")
            for c in ev.clips:
                scope = "shared beyond the room" if c.scope == "community" else "room only"
                parts.append(f"<li>{e(_fmt_when(c.at))} · {e(c.title or c.workshop)} · {c.seconds:.0f} s · "
                             f"{scope} · {c.reactions} reaction{'s' if c.reactions != 1 else ''}</li>")
            parts.append("</ul>")
        if ev.set_off:
            parts.append("<h3>Who they set off</h3><p>"
                         + e(", ".join(f"{x.label} ×{n}" if n > 1 else x.label for x, n in ev.set_off)) + "</p>")
        self.setHtml("".join(parts))

    @staticmethod
    def _points(prof: Profile) -> str:
        p = theme.current()
        rows = [(k, v) for k, v in prof.components.items() if abs(v) > 1e-9]
        rows.sort(key=lambda kv: (-kv[1], COMPONENTS.index(kv[0]) if kv[0] in COMPONENTS else 99))
        if not rows:
            return ""
        cells = "".join(
            f"<tr><td style='padding-right:12px'>{html.escape(k)}</td>"
            f"<td align='right'><b>{v:.1f}</b></td></tr>" for k, v in rows
        )
        return (f"<h3>Points</h3><table cellspacing='0' style='color:{p.text}'>{cells}"
                f"<tr><td style='color:{p.muted}'>total</td><td align='right'><b>{prof.score:.1f}</b></td></tr>"
                "</table>")


def _names(people: tuple[Person, ...]) -> str:
    counts: dict[str, int] = {}
    for x in people:
        counts[x.label] = counts.get(x.label, 0) + 1
    return ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in counts.items())


# ---------------------------------------------------------------- one workshop


class WorkshopView(QWidget):
    """After (or during) a workshop: timeline, ripple network, equity, ranking and evidence."""

    error = Signal(str)
    loaded = Signal(object)

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.insights: WorkshopInsights | None = None
        self._token = 0
        self.busy = False
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
        right.body.addWidget(self.ranking, 2)
        self.unranked = muted("")
        right.body.addWidget(self.unranked)
        self.evidence = EvidencePanel()
        right.body.addWidget(self.evidence, 3)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        cw = self.fontMetrics().averageCharWidth()
        split.setSizes([cw * 90, cw * 60])
        lay.addWidget(split, 1)

        self.ranking.person_selected.connect(self.show_person)
        self.timeline.person_clicked.connect(self.show_person)
        self.network.person_clicked.connect(self.show_person)

    def set_choices(self, choices: list[WorkshopChoice], select: uuid.UUID | None = None) -> None:
        current = select or (self.choice.currentData() if self.choice.count() else None)
        self.choice.blockSignals(True)
        self.choice.clear()
        for w in choices:
            when = w.started_at.astimezone().strftime("%d %b %Y")
            self.choice.addItem(f"{w.title} · {when} · {w.contributions} contributions", w.id)
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

    def load(self, workshop_id: uuid.UUID) -> None:
        self._token += 1
        token = self._token
        self.busy = True
        self.status.setText("Analysing…")
        run_async(
            workshop_insights, self.ctx.store, workshop_id,
            on_result=lambda wi: self._show(token, wi),
            on_error=lambda text: self._failed(token, text),
        )

    def _failed(self, token: int, text: str) -> None:
        if token == self._token:
            self.busy = False
            self.status.setText("")
            self.error.emit(text)

    def _show(self, token: int, wi: WorkshopInsights) -> None:
        if token != self._token:
            return  # a newer choice is on its way
        self.busy = False
        self.insights = wi
        explicit = sum(1 for e in wi.edges if e.explicit)
        self.status.setText(f"{len(wi.points)} contributions · {len(wi.edges)} ripple links ({explicit} explicit)")
        self.timeline.show_insights(wi)
        self.network.show_insights(wi)
        self.equity.show_insights(wi)
        p = theme.current()
        self.habits.setText("<br>".join(f"<span style='color:{p.text}'>• {html.escape(h)}</span>"
                                        for h in wi.equity.habits))
        rows = []
        for r in wi.ranking:
            prof = r.profile
            rows.append((r.person.id, [r.rank, r.person.label, prof.index, len(prof.reach_first),
                                       prof.explicit_ripples, ""]))
        self.ranking.fill(rows)
        self.unranked.setText(
            f"{wi.unranked} without analytics consent {'is' if wi.unranked == 1 else 'are'} not ranked."
            if wi.unranked else ""
        )
        keep = self.evidence.person
        if keep is not None and keep in wi.evidence:
            self.show_person(keep)
        elif wi.ranking:
            self.show_person(wi.ranking[0].person.id)
        else:
            self.evidence.show_hint("No one who consented to analytics has shared yet.")
        self.loaded.emit(wi)

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


# ---------------------------------------------------------------- across workshops

PERIODS = (("Last 3 months", 91), ("Last 6 months", 182), ("Last 12 months", 365), ("All time", 0))


class PeriodView(QWidget):
    """Across workshops: everyone who may be named, ranked, with their trend and evidence."""

    error = Signal(str)
    loaded = Signal(object)

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self._token = 0
        self._ev_token = 0
        self.busy = False
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
        self.ranking = RankingTable(["#", "Participant", "Index", "Trend", "Workshops", "Status"],
                                    [5, 22, 8, 8, 14])
        self.ranking.setToolTip("Index: 1.0 = a typical participant of the same workshops")
        left.body.addWidget(self.ranking, 1)
        left.body.addWidget(muted("Index 1.0 = a typical participant of the same workshops. "
                                  f"Candidates: index ≥ {RULES.strong_index:g} with enough evidence."))
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.trend = TrendChart()
        rl.addWidget(self.trend, 2)
        self.evidence = EvidencePanel()
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
        self.ranking.person_selected.connect(self.show_person)

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

    def load(self) -> None:
        self._token += 1
        token = self._token
        self.busy = True
        self.status.setText("Analysing…")
        run_async(report, self.ctx.store, self.scope(),
                  on_result=lambda rep: self._show(token, rep), on_error=lambda t: self._failed(token, t))

    def _failed(self, token: int, text: str) -> None:
        if token == self._token:
            self.busy = False
            self.status.setText("")
            self.error.emit(text)

    def _show(self, token: int, rep: Report) -> None:
        if token != self._token:
            return
        self.busy = False
        self.report = rep
        self.status.setText(
            f"{rep.workshops} workshops · {rep.contributions} contributions · {len(rep.candidates)} candidates"
        )
        self._fill()
        keep = self.ranking.selected()
        first = keep or (rep.candidates[0].person.id if rep.candidates else None)
        if first is not None:
            self.ranking.select(first)
        else:
            self.trend.show_series("", [], RULES.strong_index)
            self.evidence.show_hint("No one who consented to analytics took part in this period.")
        self.loaded.emit(rep)

    def _fill(self) -> None:
        rep = self.report
        if rep is None:
            return
        rows = []
        for c in rep.ranking:
            if self.candidates_only.isChecked() and not c.period.candidate:
                continue
            rows.append((c.person.id, [c.rank, c.person.label, c.period.index, f"{c.period.trend:+.2f}",
                                       len(c.period.series), c.status or "—"]))
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
        self._ev_token += 1
        token = self._ev_token
        run_async(evidence, self.ctx.store, rep, pid,
                  on_result=lambda ev: self._show_evidence(token, cand, ev), on_error=self.error.emit)

    def _show_evidence(self, token: int, cand: Candidate, ev: Evidence | None) -> None:
        if token != self._ev_token or ev is None:
            return
        headline = f"index {cand.period.index:.2f} · trend {cand.period.trend:+.2f} per workshop"
        self.evidence.show_evidence(ev, status=cand.status, reasons=cand.reasons, headline=headline)


# ---------------------------------------------------------------- the page


class InsightsPage(QWidget):
    """The nav-rail page: a workshop's ripples, or influence across workshops, and the export."""

    error = Signal(str)
    info = Signal(str)

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Page")
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
        self.export_button = button("Export candidates…", primary=True,
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
            view.error.connect(self.error.emit)
        self._loaded_once = False
        self.set_mode(0, load=False)

    def set_mode(self, mode: int, *, load: bool = True) -> None:
        self.stack.setCurrentIndex(mode)
        for i, b in enumerate(self.mode_buttons):
            b.setChecked(i == mode)
            b.setProperty("active", i == mode)
            b.style().unpolish(b)
            b.style().polish(b)
        if load and mode == 1 and self.period.report is None:
            self.period.set_teams(self._teams())
            self.period.load()

    def _teams(self) -> list[str]:
        try:
            return teams(self.ctx.store)
        except Exception as exc:  # the store went away: say so, keep the page usable
            self.error.emit(str(exc))
            return []

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Reload the list of workshops (cheap) and the open view."""
        run_async(analysable_workshops, self.ctx.store,
                  on_result=lambda rows: self.workshop.set_choices(rows, select), on_error=self.error.emit)
        if self.stack.currentIndex() == 1:
            self.period.set_teams(self._teams())
            self.period.load()

    def show_workshop(self, workshop_id: uuid.UUID) -> None:
        """Open one workshop's insights (e.g. right after it ends)."""
        self.set_mode(0)
        self.refresh(select=workshop_id)

    def open_export(self) -> None:
        from ui.insights.export_dialog import ExportDialog

        dialog = ExportDialog(self.ctx, teams=self._teams(), parent=self)
        dialog.exported.connect(self.info.emit)
        dialog.open()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if not self._loaded_once:
            self._loaded_once = True
            self.refresh()


__all__ = ["EvidencePanel", "InsightsPage", "PeriodView", "RankingTable", "WorkshopView"]
