"""The optional live panel: during a workshop, who is starting ripples and who has not been
heard yet — small enough for a side column of the console.

API for whoever places it: ``panel = LivePanel(ctx)``, ``panel.set_workshop(workshop_id)``
when a workshop opens, and ``panel.refresh()`` after contributions change (cheap to call
often: it coalesces, computes in a worker, and never blocks the console). ``error`` carries a
one-sentence message for the page's banner.
"""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.context import Ripple
from app.insights.workshop import WorkshopInsights, workshop_insights
from ui.kit import theme
from ui.kit.widgets import muted, section
from ui.tasks import run_async


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

    error = Signal(str)
    updated = Signal(object)  # the WorkshopInsights just shown

    def __init__(self, ctx: Ripple, parent: QWidget | None = None, *, delay_ms: int = 400) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Card")
        self.workshop_id: uuid.UUID | None = None
        self.insights: WorkshopInsights | None = None
        self._running = False
        self._dirty = False
        self._token = 0
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
        lay.addWidget(section("Not heard yet"))
        self.silent = QLabel()
        self.silent.setWordWrap(True)
        lay.addWidget(self.silent)
        self.prompted_only = muted("")
        lay.addWidget(self.prompted_only)
        lay.addStretch(1)
        self._blank()

    # ------------------------------------------------------------ API

    def set_workshop(self, workshop_id: uuid.UUID | None) -> None:
        """Follow another workshop (or none); shows its state right away."""
        self.workshop_id = workshop_id
        self.insights = None
        self._token += 1
        self._blank()
        if workshop_id is not None:
            self._debounce.stop()
            self._start()

    def refresh(self) -> None:
        """Recompute soon (calls within ``delay_ms`` fold into one)."""
        if self.workshop_id is not None:
            self._debounce.start()

    @property
    def busy(self) -> bool:
        return self._running or self._debounce.isActive()

    # ------------------------------------------------------------ work

    def _start(self) -> None:
        if self.workshop_id is None:
            return
        if self._running:
            self._dirty = True
            return
        self._running = True
        self._dirty = False
        token = self._token
        run_async(workshop_insights, self.ctx.store, self.workshop_id,
                  on_result=lambda wi: self._show(token, wi), on_error=self._failed,
                  on_finished=self._finished)

    def _finished(self) -> None:
        self._running = False
        if self._dirty:
            self._start()

    def _failed(self, text: str) -> None:
        self.error.emit(text)

    def _blank(self) -> None:
        for stat in (self.shares, self.spontaneous, self.evenness):
            stat.value.setText("–")
        self.starters.setText(f"<span style='color:{theme.current().muted}'>Nothing logged yet.</span>")
        self.silent.setText("")
        self.prompted_only.setText("")

    def _show(self, token: int, wi: WorkshopInsights) -> None:
        if token != self._token:
            return
        self.insights = wi
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
            for r in starters:
                n = len(r.profile.reach_first)
                bar = "█" * max(1, round(8 * n / top))
                rows.append(
                    f"<b>{html.escape(r.person.label)}</b> "
                    f"<span style='color:{p.spontaneous}'>{bar}</span> "
                    f"<span style='color:{p.muted}'>set off {n}</span>"
                )
            self.starters.setText("<br>".join(rows))
        else:
            self.starters.setText(f"<span style='color:{p.muted}'>No ripples yet.</span>")
        names = {str(x.id): x.roster for x in wi.lanes}
        silent = [names.get(x, "?") for x in wi.equity.silent]
        self.silent.setText(", ".join(silent) if silent else "Everyone has shared.")
        self.silent.setStyleSheet(f"color: {p.danger if silent else p.success};")
        only = [names.get(x, "?") for x in wi.equity.only_prompted]
        self.prompted_only.setText(("Only when called on: " + ", ".join(only)) if only else "")
        self.updated.emit(wi)


__all__ = ["LivePanel"]
