"""The card editor of a role-play agenda item: the scenario (title, situation, roles with a
public line and a private brief, phases with minutes, the rubric) and its rotation.

The form is filled from the stored scenario, a built-in card or another workshop's scenario;
nothing is written until "Save card", which creates the scenario or writes only the fields
that changed (``app.roleplay.scenarios``). A refusal is one sentence in the dialog and
nothing is saved. The rotation tab (``ui.plan.rotation_view``) works on the saved card.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning.views import WorkshopPlan
from app.roleplay.cards import CARDS, DEFAULT_PHASES, DEFAULT_RUBRIC
from app.roleplay.listing import scenarios_to_copy
from app.roleplay.scenarios import create_scenario, load_scenario, scenario_of_item, update_scenario
from app.roleplay.views import Criterion, Phase, Role, ScenarioView
from ui.kit import theme
from ui.kit.widgets import Card, button, muted, section
from ui.plan.rotation_view import RotationView

CHANNELS = (("non_verbal", "Non-verbal"), ("verbal", "Verbal"))


class RolesEditor(QWidget):
    """The roles: a list on the left, the chosen role's key, name, public line and brief."""

    def __init__(self) -> None:
        super().__init__()
        self.roles: list[Role] = []
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        add, remove = button("Add role"), button("Remove", danger=True)
        add.clicked.connect(self.add_role)
        remove.clicked.connect(self._remove)
        row.addWidget(add)
        row.addWidget(remove)
        left.addLayout(row)
        lay.addLayout(left, 2)
        form = QFormLayout()
        self.key = QLineEdit()
        self.key.setToolTip("A short lower-case word; “observer” makes the role an observer (not rotated)")
        self.name = QLineEdit()
        self.public = QLineEdit()
        self.public.setPlaceholderText("What everyone may read about this role")
        self.brief = QPlainTextEdit()
        self.brief.setPlaceholderText("Only the person who plays this role reads this")
        form.addRow("Key", self.key)
        form.addRow("Name", self.name)
        form.addRow("Public line", self.public)
        form.addRow("Private brief", self.brief)
        lay.addLayout(form, 5)
        for edit in (self.key, self.name, self.public):
            edit.textEdited.connect(self._store)
        self.brief.textChanged.connect(self._store)
        self._loading = False

    def set_roles(self, roles: tuple[Role, ...] | list[Role]) -> None:
        self.roles = list(roles)
        self._fill(0)

    def _fill(self, row: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for r in self.roles:
            self.list.addItem(self._label(r))
        self.list.blockSignals(False)
        if self.roles:
            self.list.setCurrentRow(min(row, len(self.roles) - 1))
        self._show(self.list.currentRow())

    @staticmethod
    def _label(r: Role) -> str:
        return f"{r.name or r.key}  ·  {'observes' if not r.acting else 'acts'}"

    def _show(self, row: int) -> None:
        self._loading = True
        r = self.roles[row] if 0 <= row < len(self.roles) else Role("", "")
        for edit in (self.key, self.name, self.public, self.brief):
            edit.setEnabled(0 <= row < len(self.roles))
        self.key.setText(r.key)
        self.name.setText(r.name)
        self.public.setText(r.public)
        self.brief.setPlainText(r.brief)
        self._loading = False

    def _store(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self.roles):
            return
        r = Role(self.key.text().strip().lower(), self.name.text(), self.public.text(), self.brief.toPlainText())
        self.roles[row] = r
        item = self.list.item(row)
        if item is not None:
            item.setText(self._label(r))

    def add_role(self) -> None:
        n = len(self.roles) + 1
        self.roles.append(Role(f"role{n}", f"Role {n}"))
        self._fill(len(self.roles) - 1)
        self.key.setFocus()
        self.key.selectAll()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.roles):
            del self.roles[row]
            self._fill(row)


class PhasesRubric(QWidget):
    """The phases (name, minutes) beside the rubric (id, label, verbal or non-verbal)."""

    def __init__(self) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.phases = self._table(["Phase", "Minutes"])
        self.rubric = self._table(["Id", "Criterion", "Channel"])
        for label, table, adder, tip in (
            ("Phases", self.phases, self.add_phase, "Prepare, play and feedback by default"),
            ("Rubric (1–5; number keys mark the first nine)", self.rubric, self.add_criterion,
             "Observers rate each player on these; keys 1–9 drop a marker for them while recording"),
        ):
            col = QVBoxLayout()
            col.addWidget(section(label))
            col.addWidget(table, 1)
            row = QHBoxLayout()
            add, remove = button("Add", tip=tip), button("Remove", danger=True)
            add.clicked.connect(adder)
            remove.clicked.connect(lambda _c=False, t=table: t.removeRow(t.currentRow()))
            row.addWidget(add)
            row.addWidget(remove)
            row.addStretch(1)
            col.addLayout(row)
            lay.addLayout(col, 2 if table is self.phases else 3)

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.verticalHeader().hide()
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return t

    def add_phase(self, phase: Phase | None = None) -> None:
        p = phase if isinstance(phase, Phase) else Phase(f"phase {self.phases.rowCount() + 1}", 5)
        r = self.phases.rowCount()
        self.phases.insertRow(r)
        self.phases.setItem(r, 0, QTableWidgetItem(p.name))
        spin = QDoubleSpinBox()
        spin.setRange(0, 120)
        spin.setDecimals(1)
        spin.setSuffix(" min")
        spin.setValue(p.minutes)
        self.phases.setCellWidget(r, 1, spin)

    def add_criterion(self, c: Criterion | None = None) -> None:
        n = self.rubric.rowCount() + 1
        c = c if isinstance(c, Criterion) else Criterion(f"criterion{n}", f"Criterion {n}", "verbal")
        self.rubric.insertRow(n - 1)
        self.rubric.setItem(n - 1, 0, QTableWidgetItem(c.id))
        self.rubric.setItem(n - 1, 1, QTableWidgetItem(c.label))
        combo = QComboBox()
        for code, label in CHANNELS:
            combo.addItem(label, code)
        combo.setCurrentIndex(0 if c.channel == "non_verbal" else 1)
        self.rubric.setCellWidget(n - 1, 2, combo)

    def set_values(self, phases: tuple[Phase, ...], rubric: tuple[Criterion, ...]) -> None:
        self.phases.setRowCount(0)
        self.rubric.setRowCount(0)
        for p in phases:
            self.add_phase(p)
        for c in rubric:
            self.add_criterion(c)

    def phase_values(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.phases.rowCount()):
            item, spin = self.phases.item(r, 0), self.phases.cellWidget(r, 1)
            minutes = spin.value() if isinstance(spin, QDoubleSpinBox) else 0
            out.append({"name": item.text() if item else "", "minutes": minutes})
        return out

    def rubric_values(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.rubric.rowCount()):
            cid, label, combo = self.rubric.item(r, 0), self.rubric.item(r, 1), self.rubric.cellWidget(r, 2)
            out.append({"id": cid.text() if cid else "", "label": label.text() if label else "",
                        "channel": combo.currentData() if isinstance(combo, QComboBox) else "verbal", "scale": 5})
        return out


class ScenarioEditor(QDialog):
    """The card of one role-play item and its rotation."""

    sig_saved = Signal()
    """() — the card or its rounds were written (the planner reloads the plan)."""

    def __init__(self, ctx: Ripple, plan: WorkshopPlan, item_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.item_id = item_id
        self.saved = False
        item = plan.item(item_id)
        self.setWindowTitle(f"Role-play card · {item.title if item else ''}")
        self.scenario: ScenarioView | None = scenario_of_item(ctx.store, item_id)
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_sources())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_card(), "Card")
        self.rubric_tab = PhasesRubric()
        self.tabs.addTab(self.rubric_tab, "Phases and rubric")
        names = {p.id: p.name for p in plan.participants}
        self.rotation = RotationView(ctx, item_id, names)
        self.rotation.sig_error.connect(self.show_problem)
        self.rotation.sig_stored.connect(self.sig_saved)
        self.tabs.addTab(self.rotation, "Rotation")
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)
        foot = QHBoxLayout()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.current().danger};")
        foot.addWidget(self.problem, 1)
        self.save_button = button("Save card", primary=True, tip="Write the card; the rotation uses the saved card")
        self.save_button.clicked.connect(self.save)
        close = button("Close")
        close.clicked.connect(self.accept)
        foot.addWidget(self.save_button)
        foot.addWidget(close)
        lay.addLayout(foot)
        cw, lh = self.fontMetrics().averageCharWidth(), self.fontMetrics().height()
        self.resize(cw * 150, lh * 40)
        if self.scenario is not None:
            self.fill(self.scenario.title, self.scenario.situation, self.scenario.roles, self.scenario.phases,
                      self.scenario.rubric)
        else:
            self.use_card(next(iter(CARDS)))

    def _build_sources(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(muted("Start from a built-in card:", wrap=False))
        self.card_box = QComboBox()
        self.card_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.card_box.setMinimumContentsLength(20)
        for key, c in CARDS.items():
            self.card_box.addItem(c.title, key)
            self.card_box.setItemData(self.card_box.count() - 1, c.summary, Qt.ItemDataRole.ToolTipRole)
        use = button("Use card", tip="Fill the form with this card (saved when you press Save card)")
        use.clicked.connect(lambda: self.use_card(self.card_box.currentData()))
        row.addWidget(self.card_box, 2)
        row.addWidget(use)
        row.addSpacing(16)
        row.addWidget(muted("or copy:", wrap=False))
        self.copy_box = QComboBox()
        self.copy_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.copy_box.setMinimumContentsLength(24)
        for choice in scenarios_to_copy(self.ctx.store, except_item=self.item_id):
            self.copy_box.addItem(choice.label, choice.id)
        copy = button("Copy", tip="Fill the form with the card of another role play (any workshop)")
        copy.clicked.connect(self.copy_selected)
        copy.setEnabled(self.copy_box.count() > 0)
        if not self.copy_box.count():
            self.copy_box.addItem("no other role-play cards yet")
            self.copy_box.setEnabled(False)
        row.addWidget(self.copy_box, 3)
        row.addWidget(copy)
        return row

    def _build_card(self) -> QWidget:
        card = Card()
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.situation = QPlainTextEdit()
        self.situation.setPlaceholderText("What everyone sees before the round: where, who, what is at stake")
        self.situation.setMaximumHeight(self.fontMetrics().height() * 5)
        form.addRow("Title", self.title_edit)
        form.addRow("Situation", self.situation)
        card.body.addLayout(form)
        card.body.addWidget(section("Roles (an observer watches; every other role is played in turn)"))
        self.roles = RolesEditor()
        card.body.addWidget(self.roles, 1)
        return card

    # ------------------------------------------------------------ filling

    def fill(self, title: str, situation: str, roles: tuple[Role, ...], phases: tuple[Phase, ...],
             rubric: tuple[Criterion, ...]) -> None:
        self.title_edit.setText(title)
        self.situation.setPlainText(situation)
        self.roles.set_roles(roles)
        self.rubric_tab.set_values(phases or DEFAULT_PHASES, rubric or DEFAULT_RUBRIC)
        self.problem.clear()

    def use_card(self, key: str) -> None:
        c = CARDS[key]
        self.fill(c.title, c.situation, c.roles, c.phases, c.rubric)

    def copy_selected(self) -> None:
        sid = self.copy_box.currentData()
        if sid is None:
            return
        try:
            other = load_scenario(self.ctx.store, sid)
        except USER_ERRORS as exc:
            self.show_problem(str(exc))
            return
        self.fill(other.title, other.situation, other.roles, other.phases, other.rubric)

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "situation": self.situation.toPlainText(),
                "roles": list(self.roles.roles), "phases": self.rubric_tab.phase_values(),
                "rubric": self.rubric_tab.rubric_values()}

    # ------------------------------------------------------------ saving

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def save(self) -> bool:
        """Create or update the scenario; a refusal is shown and nothing is written."""
        values = self.values()
        try:
            if self.scenario is None:
                sid = create_scenario(self.ctx.store, self.item_id, **values)
                self.scenario = load_scenario(self.ctx.store, sid)
            else:
                self.scenario = update_scenario(self.ctx.store, self.scenario.id, **values)
        except USER_ERRORS as exc:
            self.show_problem(str(exc))
            return False
        self.saved = True
        self.problem.clear()
        self.sig_saved.emit()
        self.rotation.refresh()
        return True

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.rotation:
            self.rotation.refresh()


__all__ = ["ScenarioEditor"]
