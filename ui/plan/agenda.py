"""The planner's Agenda tab: the items in order (drag to reorder), one item's editor, groups."""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.planning.agenda import (
    add_agenda_item,
    balanced_groups,
    delete_agenda_item,
    move_agenda_item,
    set_groups,
    update_agenda_item,
)
from app.planning.views import WorkshopPlan
from app.text import plural
from app.vocabulary import AGENDA_LABELS
from ui.kit.widgets import ID_ROLE, Card, button, index_of, muted, section
from ui.plan.groups import GroupsDialog
from ui.plan.scenario_editor import ScenarioEditor

if TYPE_CHECKING:
    from ui.plan.page import Planner


class AgendaTab(QWidget):
    """Every change saves at once; the instructions a moment after typing stops."""

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        self.plan: WorkshopPlan | None = None
        self.card_editor: ScenarioEditor | None = None
        self._loading = False
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 12, 0, 0)
        lay.addLayout(self._build_list(), 2)
        self.editor = self._build_editor()
        lay.addWidget(self.editor, 3)

        self.kind.currentIndexChanged.connect(lambda: self._save("kind", self.kind.currentData()))
        self.item_title.editingFinished.connect(lambda: self._save("title", self.item_title.text()))
        self.minutes.editingFinished.connect(lambda: self._save("minutes", self.minutes.value()))
        self._instr_timer = QTimer(self)
        self._instr_timer.setSingleShot(True)
        self._instr_timer.setInterval(600)
        self._instr_timer.timeout.connect(lambda: self._save("instructions", self.instructions.toPlainText()))
        self.instructions.textChanged.connect(lambda: None if self._loading else self._instr_timer.start())

    def _build_list(self) -> QVBoxLayout:
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.model().rowsMoved.connect(self._moved)
        self.list.currentItemChanged.connect(self._selected)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        add = button("Add item", primary=True, icon="add")
        menu = QMenu(add)
        for kind, label in AGENDA_LABELS.items():
            menu.addAction(label).triggered.connect(partial(self.add, kind))
        add.setMenu(menu)
        self.remove = button("Remove", danger=True, icon="remove")
        self.remove.clicked.connect(self._remove)
        up, down = button("↑", tip="Move up"), button("↓", tip="Move down")
        up.clicked.connect(lambda: self._shift(-1))
        down.clicked.connect(lambda: self._shift(1))
        for b in (add, self.remove, up, down):
            row.addWidget(b)
        row.addStretch(1)
        left.addLayout(row)
        return left

    def _build_editor(self) -> Card:
        editor = Card()
        form = QFormLayout()
        self.kind = QComboBox()
        for kind, label in AGENDA_LABELS.items():
            self.kind.addItem(label, kind)
        self.item_title = QLineEdit()
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setDecimals(0)
        self.minutes.setSuffix(" min")
        self.instructions = QPlainTextEdit()
        self.instructions.setPlaceholderText("What participants see on the screen for this item")
        form.addRow("Kind", self.kind)
        form.addRow("Title", self.item_title)
        form.addRow("Planned", self.minutes)
        form.addRow("Instructions", self.instructions)
        editor.body.addLayout(form)
        self.card_button = button("Role-play card and rotation…", tip="Scenario, roles, briefs, phases, rubric")
        self.card_button.clicked.connect(self.edit_card)
        editor.body.addWidget(self.card_button, 0, Qt.AlignmentFlag.AlignLeft)
        editor.body.addWidget(section("Groups"))
        self.groups_label = muted("Everyone together.")
        editor.body.addWidget(self.groups_label)
        grow = QHBoxLayout()
        self.group_count = QSpinBox()
        self.group_count.setRange(2, 12)
        self.group_count.setValue(3)
        self.group_count.setPrefix("into ")
        self.group_count.setSuffix(" groups")
        rnd = button("Random, balanced")
        rnd.clicked.connect(self.random_groups)
        manual = button("Edit groups…")
        manual.clicked.connect(self._manual_groups)
        clear = button("Everyone together")
        clear.clicked.connect(lambda: self._set_groups([]))
        # Two rows of two: one row of four made the planner's editor too wide for the workshop
        # list beside it on a small laptop (the New button then cut the list's heading).
        grow.addWidget(self.group_count)
        grow.addWidget(rnd)
        grow.addStretch(1)
        editor.body.addLayout(grow)
        grow2 = QHBoxLayout()
        grow2.addWidget(manual)
        grow2.addWidget(clear)
        grow2.addStretch(1)
        editor.body.addLayout(grow2)
        return editor

    def show_plan(self, plan: WorkshopPlan) -> None:
        self.plan = plan
        keep = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        chosen = 0
        for i, a in enumerate(plan.agenda):
            groups = f" · {plural(len(a.groups), 'group')}" if a.groups else ""
            item = QListWidgetItem(f"{i + 1}. {a.title}\n{AGENDA_LABELS[a.kind]} · {a.minutes:g} min{groups}")
            item.setData(ID_ROLE, a.id)
            self.list.addItem(item)
            if a.id == keep:
                chosen = i
        self.list.blockSignals(False)
        self.editor.setEnabled(bool(plan.agenda))
        self.remove.setEnabled(bool(plan.agenda))
        if plan.agenda:
            self.list.setCurrentRow(chosen)
            self._selected(self.list.currentItem(), None)

    def current_id(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item else None

    def _selected(self, item: QListWidgetItem | None, _prev: object) -> None:
        if item is None or self.plan is None:
            return
        a = self.plan.item(item.data(ID_ROLE))
        if a is None:
            return
        self._loading = True
        try:
            self.kind.setCurrentIndex(index_of(self.kind, a.kind))
            self.card_button.setVisible(a.kind == "role_play")
            self.item_title.setText(a.title)
            self.minutes.setValue(a.minutes)
            if self.instructions.toPlainText() != a.instructions:
                self.instructions.setPlainText(a.instructions)
            names = {p.id: p.name.split()[0] for p in self.plan.participants}
            if a.groups:
                self.groups_label.setText("\n".join(
                    f"{g.name}: " + ", ".join(names.get(m, "?") for m in g.members) for g in a.groups))
            else:
                self.groups_label.setText("Everyone together.")
        finally:
            self._loading = False

    def _save(self, key: str, value: Any) -> None:
        item_id = self.current_id()
        if self._loading or item_id is None or self.plan is None:
            return
        a = self.plan.item(item_id)
        if a is not None and getattr(a, key) == value:
            return
        if self.planner.guard(update_agenda_item, self.planner.ctx.store, item_id, **{key: value}) is None:
            self.planner.changed()

    def add(self, kind: str) -> None:
        """A new agenda item of ``kind`` after the selected one, selected for editing."""
        if self.plan is None:
            return
        row = self.list.currentRow()
        pos = row + 1 if row >= 0 else None
        minutes = 5 if kind == "break" else 10
        new = self.planner.guard(add_agenda_item, self.planner.ctx.store, self.plan.id, kind,
                                 AGENDA_LABELS[kind], minutes=minutes, position=pos)
        if new:
            self.planner.changed()
            for i in range(self.list.count()):
                if self.list.item(i).data(ID_ROLE) == new:
                    self.list.setCurrentRow(i)
            self.item_title.setFocus()
            self.item_title.selectAll()

    def _remove(self) -> None:
        item_id = self.current_id()
        if item_id:
            self.planner.guard(delete_agenda_item, self.planner.ctx.store, item_id)
            self.planner.changed()

    def _shift(self, delta: int) -> None:
        row = self.list.currentRow()
        item_id = self.current_id()
        if item_id is None or not 0 <= row + delta < self.list.count():
            return
        self.planner.guard(move_agenda_item, self.planner.ctx.store, item_id, row + delta)
        self.planner.changed()

    def _moved(self, *_args: object) -> None:
        ids = [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]
        item_id = self.current_id()
        if item_id is not None:
            self.planner.guard(move_agenda_item, self.planner.ctx.store, item_id, ids.index(item_id))
            QTimer.singleShot(0, self.planner.changed)

    def edit_card(self) -> ScenarioEditor | None:
        """The card editor of the selected role-play item (ui/plan/scenario_editor.py)."""
        item_id = self.current_id()
        if item_id is None or self.plan is None:
            return None
        self.card_editor = ScenarioEditor(self.planner.ctx, self.plan, item_id, self)
        self.card_editor.sig_saved.connect(self.planner.changed)
        self.card_editor.open()
        return self.card_editor

    def random_groups(self) -> None:
        """Split the participants into the chosen number of balanced random groups."""
        if self.plan is None:
            return
        groups = balanced_groups([p.id for p in self.plan.participants], count=self.group_count.value())
        if not groups:
            self.planner.sig_error.emit("Add participants before making groups.")
            return
        self._set_groups(groups)

    def _set_groups(self, groups: list[list[uuid.UUID]]) -> None:
        item_id = self.current_id()
        if item_id is not None:
            self.planner.guard(set_groups, self.planner.ctx.store, item_id, groups)
            self.planner.changed()

    def _manual_groups(self) -> None:
        item_id = self.current_id()
        if item_id is None or self.plan is None:
            return
        a = self.plan.item(item_id)
        dialog = GroupsDialog(self.plan, a.groups if a else (), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._set_groups(dialog.groups())

