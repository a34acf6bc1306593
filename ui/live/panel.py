"""The optional live panel: during a workshop, who is starting ripples and who has not been
heard yet — small enough for a side column of the console.

API for whoever places it: ``panel = LivePanel(ctx)`` and ``panel.set_workshop(workshop_id)``
when a workshop opens, whether the panel is shown or not. From then on it follows that
workshop by itself: every change announced through ``ui.changes`` that touches it (a tap in
the console, an edit in the planner, a sync) recomputes it while it is on show, and a hidden
panel catches up when it is shown again. Recomputing coalesces, runs in a task and never
blocks the console. ``sig_error`` carries a one-sentence message for the page's banner.

Who has not been heard yet is listed calmly: at the start nobody has shared, so the list is
neutral ("Not heard yet: 11", the names muted). Once the room is under way (the rule in
``ui/live/heard.py``: half of it heard, or a third of the agenda's time used — the console
tells the panel with :meth:`LivePanel.set_under_way`, the same verdict its tiles' dots
follow) the heading gains the tiles' small warning-coloured dot and the names read in full
text colour. Never the danger red: a quiet person is a nudge, not an error.
"""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.context import Ripple
from app.insights.workshop import WorkshopInsights, workshop_insights
from ui.changes import CONTRIBUTIONS, WORKSHOPS, Changes, hub
from ui.kit import theme
from ui.kit.widgets import muted, section
from ui.live.heard import under_way
from ui.tasks import cancel_tasks, describe, pending, run_task


class _Stat(QWidget):
    def __init__(self, caption: str) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.value = QLabel("–")
        self.value.setFont(theme.font(1.5, QFont.Weight.Bold))
        self.caption = muted(caption, wrap=False)
        self.caption.setFont(theme.font(0.8))
        lay.addWidget(self.value)
        lay.addWidget(self.caption)


class LivePanel(QFrame):
    """Ripple starters so far, spontaneity, evenness, and who has not been heard."""

    WATCHES = frozenset({CONTRIBUTIONS, WORKSHOPS})  # what was logged, and who is on the roster

    sig_error = Signal(str)
    """(text: str) — the analysis failed; one sentence for the banner."""
    sig_updated = Signal(object)
    """(insights: WorkshopInsights) — the panel now shows this analysis."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None, *, delay_ms: int = 400) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Card")
        self.workshop_id: uuid.UUID | None = None
        self.insights: WorkshopInsights | None = None
        self.stale = False  # a change came while hidden: recompute when shown
        self.told_under_way: bool | None = None  # the console's verdict; None: judged from the analysis
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(delay_ms)
        self._debounce.timeout.connect(self._start)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(8)
        lay.addWidget(section("Ripples so far"))
        stats = QGridLayout()
        self.shares = _Stat("shares")
        self.spontaneous = _Stat("spontaneous")
        self.evenness = _Stat("evenness")
        self.evenness.setToolTip("1 − Gini of contributions per person: 100 % = everyone equally")
        for i, w in enumerate((self.shares, self.spontaneous, self.evenness)):
            stats.addWidget(w, 0, i)
        lay.addLayout(stats)
        lay.addWidget(section("Starting ripples"))
        self.starters = QLabel()
        self.starters.setTextFormat(Qt.TextFormat.RichText)
        self.starters.setWordWrap(True)
        lay.addWidget(self.starters)
        self.silent_title = section("Not heard yet")
        self.silent_title.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.silent_title)
        self.silent = QLabel()
        self.silent.setWordWrap(True)
        lay.addWidget(self.silent)
        self.prompted_only = muted("")
        lay.addWidget(self.prompted_only)
        lay.addStretch(1)
        self._blank()
        hub().sig_changed.connect(self._store_changed)

    # ------------------------------------------------------------ API

    def set_workshop(self, workshop_id: uuid.UUID | None) -> None:
        """Follow another workshop (or none); shows its state right away, or when shown."""
        self.workshop_id = workshop_id
        self.insights = None
        self.told_under_way = None
        cancel_tasks(self, "insights")  # an analysis of the workshop before is no use now
        self._debounce.stop()
        self._blank()
        self.stale = False
        if workshop_id is None:
            return
        if self.isVisible():
            self._start()
        else:
            self.stale = True

    def set_under_way(self, on: bool) -> None:
        """The console's verdict on whether silent people are worth a look now (its tiles'
        dots follow the same one); the list is drawn again if it changes."""
        if on != self.told_under_way:
            self.told_under_way = on
            if self.insights is not None:
                self._show_silent(self.insights)

    @property
    def attention(self) -> bool:
        """Whether the "not heard yet" list is marked for attention right now."""
        wi = self.insights
        if wi is None or not wi.equity.silent:
            return False
        if self.told_under_way is not None:
            return self.told_under_way
        people = len(wi.lanes)
        return under_way(people - len(wi.equity.silent), people)

    def refresh(self) -> None:
        """Recompute soon (calls within ``delay_ms`` fold into one); later if hidden."""
        if self.workshop_id is None:
            return
        if self.isVisible():
            self._debounce.start()
        else:
            self.stale = True

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        # Whoever wrote it (the console included): the panel draws from the store, not from them.
        if self.workshop_id is not None and changes.touches(self.WATCHES, self.workshop_id):
            self.refresh()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if self.stale:
            self.stale = False
            self._debounce.stop()
            self._start()

    @property
    def busy(self) -> bool:
        return self._debounce.isActive() or pending(self, "insights")

    # ------------------------------------------------------------ work

    def _start(self) -> None:
        if self.workshop_id is None:
            return
        # A newer analysis supersedes one still running: only the newest is ever shown.
        run_task(self, workshop_insights, self.ctx.store, self.workshop_id, key="insights",
                 on_success=self._show, on_failure=lambda exc: self.sig_error.emit(describe(exc)))

    def _blank(self) -> None:
        for stat in (self.shares, self.spontaneous, self.evenness):
            stat.value.setText("–")
        self.starters.setText(f"<span style='color:{theme.current().muted}'>Nothing logged yet.</span>")
        self.silent_title.setText("NOT HEARD YET")
        self.silent.setText("")
        self.prompted_only.setText("")

    def changeEvent(self, e: QEvent) -> None:
        super().changeEvent(e)
        if theme.changed(e) and self.insights is not None:  # the colours are baked into the text
            self._draw(self.insights)

    def _show(self, wi: WorkshopInsights) -> None:
        self.insights = wi
        self._draw(wi)
        self.sig_updated.emit(wi)

    def _draw(self, wi: WorkshopInsights) -> None:
        p = theme.current()
        total = len(wi.points)
        spont = sum(1 for x in wi.points if x.spontaneous)
        self.shares.value.setText(str(total))
        self.spontaneous.value.setText(f"{spont / total:.0%}" if total else "–")
        self.evenness.value.setText(f"{1 - wi.equity.gini:.0%}" if total else "–")
        starters = [r for r in wi.ranking if r.profile.rippling_shares][:3]
        if starters:
            top = max(len(r.profile.reach_first) for r in starters) or 1
            rows = []
            for r in starters:  # a table: name, bar and count in columns, the count never split
                n = len(r.profile.reach_first)
                bar = "█" * max(1, round(5 * n / top))
                rows.append(
                    f"<tr><td style='padding-right:6px'><b>{html.escape(r.person.label)}</b></td>"
                    f"<td style='color:{p.spontaneous}; padding-right:6px'>{bar}</td>"
                    f"<td style='color:{p.muted}; white-space:nowrap'>set off {n}</td></tr>"
                )
            self.starters.setText(f"<table cellspacing='0' cellpadding='0'>{''.join(rows)}</table>")
        else:
            self.starters.setText(f"<span style='color:{p.muted}'>No ripples yet.</span>")
        self._show_silent(wi)
        names = {str(x.id): x.roster for x in wi.lanes}
        only = [names.get(x, "?") for x in wi.equity.only_prompted]
        self.prompted_only.setText(("Only when called on: " + ", ".join(only)) if only else "")

    def _show_silent(self, wi: WorkshopInsights) -> None:
        """Who has not been heard: neutral until the room is under way, then calmly marked."""
        p = theme.current()
        names = {str(x.id): x.roster for x in wi.lanes}
        silent = [names.get(x, "?") for x in wi.equity.silent]
        if not silent:
            self.silent_title.setText("NOT HEARD YET")
            self.silent.setText("Everyone has shared.")
            self.silent.setStyleSheet(f"color: {p.success};")
            return
        dot = f"<span style='color:{p.warning}'>●</span>&nbsp;" if self.attention else ""
        self.silent_title.setText(f"{dot}NOT HEARD YET: {len(silent)}")
        self.silent.setText(", ".join(silent))
        self.silent.setStyleSheet(f"color: {p.text if self.attention else p.muted};")


__all__ = ["LivePanel"]
