"""The planner: workshops on the left; details, agenda and participants of the selected one.

Every edit is saved as it is made (each is one small local transaction), so there is no
"Save" button to forget and nothing to lose if the laptop dies mid-plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning.agenda import (
    add_agenda_item,
    balanced_groups,
    delete_agenda_item,
    move_agenda_item,
    set_groups,
    update_agenda_item,
)
from app.planning.participants import (
    add_participant,
    remove_participant,
    set_consent,
    set_hotkey,
    update_participant,
)
from app.planning.roster import Roster, import_roster, parse_roster
from app.planning.templates import TEMPLATES, create_from_template
from app.planning.views import WorkshopPlan, WorkshopSummary
from app.planning.workshops import (
    create_workshop,
    delete_workshop,
    duplicate_workshop,
    list_workshops,
    load_plan,
    update_workshop,
)
from app.vocabulary import AGENDA_LABELS
from ui.kit import theme
from ui.kit.widgets import Card, WrappingList, button, index_of, muted, section, title

ID_ROLE = Qt.ItemDataRole.UserRole


class Planner(QWidget):
    """Plan workshops; emits ``run_live`` with a workshop id when the trainer starts one."""

    run_live = Signal(object)
    error = Signal(str)
    info = Signal(str)
    clips_hidden = Signal(object, str, int)  # participant id, name, how many clips

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("Page")
        self.plan: WorkshopPlan | None = None
        self._loading = False

        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        outer.addWidget(split)

        # -- workshop list
        left = Card()
        head = QHBoxLayout()
        head.addWidget(title("Workshops", 1.3), 1)
        self.new_button = button("New", primary=True, tip="Plan a new workshop (Ctrl+N)")
        menu = QMenu(self.new_button)
        menu.addAction("Blank workshop", lambda: self._create(None))
        menu.addSeparator()
        for key, t in TEMPLATES.items():
            action = menu.addAction(f"{t.title}  ·  {int(t.minutes)} min")
            action.setToolTip(t.summary)
            action.triggered.connect(partial(self._create, key))
        self.new_button.setMenu(menu)
        head.addWidget(self.new_button)
        left.body.addLayout(head)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search workshops")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        left.body.addWidget(self.search)
        self.list = WrappingList()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentItemChanged.connect(self._on_select)
        left.body.addWidget(self.list, 1)
        left.setMinimumWidth(left.fontMetrics().averageCharWidth() * 34)
        split.addWidget(left)

        # -- editor
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        self.heading = title("", 1.6)
        self.heading.setWordWrap(True)
        self.subheading = muted("")
        heading.addWidget(self.heading)
        heading.addWidget(self.subheading)
        top.addLayout(heading, 1)
        self.duplicate_button = button("Duplicate", tip="A fresh copy of this plan, nothing logged")
        self.duplicate_button.clicked.connect(self._duplicate)
        self.delete_button = button("Delete", danger=True)
        self.delete_button.clicked.connect(self._delete)
        self.run_button = button("Run live  ▶", primary=True, tip="Open the facilitator console")
        self.run_button.clicked.connect(lambda: self.plan and self.run_live.emit(self.plan.id))
        for b in (self.duplicate_button, self.delete_button, self.run_button):
            top.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        rl.addLayout(top)
        self.tabs = QTabWidget()
        self.details = DetailsTab(self)
        self.agenda = AgendaTab(self)
        self.people = ParticipantsTab(self)
        self.tabs.addTab(self.details, "Details")
        self.tabs.addTab(self.agenda, "Agenda")
        self.tabs.addTab(self.people, "Participants")
        rl.addWidget(self.tabs, 1)
        self.empty = muted("Choose a workshop on the left, or plan a new one from a template.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        rl.addWidget(self.empty)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        cw = self.fontMetrics().averageCharWidth()
        split.setSizes([cw * 40, cw * 110])
        self._show_editor(False)
        self.refresh()

    # ------------------------------------------------------------ helpers

    def guard(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a use case; a refusal becomes a banner, never a crash."""
        try:
            return fn(*args, **kwargs)
        except USER_ERRORS as exc:
            self.error.emit(str(exc))
            return None

    @property
    def store(self) -> Any:
        return self.ctx.store

    def _show_editor(self, visible: bool) -> None:
        for w in (self.tabs, self.heading, self.subheading, self.duplicate_button, self.delete_button, self.run_button):
            w.setVisible(visible)
        self.empty.setVisible(not visible)

    # ------------------------------------------------------------ list

    def refresh(self, select: uuid.UUID | None = None) -> None:
        keep = select or (self.plan.id if self.plan else None)
        rows = self.guard(list_workshops, self.store) or []
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for w in rows:
            item = self.list.add(self._label(w))
            item.setData(ID_ROLE, w.id)
            item.setToolTip(f"{w.title}\n{w.facilitator or 'no facilitator'} · {w.team or 'no team'}")
            if w.id == keep:
                chosen = item
        self.list.blockSignals(False)
        if chosen is None and self.list.count():
            chosen = self._first_upcoming(rows)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
            self._on_select(chosen, None)
        else:
            self.plan = None
            self._show_editor(False)
        self._filter(self.search.text())

    def _first_upcoming(self, rows: list[WorkshopSummary]) -> QListWidgetItem | None:
        for i, w in enumerate(rows):
            if w.status != "finished":
                return self.list.item(i)
        return self.list.item(0)

    @staticmethod
    def _label(w: WorkshopSummary) -> str:
        local = w.started_at.astimezone()
        fmt = "%a %d %b, %H:%M" if local.year == datetime.now().year else "%a %d %b %Y, %H:%M"
        when = local.strftime(fmt)
        # Finished is what a past date already says: leaving it out keeps the line short enough
        # not to be cut off in the list's default width.
        status = {"planned": " · planned", "live": " · ● live", "finished": ""}.get(w.status, f" · {w.status}")
        return f"{w.title}\n{when}{status} · {w.participants} people"

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in self.list.label(item).lower())

    def _on_select(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.load(item.data(ID_ROLE))

    def load(self, workshop_id: uuid.UUID) -> None:
        plan = self.guard(load_plan, self.store, workshop_id)
        if plan is None:
            return
        self.plan = plan
        self._show_editor(True)
        self.heading.setText(plan.title)
        when = plan.started_at.astimezone().strftime("%A %d %B %Y, %H:%M")
        minutes = sum(a.minutes for a in plan.agenda)
        self.subheading.setText(
            f"{when} · {len(plan.agenda)} agenda items, {int(minutes)} min · {len(plan.participants)} participants"
        )
        self.run_button.setText("Resume live  ▶" if plan.status == "live" else "Run live  ▶")
        self._loading = True
        try:
            self.details.show_plan(plan)
            self.agenda.show_plan(plan)
            self.people.show_plan(plan)
        finally:
            self._loading = False

    def changed(self) -> None:
        """After an edit: reload the plan and the list label, keep the selection."""
        if self.plan is None:
            return
        pid = self.plan.id
        self.load(pid)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == pid:
                summary = next((w for w in list_workshops(self.store) if w.id == pid), None)
                if summary:
                    self.list.set_label(item, self._label(summary))

    # ------------------------------------------------------------ actions

    def _create(self, template: str | None) -> None:
        facilitator = self.ctx.settings.facilitator
        if template:
            wid = self.guard(create_from_template, self.store, template, facilitator=facilitator)
        else:
            wid = self.guard(create_workshop, self.store, "New workshop", facilitator=facilitator)
        if wid:
            self.refresh(select=wid)
            self.tabs.setCurrentWidget(self.details)
            self.details.title_edit.setFocus()
            self.details.title_edit.selectAll()

    def _duplicate(self) -> None:
        if self.plan:
            wid = self.guard(duplicate_workshop, self.store, self.plan.id)
            if wid:
                self.refresh(select=wid)
                self.info.emit("A copy of the plan was made, with nothing logged yet.")

    def _delete(self) -> None:
        if not self.plan:
            return
        box = QDialog(self)
        box.setWindowTitle("Delete workshop")
        lay = QVBoxLayout(box)
        lay.addWidget(QLabel(f"Delete “{self.plan.title}” and everything logged in it?\n"
                             "The deletion reaches the shared store at the next sync."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        yes = buttons.addButton("Delete", QDialogButtonBox.ButtonRole.DestructiveRole)
        yes.clicked.connect(box.accept)
        buttons.rejected.connect(box.reject)
        lay.addWidget(buttons)
        if box.exec() == QDialog.DialogCode.Accepted:
            self.guard(delete_workshop, self.store, self.plan.id)
            self.plan = None
            self.refresh()


class DetailsTab(QWidget):
    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        form = QFormLayout(self)
        form.setContentsMargins(8, 16, 8, 8)
        form.setVerticalSpacing(10)
        self.title_edit = QLineEdit()
        self.facilitator = QLineEdit()
        self.team = QLineEdit()
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd dd MMM yyyy  HH:mm")
        self.location = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Goals, materials, reminders for yourself…")
        form.addRow("Title", self.title_edit)
        form.addRow("Facilitator", self.facilitator)
        form.addRow("Team", self.team)
        form.addRow("Starts", self.when)
        form.addRow("Location", self.location)
        form.addRow("Notes", self.notes)
        for edit, key in ((self.title_edit, "title"), (self.facilitator, "facilitator"), (self.team, "team"),
                          (self.location, "location")):
            edit.editingFinished.connect(lambda e=edit, k=key: self._save(k, e.text()))
        self.when.editingFinished.connect(self._save_when)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(600)
        self._notes_timer.timeout.connect(lambda: self._save("notes", self.notes.toPlainText()))
        self.notes.textChanged.connect(lambda: None if self.planner._loading else self._notes_timer.start())

    def show_plan(self, plan: WorkshopPlan) -> None:
        self.title_edit.setText(plan.title)
        self.facilitator.setText(plan.facilitator)
        self.team.setText(plan.team)
        self.when.setDateTime(QDateTime(plan.started_at.astimezone().replace(tzinfo=None)))
        self.location.setText(plan.location)
        if self.notes.toPlainText() != plan.notes:
            self.notes.setPlainText(plan.notes)

    def _save_when(self) -> None:
        value = self.when.dateTime().toPython()
        if isinstance(value, datetime):
            self._save("started_at", value.astimezone())

    def _save(self, key: str, value: Any) -> None:
        plan = self.planner.plan
        if plan is None or self.planner._loading:
            return
        current = getattr(plan, key)
        if isinstance(value, datetime) and isinstance(current, datetime):
            if abs((value - current).total_seconds()) < 1:
                return
        elif current == value:
            return
        if self.planner.guard(update_workshop, self.planner.store, plan.id, **{key: value}) is None:
            self.planner.changed()


class AgendaTab(QWidget):
    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        self._loading = False
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 12, 0, 0)
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.model().rowsMoved.connect(self._moved)
        self.list.currentItemChanged.connect(self._selected)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        add = button("Add item", primary=True)
        menu = QMenu(add)
        for kind, label in AGENDA_LABELS.items():
            menu.addAction(label).triggered.connect(partial(self._add, kind))
        add.setMenu(menu)
        self.remove = button("Remove", danger=True)
        self.remove.clicked.connect(self._remove)
        up, down = button("↑", tip="Move up"), button("↓", tip="Move down")
        up.clicked.connect(lambda: self._shift(-1))
        down.clicked.connect(lambda: self._shift(1))
        for b in (add, self.remove, up, down):
            row.addWidget(b)
        row.addStretch(1)
        left.addLayout(row)
        lay.addLayout(left, 2)

        self.editor = Card()
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
        self.editor.body.addLayout(form)
        self.editor.body.addWidget(section("Groups"))
        self.groups_label = muted("Everyone together.")
        self.editor.body.addWidget(self.groups_label)
        grow = QHBoxLayout()
        self.group_count = QSpinBox()
        self.group_count.setRange(2, 12)
        self.group_count.setValue(3)
        self.group_count.setPrefix("into ")
        self.group_count.setSuffix(" groups")
        rnd = button("Random, balanced")
        rnd.clicked.connect(self._random_groups)
        manual = button("Edit groups…")
        manual.clicked.connect(self._manual_groups)
        clear = button("Everyone together")
        clear.clicked.connect(lambda: self._set_groups([]))
        grow.addWidget(self.group_count)
        grow.addWidget(rnd)
        grow.addWidget(manual)
        grow.addWidget(clear)
        grow.addStretch(1)
        self.editor.body.addLayout(grow)
        lay.addWidget(self.editor, 3)

        self.kind.currentIndexChanged.connect(lambda: self._save("kind", self.kind.currentData()))
        self.item_title.editingFinished.connect(lambda: self._save("title", self.item_title.text()))
        self.minutes.editingFinished.connect(lambda: self._save("minutes", self.minutes.value()))
        self._instr_timer = QTimer(self)
        self._instr_timer.setSingleShot(True)
        self._instr_timer.setInterval(600)
        self._instr_timer.timeout.connect(lambda: self._save("instructions", self.instructions.toPlainText()))
        self.instructions.textChanged.connect(lambda: None if self._loading else self._instr_timer.start())
        self.plan: WorkshopPlan | None = None

    def show_plan(self, plan: WorkshopPlan) -> None:
        self.plan = plan
        keep = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        chosen = 0
        for i, a in enumerate(plan.agenda):
            groups = f" · {len(a.groups)} groups" if a.groups else ""
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
        if self.planner.guard(update_agenda_item, self.planner.store, item_id, **{key: value}) is None:
            self.planner.changed()

    def _add(self, kind: str) -> None:
        if self.plan is None:
            return
        row = self.list.currentRow()
        pos = row + 1 if row >= 0 else None
        minutes = 5 if kind == "break" else 10
        new = self.planner.guard(add_agenda_item, self.planner.store, self.plan.id, kind,
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
            self.planner.guard(delete_agenda_item, self.planner.store, item_id)
            self.planner.changed()

    def _shift(self, delta: int) -> None:
        row = self.list.currentRow()
        item_id = self.current_id()
        if item_id is None or not 0 <= row + delta < self.list.count():
            return
        self.planner.guard(move_agenda_item, self.planner.store, item_id, row + delta)
        self.planner.changed()

    def _moved(self, *_args: object) -> None:
        ids = [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]
        item_id = self.current_id()
        if item_id is not None:
            self.planner.guard(move_agenda_item, self.planner.store, item_id, ids.index(item_id))
            QTimer.singleShot(0, self.planner.changed)

    def _random_groups(self) -> None:
        if self.plan is None:
            return
        groups = balanced_groups([p.id for p in self.plan.participants], count=self.group_count.value())
        if not groups:
            self.planner.error.emit("Add participants before making groups.")
            return
        self._set_groups(groups)

    def _set_groups(self, groups: list[list[uuid.UUID]]) -> None:
        item_id = self.current_id()
        if item_id is not None:
            self.planner.guard(set_groups, self.planner.store, item_id, groups)
            self.planner.changed()

    def _manual_groups(self) -> None:
        item_id = self.current_id()
        if item_id is None or self.plan is None:
            return
        a = self.plan.item(item_id)
        dialog = GroupsDialog(self.plan, a.groups if a else (), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._set_groups(dialog.groups())


class GroupsDialog(QDialog):
    """Put each participant in a numbered group (0 = no group)."""

    def __init__(self, plan: WorkshopPlan, groups: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Groups")
        self.plan = plan
        current = {m: i + 1 for i, g in enumerate(groups) for m in g.members}
        lay = QVBoxLayout(self)
        lay.addWidget(muted("Choose a group number for each participant. Groups decide whose shares can "
                            "ripple to whom."))
        self.table = QTableWidget(len(plan.participants), 2)
        self.table.setHorizontalHeaderLabels(["Participant", "Group"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.spins: list[tuple[uuid.UUID, QSpinBox]] = []
        for r, p in enumerate(plan.participants):
            self.table.setItem(r, 0, QTableWidgetItem(p.name))
            spin = QSpinBox()
            spin.setRange(0, 20)
            spin.setSpecialValueText("–")
            spin.setValue(current.get(p.id, 0))
            self.table.setCellWidget(r, 1, spin)
            self.spins.append((p.id, spin))
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 50, self.fontMetrics().height() * 24)

    def groups(self) -> list[list[uuid.UUID]]:
        by_number: dict[int, list[uuid.UUID]] = {}
        for pid, spin in self.spins:
            if spin.value():
                by_number.setdefault(spin.value(), []).append(pid)
        return [by_number[k] for k in sorted(by_number)]


class ParticipantsTab(QWidget):
    COLUMNS = ("Name", "E-mail", "Team", "Video", "Beyond room", "Analytics", "Key")

    def __init__(self, planner: Planner) -> None:
        super().__init__()
        self.planner = planner
        self.plan: WorkshopPlan | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 12, 0, 0)
        add_row = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name")
        self.email = QLineEdit()
        self.email.setPlaceholderText("E-mail (optional, links the person across workshops)")
        self.team = QLineEdit()
        self.team.setPlaceholderText("Team")
        add = button("Add", primary=True)
        add.clicked.connect(self._add)
        self.name.returnPressed.connect(self._add)
        self.email.returnPressed.connect(self._add)
        self.team.returnPressed.connect(self._add)
        imp = button("Import CSV…", tip="A roster exported from a spreadsheet or HR tool")
        imp.clicked.connect(self._import)
        for w, stretch in ((self.name, 2), (self.email, 3), (self.team, 1), (add, 0), (imp, 0)):
            add_row.addWidget(w, stretch)
        lay.addLayout(add_row)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._edited)
        lay.addWidget(self.table, 1)
        foot = QHBoxLayout()
        self.consent_note = muted("Consent is recorded with the time and the facilitator's name. "
                                  "No video consent, no recording; no analytics consent, not in L&D exports.")
        foot.addWidget(self.consent_note, 1)
        remove = button("Remove from workshop", danger=True)
        remove.clicked.connect(self._remove)
        foot.addWidget(remove)
        lay.addLayout(foot)
        self._filling = False

    def show_plan(self, plan: WorkshopPlan) -> None:
        self.plan = plan
        self._filling = True
        self.table.setRowCount(len(plan.participants))
        for r, p in enumerate(plan.participants):
            for c, text in enumerate((p.name, p.email or "", p.team)):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, p.id)
                if p.erased:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            for c, value in enumerate((p.consent.video, p.consent.community, p.consent.analytics), start=3):
                box = QTableWidgetItem()
                box.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
                box.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                box.setData(ID_ROLE, p.id)
                box.setToolTip(self._consent_tip(p))
                self.table.setItem(r, c, box)
            key = QTableWidgetItem((p.hotkey or "").upper())
            key.setData(ID_ROLE, p.id)
            key.setToolTip("The key that logs this person in the live console (leave empty for automatic)")
            self.table.setItem(r, 6, key)
        self._filling = False

    @staticmethod
    def _consent_tip(p: Any) -> str:
        if p.consent.at is None:
            return "No consent recorded yet."
        return f"Recorded {p.consent.at.astimezone():%d %b %Y %H:%M} by {p.consent.by or 'unknown'}"

    def _by(self) -> str:
        plan = self.plan
        return self.planner.ctx.settings.facilitator or (plan.facilitator if plan else "") or "facilitator"

    def _consent(self, pid: uuid.UUID, scope: str, checked: bool) -> None:
        if self.plan is None or self._filling:
            return
        p = self.plan.participant(pid)
        if p is None:
            return
        # Only the scope the trainer changed (and what it implies): a scope this form did not
        # touch is never written, so a stale form cannot undo a withdrawal made elsewhere.
        values: dict[str, bool] = {scope: checked}
        if scope == "community" and checked:
            values["video"] = True
        if scope == "video" and not checked:
            values["community"] = False
        result = self.planner.guard(set_consent, self.planner.store, pid, by=self._by(),
                                    seen=p.consent.withdrawals_seen, **values)
        if result is not None and checked and not getattr(result, scope):
            self.planner.info.emit(
                f"{p.name}'s {scope} consent stays off: a withdrawal recorded on another laptop has "
                "arrived since this list was drawn. Ask again and tick it once more to re-grant it.")
        if scope == "video" and not checked:
            from app.clips.catalogue import hidden_clips_of

            hidden = self.planner.guard(hidden_clips_of, self.planner.store, pid) or []
            if hidden:
                self.planner.clips_hidden.emit(pid, p.name, len(hidden))
        QTimer.singleShot(0, self.planner.changed)

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        pid = item.data(ID_ROLE)
        col = item.column()
        if col in (3, 4, 5):
            scope = ("video", "community", "analytics")[col - 3]
            self._consent(pid, scope, item.checkState() == Qt.CheckState.Checked)
            return
        if col == 6:
            if self.plan:
                key = item.text().strip().lower()[:1] or None
                self.planner.guard(set_hotkey, self.planner.store, self.plan.id, pid, key)
        else:
            key = ("name", "email", "team")[col]
            value: Any = item.text().strip()
            if key == "email":
                value = value or None
            self.planner.guard(update_participant, self.planner.store, pid, **{key: value})
        QTimer.singleShot(0, self.planner.changed)

    def _add(self) -> None:
        if self.plan is None or not self.name.text().strip():
            if self.plan is not None:
                self.planner.error.emit("Type the participant's name first.")
            return
        pid = self.planner.guard(add_participant, self.planner.store, self.plan.id, self.name.text(),
                                 email=self.email.text() or None, team=self.team.text() or self.plan.team)
        if pid:
            self.name.clear()
            self.email.clear()
            self.name.setFocus()
            self.planner.changed()

    def _remove(self) -> None:
        if self.plan is None:
            return
        rows = {i.row() for i in self.table.selectedIndexes()}
        for r in sorted(rows):
            item = self.table.item(r, 0)
            if item:
                self.planner.guard(remove_participant, self.planner.store, self.plan.id, item.data(ID_ROLE))
        self.planner.changed()

    def _import(self) -> None:
        if self.plan is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import roster", str(Path.home()), "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, *, confirm: bool = True) -> int:
        """Preview the roster, then import it; returns how many people were added."""
        if self.plan is None:
            return 0
        roster = self.planner.guard(parse_roster, path)
        if roster is None:
            return 0
        if confirm:
            dialog = RosterPreview(roster, path, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
        ids = self.planner.guard(import_roster, self.planner.store, self.plan.id, roster, consent_by=self._by()) or []
        self.planner.changed()
        self.planner.info.emit(f"{len(ids)} participant(s) imported from {path.name}. {roster.summary()}")
        return len(ids)


class RosterPreview(QDialog):
    def __init__(self, roster: Roster, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {path.name}")
        lay = QVBoxLayout(self)
        head = QLabel(roster.summary())
        head.setFont(theme.font(1.1, QFont.Weight.Bold))
        lay.addWidget(head)
        table = QTableWidget(len(roster.rows), 3)
        table.setHorizontalHeaderLabels(["Name", "E-mail", "Team"])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(roster.rows):
            for c, text in enumerate((row.name, row.email or "", row.team)):
                table.setItem(r, c, QTableWidgetItem(text))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(table, 1)
        issues = roster.duplicates + roster.problems
        if issues:
            lay.addWidget(section("Not imported"))
            box = QPlainTextEdit("\n".join(str(p) for p in sorted(issues, key=lambda p: p.line)))
            box.setReadOnly(True)
            box.setMaximumHeight(box.fontMetrics().height() * 7)
            lay.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton(f"Import {len(roster.rows)}", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setEnabled(bool(roster.rows))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.fontMetrics().height() * 28)
