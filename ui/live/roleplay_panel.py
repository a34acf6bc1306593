"""A role-play item in the live console: every group's current round with its own clock,
recording a round with markers by key, the private brief for one person, the rubric.

The rounds and their clocks are ``app.roleplay.console.RolePlayBoard``'s; each group runs
on its own clock: parallel triads
start, move on and get "+1 min" independently; with auto-advance on, a phase whose time is
up moves on by itself. One round at a time can be recorded (the laptop has one camera)
through ``app.roleplay.recording.RoundRecording``, which applies the consent gate to
everyone who plays; while it records, the console hands its key presses here first
(:meth:`RoleplayPanel.handle_key`): ``1``–``9`` mark the rubric's criteria as a strength,
Shift+number as "to improve", ``0`` or ``M`` a plain bookmark.

API for the console: ``panel.show_item(workshop_id, item_id or None)`` whenever the current
agenda item may have changed, ``panel.handle_key(event)`` from ``keyPressEvent``;
``sig_review`` asks the window to open the review of a round.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning.workshops import load_plan
from app.roleplay.briefs import brief_for
from app.roleplay.console import RolePlayBoard
from app.roleplay.recording import RoundRecording, recording_gate
from app.roleplay.rounds import phase_clock, swap
from app.roleplay.scenarios import OBSERVER_ROLE
from app.roleplay.views import MarkerView, RoundView, ScenarioView
from app.text import clock
from ui.changes import CONTRIBUTIONS, Changes, announce
from ui.kit.page import Page
from ui.kit.widgets import muted
from ui.live.brief_overlay import BriefOverlay
from ui.live.keys import typed
from ui.live.round_card import RoundCard
from ui.live.round_recorder import RoundRecorder
from ui.live.rubric_dialog import RubricDialog

BOOKMARK_KEYS = ("0", "m")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class RoleplayPanel(QWidget):
    """The rounds of one role-play item, one card per group."""

    sig_error = Signal(str)
    """(text: str) — one sentence for the banner."""
    sig_info = Signal(str)
    """(text: str) — news for the banner."""
    sig_review = Signal(object)
    """(round_id: uuid.UUID) — open the review of this recorded round."""
    sig_marker = Signal(object)
    """(marker: MarkerView) — a marker was dropped (it is on disk)."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None, *,
                 now: Callable[[], datetime] = _utcnow) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.now = now
        self.workshop_id: uuid.UUID | None = None
        self.item_id: uuid.UUID | None = None
        self.board: RolePlayBoard | None = None
        self.scenario: ScenarioView | None = None
        self.rounds: list[RoundView] = []
        self.names: dict[Any, str] = {}
        self.no_video: set[Any] = set()
        self.cards: dict[int, RoundCard] = {}
        self.shown: dict[int, uuid.UUID] = {}
        self.overlay: BriefOverlay | None = None
        self.rubric: RubricDialog | None = None
        self.recorder = RoundRecorder(ctx, self)
        self.recorder.sig_error.connect(self.sig_error)
        self.recorder.sig_frame.connect(self._on_frame)
        self.recorder.sig_kept.connect(self._kept)
        self.recorder.sig_ended.connect(self.reload)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.situation = muted("")
        head.addWidget(self.situation, 1)
        self.auto_box = QCheckBox("Next phase when time is up")
        self.auto_box.setChecked(True)
        self.auto_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head.addWidget(self.auto_box, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        self.keys_hint = muted("")
        lay.addWidget(self.keys_hint)
        self.cards_scroll = QScrollArea()
        self.cards_scroll.setWidgetResizable(True)
        self.cards_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cards_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.inner = QWidget()
        self.cards_layout = QVBoxLayout(self.inner)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_scroll.setWidget(self.inner)
        lay.addWidget(self.cards_scroll)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self.tick)
        self.hide()

    # ------------------------------------------------------------ what is shown

    def show_item(self, workshop_id: uuid.UUID | None, item_id: uuid.UUID | None) -> None:
        """Follow the console's current item: shown for a role play, hidden otherwise (a
        recording in progress keeps going until it is stopped)."""
        if item_id != self.item_id:
            self.shown.clear()
        self.workshop_id, self.item_id = workshop_id, item_id
        self.setVisible(item_id is not None)
        if item_id is None:
            self._tick.stop()
            return
        self.reload()
        self._tick.start()

    def reload(self) -> None:
        """Read the item's card and rounds again and redraw the cards."""
        if self.item_id is None or self.workshop_id is None:
            return
        try:
            plan = load_plan(self.ctx.store, self.workshop_id)
            self.board = RolePlayBoard(self.ctx.store, self.item_id, auto_advance=self.auto_box.isChecked(),
                                       now=lambda: self.now())
        except USER_ERRORS as exc:
            self.board = None
            self.scenario, self.rounds = None, []
            self.situation.setText(f"{exc} (Agenda → Role-play card and rotation…)")
            self.keys_hint.setText("")
            self._set_cards([])
            self._fit()
            return
        self.board.subscribe(self._board_changed)
        self.names = {p.id: p.name for p in plan.participants}
        self.no_video = {p.id for p in plan.participants if not p.consent.video}
        self.scenario, self.rounds = self.board.scenario, self.board.rounds
        self.situation.setText(f"<b>{self.scenario.title}</b> — {self.scenario.situation}")
        criteria = ", ".join(f"{i + 1} {c.label}" for i, c in enumerate(self.scenario.rubric[:9]))
        self.keys_hint.setText(f"While recording: {criteria} · Shift+number: to improve · 0 or M: bookmark")
        groups = sorted({r.group for r in self.rounds}) or [0]
        self._set_cards(groups)
        for g in groups:
            self._show_card(g)
        self._fit()
        self.tick()

    def _fit(self) -> None:
        """As tall as the cards (two and a bit, or about half the column, at most; then it
        scrolls): the tiles below keep the rest."""
        self.inner.ensurePolished()  # (the stylesheet's paddings count in the heights)
        self.cards_layout.activate()
        cards = list(self.cards.values())
        if not cards:
            self.cards_scroll.setFixedHeight(0)
            return
        one = max(c.sizeHint().height() for c in cards) + self.cards_layout.spacing()
        slack = self.fontMetrics().height()  # (wrapped labels measure a little short before they are laid out)
        parent = self.parentWidget()
        column = parent.height() if parent is not None else 0
        cap = max(one + slack, int(column * 0.55)) if column > 0 else int(one * 2.3)  # the tiles keep the rest
        self.cards_scroll.setFixedHeight(min(self.inner.sizeHint().height() + slack, cap, int(one * 2.3)))

    def _board_changed(self, _event: str) -> None:
        """A round moved on (here, or by auto-advance): redraw and tell the other screens."""
        if self.board is None:
            return
        self.rounds = self.board.rounds
        for g in self.cards:
            self._show_card(g)
        self._announce(CONTRIBUTIONS)

    def _set_cards(self, groups: list[int]) -> None:
        if sorted(self.cards) == groups:
            return
        for card in self.cards.values():
            card.setParent(None)
            card.deleteLater()
        self.cards = {}
        while self.cards_layout.count():
            self.cards_layout.takeAt(0)
        for g in groups:
            card = RoundCard(g)
            self._connect(card)
            self.cards[g] = card
            self.cards_layout.addWidget(card)
            card.show()  # (a layout shows a new child of a visible widget only later, queued)
        self.cards_layout.addStretch(1)

    def _connect(self, card: RoundCard) -> None:
        g = card.group
        card.start_button.clicked.connect(lambda: self.start(g))
        card.next_button.clicked.connect(lambda: self.next_phase(g))
        card.plus_button.clicked.connect(lambda: self.add_minute(g))
        card.record_button.clicked.connect(lambda: self.record(g))
        card.stop_button.clicked.connect(self.stop_recording)
        card.rate_button.clicked.connect(lambda: self.rate(g))
        card.review_button.clicked.connect(lambda: self.review(g))
        card.next_round_button.clicked.connect(lambda: self.next_round(g))
        card.observe_button.clicked.connect(lambda: self.let_observe(g))
        menu = QMenu(card.brief_button)
        menu.aboutToShow.connect(lambda: self._fill_brief_menu(menu, g))
        card.brief_button.setMenu(menu)

    def current(self, group: int) -> RoundView | None:
        """The round a group's card shows: the one last started there (until "Next round"),
        else the first not finished, else the last."""
        mine = [r for r in self.rounds if r.group == group]
        chosen = next((r for r in mine if r.id == self.shown.get(group)), None)
        return chosen or next((r for r in mine if not r.finished), mine[-1] if mine else None)

    def _show_card(self, group: int) -> None:
        card, scenario = self.cards.get(group), self.scenario
        if card is None or scenario is None:
            return
        rnd = self.current(group)
        total = sum(1 for r in self.rounds if r.group == group)
        card.show_round(rnd, scenario, total, self.names, self.no_video)
        if rnd is None:
            self._fit()
            return
        running = rnd.started and not rnd.finished
        recording_here = self.recorder.take is not None and self.recorder.round is not None \
            and self.recorder.round.id == rnd.id
        after_play = rnd.finished or ("play" in rnd.phase_starts and rnd.phase != "play")
        later = any(r.group == group and not r.finished and r.number > rnd.number for r in self.rounds)
        card.start_button.setVisible(not rnd.started)
        card.next_button.setVisible(running)
        card.plus_button.setVisible(running)
        card.record_button.setVisible(running and not recording_here and rnd.clip_id is None)
        card.stop_button.setVisible(recording_here)
        card.brief_button.setVisible(not rnd.finished)
        card.rate_button.setVisible(after_play)
        card.review_button.setVisible(rnd.clip_id is not None)
        card.next_round_button.setVisible(rnd.finished and later)
        card.observe_button.setVisible(False)
        if recording_here:
            return
        if rnd.clip_id is not None:
            card.set_record_line("Recorded. Review it with its markers.")
        elif running or not rnd.started:
            gate = recording_gate(self.ctx.store, rnd.id)
            card.record_button.setEnabled(gate.allowed and self.recording is None)
            card.record_button.setToolTip(gate.sentence)
            card.set_record_line("" if gate.allowed else gate.sentence, alert=not gate.allowed)
            swap = self._observer_swap(rnd) if not rnd.started and not gate.allowed else None
            card.observe_button.setVisible(swap is not None)
            if swap is not None:
                card.observe_button.setText(f"Let {self.names.get(swap[0], '?')} observe")
        else:
            card.set_record_line("Played without a recording.")
        card.show_preview(None)

    def tick(self) -> None:
        """Every group's clock now; a phase whose time is up moves on when auto-advance is on."""
        if self.board is None or self.scenario is None:
            return
        self.board.auto_advance = self.auto_box.isChecked()
        self._act(self.board.tick)
        now = self.now()
        for g, card in self.cards.items():
            rnd = self.current(g)
            if rnd is not None:
                card.show_clock(phase_clock(rnd, self.scenario, now), rnd.extra_s)
        self._show_recording_line()

    # ------------------------------------------------------------ the phase clock

    def _act(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return None

    def start(self, group: int) -> RoundView | None:
        if self.board is None:
            return None
        view = self._act(self.board.start, group)
        if view is not None:
            self.shown[group] = view.id
        self.tick()
        return view

    def next_phase(self, group: int) -> RoundView | None:
        view = self._act(self.board.next_phase, group) if self.board else None
        self.tick()
        return view

    def add_minute(self, group: int) -> RoundView | None:
        view = self._act(self.board.add_minute, group) if self.board else None
        self.tick()
        return view

    def next_round(self, group: int) -> None:
        rnd = self.current(group)
        nxt = next((r for r in self.rounds if rnd and r.group == group and not r.finished
                    and r.number > rnd.number), None)
        if nxt is not None:
            self.shown[group] = nxt.id
            self._show_card(group)
            self.tick()

    def _observer_swap(self, rnd: RoundView) -> tuple[uuid.UUID, uuid.UUID] | None:
        """(a player without video consent, an observer with it) of a round not started, or None."""
        player = next((p for p in rnd.players if p in self.no_video), None)
        observer = next((c.participant_id for c in rnd.cast
                         if c.role == OBSERVER_ROLE and c.participant_id not in self.no_video), None)
        return (player, observer) if player is not None and observer is not None else None

    def let_observe(self, group: int) -> bool:
        """The player without video consent observes instead: they and an observer who agreed
        swap places from this round on (so the rotation still gives each their roles once)."""
        rnd = self.current(group)
        pair = self._observer_swap(rnd) if rnd is not None and not rnd.started else None
        if rnd is None or pair is None or self.scenario is None:
            return False
        try:
            swap(self.ctx.store, self.scenario.id, group, *pair, from_number=rnd.number)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return False
        self.sig_info.emit(f"{self.names.get(pair[0], '?')} observes round {rnd.number}; "
                           f"{self.names.get(pair[1], '?')} plays.")
        self._announce(CONTRIBUTIONS)
        self.reload()
        return True

    def _announce(self, *kinds: str) -> None:
        """Tell the other screens, as the page this panel sits on (already up to date)."""
        initiator: QObject = self
        w = self.parentWidget()
        while w is not None:
            if isinstance(w, Page):
                initiator = w
                break
            w = w.parentWidget()
        announce(Changes.of(*kinds, workshop=self.workshop_id), initiator)

    # ------------------------------------------------------------ recording and markers

    @property
    def recording(self) -> RoundRecording | None:
        """The take while a round records."""
        return self.recorder.take

    @property
    def recording_round(self) -> RoundView | None:
        """The round being recorded (until its clip is kept)."""
        return self.recorder.round

    @property
    def markers(self) -> list[MarkerView]:
        """The markers dropped on the recording in progress."""
        return self.recorder.markers

    def record(self, group: int) -> bool:
        """Record the group's running round (the consent gate first; one recording at a time)."""
        rnd = self.current(group)
        if rnd is None or not self.recorder.start(rnd, self.workshop_id):
            return False
        self._show_card(group)
        return True

    def handle_key(self, e: QKeyEvent) -> bool:
        """A marker for a key pressed while a round records; False when the key is not one."""
        if self.recorder.take is None or self.recorder.stopping:
            return False
        text, shifted = typed(e)
        if not text or not (text.isdigit() or text in BOOKMARK_KEYS):
            return False
        marker = self.recorder.mark("m" if text in BOOKMARK_KEYS else text, shift=shifted)
        if marker is not None:
            self._show_recording_line()
            self.sig_marker.emit(marker)
        return True

    def _show_recording_line(self) -> None:
        take, rnd = self.recorder.take, self.recorder.round
        if take is None or rnd is None or rnd.group not in self.cards:
            return
        marks = self.recorder.markers
        line = f"● REC {clock(take.offset_s)}  ·  {len(marks)} marker{'s' if len(marks) != 1 else ''}"
        if marks:
            last = marks[-1]
            crit = self.scenario.criterion(last.criterion) if (self.scenario and last.criterion) else None
            what = crit.label if crit else "bookmark"
            line += f"  ·  last: {what}" + (" (to improve)" if last.polarity == "improve" else "")
        self.cards[rnd.group].set_record_line(line, alert=True)

    def stop_recording(self) -> None:
        self.recorder.stop()

    def _on_frame(self, image: QImage) -> None:
        rnd = self.recorder.round
        if rnd is not None and rnd.group in self.cards:
            self.cards[rnd.group].show_preview(image)

    def _kept(self, view: Any, rnd: RoundView, marks: int) -> None:
        self.sig_info.emit(f"Group {rnd.group + 1}, round {rnd.number} recorded ({view.seconds:.0f} s, "
                           f"{marks} marker{'s' if marks != 1 else ''}).")
        self.reload()

    def resizeEvent(self, e: Any) -> None:
        super().resizeEvent(e)
        self._fit()

    def shutdown(self) -> None:
        """The window closes: a recording still running is stopped and kept as the round's."""
        self._tick.stop()
        self.recorder.close()

    # ------------------------------------------------------------ brief, rubric, review

    def _fill_brief_menu(self, menu: QMenu, group: int) -> None:
        menu.clear()
        rnd = self.current(group)
        if rnd is None or self.scenario is None:
            return
        for c in rnd.cast:
            role = self.scenario.role(c.role)
            action = menu.addAction(f"{self.names.get(c.participant_id, '?')} ({role.name if role else c.role})")
            action.triggered.connect(partial(self.show_brief, rnd.id, c.participant_id))

    def show_brief(self, round_id: uuid.UUID, participant_id: uuid.UUID) -> BriefOverlay | None:
        """One person's brief over the whole window (nobody else's is on screen)."""
        try:
            brief = brief_for(self.ctx.store, round_id, participant_id)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return None
        self.overlay = BriefOverlay(brief, self.window())
        self.overlay.open()
        return self.overlay

    def rate(self, group: int) -> RubricDialog | None:
        """The observer rubric of the group's round (after its play phase)."""
        rnd = self.current(group)
        if rnd is None or self.scenario is None:
            return None
        self.rubric = RubricDialog(self.ctx, rnd, self.scenario, self.names, self)
        self.rubric.sig_saved.connect(lambda n: self._rated(n))
        self.rubric.open()
        return self.rubric

    def _rated(self, count: int) -> None:
        self._announce(CONTRIBUTIONS)
        self.sig_info.emit(f"{count} rating{'s' if count != 1 else ''} saved.")

    def review(self, group: int) -> None:
        rnd = self.current(group)
        if rnd is not None and rnd.clip_id is not None:
            self.sig_review.emit(rnd.id)


__all__ = ["RoleplayPanel"]
