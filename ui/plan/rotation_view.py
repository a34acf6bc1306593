"""The rotation tab of the card editor: per group, the rounds Ripple proposes (or has stored),
the one sentence saying what it did for the group's size, and a hand swap.

The proposal is ``app.roleplay.rounds.propose_rotation`` (nothing stored); "Use this
rotation" stores it; a swap exchanges two people in the stored rounds not yet started.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.roleplay.rotation import GroupRotation, PlannedRound
from app.roleplay.rounds import (
    apply_split,
    propose_rotation,
    rounds_of,
    store_rotation,
    swap,
    update_attendance,
)
from app.roleplay.scenarios import OBSERVER_ROLE, scenario_of_item
from app.roleplay.views import RoundView, ScenarioView
from app.text import plural
from ui.kit.widgets import Card, button, muted, section


class RotationView(QWidget):
    """Rounds per group; ``sig_error`` carries a refusal's sentence for the editor."""

    sig_error = Signal(str)
    """(text: str) — a swap or a store was refused; one sentence."""
    sig_stored = Signal()
    """() — the rounds in the store changed (stored, split or swapped)."""

    def __init__(self, ctx: Ripple, item_id: uuid.UUID, names: dict[uuid.UUID, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item_id = item_id
        self.names = names
        self.scenario: ScenarioView | None = None
        self.plans: list[GroupRotation] = []
        self.stored: list[RoundView] = []
        self.tables: dict[int, QTableWidget] = {}
        self.notes: dict[int, QLabel] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        head = QHBoxLayout()
        self.status = muted("")
        head.addWidget(self.status, 1)
        self.store_button = button("Use this rotation", primary=True,
                                   tip="Store these rounds; rounds already started stay as they were")
        self.store_button.clicked.connect(self.store)
        self.split_button = button("Split large groups", tip="Make smaller groups so the rounds end sooner")
        self.split_button.clicked.connect(self.split)
        head.addWidget(self.split_button)
        head.addWidget(self.store_button)
        lay.addLayout(head)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.groups_box = QWidget()
        self.groups_layout = QVBoxLayout(self.groups_box)
        self.groups_layout.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(self.groups_box)
        lay.addWidget(scroll, 1)
        lay.addLayout(self._build_swap())

    def _build_swap(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(section("Swap by hand"))
        self.swap_group = QComboBox()
        self.swap_group.currentIndexChanged.connect(self._fill_swap_people)
        self.swap_a, self.swap_b = QComboBox(), QComboBox()
        for box in (self.swap_a, self.swap_b):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.swap_from = QSpinBox()
        self.swap_from.setRange(1, 99)
        self.swap_from.setPrefix("from round ")
        self.swap_button = button("Swap", tip="The two exchange places in every round from this one on")
        self.swap_button.clicked.connect(self.do_swap)
        for w in (self.swap_group, self.swap_a, QLabel("⇄"), self.swap_b, self.swap_from, self.swap_button):
            row.addWidget(w)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------ reading

    def refresh(self) -> None:
        self.scenario = scenario_of_item(self.ctx.store, self.item_id)
        self.plans, self.stored = [], []
        if self.scenario is not None:
            try:
                self.plans = propose_rotation(self.ctx.store, self.item_id)
                self.stored = rounds_of(self.ctx.store, self.scenario.id)
            except USER_ERRORS as exc:
                self.sig_error.emit(str(exc))
        self._show()

    def _show(self) -> None:
        while self.groups_layout.count():
            taken = self.groups_layout.takeAt(0)
            w = taken.widget() if taken is not None else None
            if w is not None:
                w.deleteLater()
        self.tables.clear()
        self.notes.clear()
        if self.scenario is None:
            self.status.setText("Save the card first: the rotation follows its roles.")
            for w in (self.store_button, self.split_button, self.swap_button):
                w.setEnabled(False)
            return
        stored_groups = {r.group for r in self.stored}
        self.status.setText("Stored rounds are shown; groups without any show Ripple's proposal."
                            if self.stored else "Ripple's proposal (not stored yet).")
        self.store_button.setText("Plan again" if self.stored else "Use this rotation")
        self.store_button.setEnabled(any(p.rounds for p in self.plans))
        self.split_button.setVisible(any(p.split for p in self.plans))
        self.split_button.setEnabled(True)
        for plan in self.plans:
            rounds: Sequence[PlannedRound | RoundView] = (
                [r for r in self.stored if r.group == plan.group] if plan.group in stored_groups else plan.rounds)
            card = self._group_card(plan, rounds)
            self.groups_layout.addWidget(card)
            card.show()  # (a layout shows a new child of a visible widget only later, queued)
        self.groups_layout.addStretch(1)
        self.swap_group.blockSignals(True)
        self.swap_group.clear()
        for g in sorted(stored_groups):
            self.swap_group.addItem(f"Group {g + 1}", g)
        self.swap_group.blockSignals(False)
        self._fill_swap_people()
        self.swap_button.setEnabled(bool(stored_groups))

    def _group_card(self, plan: GroupRotation, rounds: Sequence[PlannedRound | RoundView]) -> Card:
        assert self.scenario is not None
        card = Card()
        cast = list(dict.fromkeys(c.participant_id for r in rounds for c in r.cast))
        heading = section(f"Group {plan.group + 1}: " + ", ".join(self.names.get(m, "?") for m in cast))
        heading.setWordWrap(True)
        card.body.addWidget(heading)
        text = plan.note
        if set(cast) != set(plan.members):
            text = (f"The stored rounds cast {len(cast)} of the group's {plural(len(plan.members), 'person', 'people')}; “Plan again” "
                    "gives everyone their turns without redoing the rounds already played.")
        note = QLabel(text)
        note.setWordWrap(True)
        self.notes[plan.group] = note
        card.body.addWidget(note)
        acting = self.scenario.acting_roles
        headers = ["Round", *(r.name for r in acting), "Observes", "Status"]
        table = QTableWidget(len(rounds), len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, rnd in enumerate(rounds):
            cells = [str(rnd.number)]
            for role in acting:
                cells.append(", ".join(self.names.get(c.participant_id, "?") for c in rnd.cast if c.role == role.key))
            cells.append(", ".join(self.names.get(c.participant_id, "?") for c in rnd.cast
                                   if c.role == OBSERVER_ROLE) or "–")
            if isinstance(rnd, RoundView):
                cells.append("done" if rnd.finished else "playing" if rnd.started else "stored")
            else:
                cells.append("proposed")
            for j, text in enumerate(cells):
                table.setItem(i, j, QTableWidgetItem(text))
        table.setFixedHeight(table.horizontalHeader().height() + sum(table.rowHeight(i) for i in range(len(rounds))) + 6)
        self.tables[plan.group] = table
        card.body.addWidget(table)
        return card

    def _fill_swap_people(self) -> None:
        group = self.swap_group.currentData()
        members: list[uuid.UUID] = []
        for r in self.stored:
            if r.group == group:
                members += [c.participant_id for c in r.cast if c.participant_id not in members]
        for box in (self.swap_a, self.swap_b):
            box.clear()
            for pid in members:
                box.addItem(self.names.get(pid, "?"), pid)
        if self.swap_b.count() > 1:
            self.swap_b.setCurrentIndex(1)
        first_open = min((r.number for r in self.stored if r.group == group and not r.started), default=1)
        self.swap_from.setValue(first_open)

    # ------------------------------------------------------------ writing

    def store(self) -> None:
        """Store the proposal; once rounds have started, re-plan only what is still to play
        over who is in each group now (latecomers get their turns, leavers drop out)."""
        if self.scenario is None:
            return
        try:
            if any(r.started for r in self.stored):
                for plan in self.plans:
                    update_attendance(self.ctx.store, self.scenario.id, plan.group, list(plan.members))
            else:
                store_rotation(self.ctx.store, self.scenario.id, self.plans)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        self.sig_stored.emit()
        self.refresh()

    def split(self) -> None:
        if self.scenario is None:
            return
        try:
            plans = apply_split(self.ctx.store, self.item_id)
            store_rotation(self.ctx.store, self.scenario.id, plans)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        self.sig_stored.emit()
        self.refresh()

    def do_swap(self) -> None:
        if self.scenario is None or self.swap_group.currentData() is None:
            return
        a, b = self.swap_a.currentData(), self.swap_b.currentData()
        if a is None or b is None or a == b:
            self.sig_error.emit("Choose two different people to swap.")
            return
        try:
            swap(self.ctx.store, self.scenario.id, self.swap_group.currentData(), a, b,
                 from_number=self.swap_from.value())
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        self.sig_stored.emit()
        self.refresh()
