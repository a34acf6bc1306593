"""The planner's Participants tab: add people (typed or from a roster), consent, keys."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clips.catalogue import hidden_clips_of
from app.planning.participants import (
    add_participant,
    consent_history,
    remove_participant,
    set_consent,
    set_hotkey,
    update_participant,
)
from app.planning.roster import Roster, import_roster, parse_table
from app.planning.roster_columns import guess_columns, has_name
from app.planning.roster_files import read_roster_table
from app.planning.views import WorkshopPlan
from app.text import plural
from ui.kit.widgets import ID_ROLE, button, muted
from ui.plan.consent_history import ConsentHistory
from ui.plan.roster_preview import RosterPreview

if TYPE_CHECKING:
    from ui.plan.page import Planner


class ParticipantsTab(QWidget):
    """The workshop's people: typed in or imported, their consent, their console keys."""

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
        add = button("Add", primary=True, icon="add")
        add.clicked.connect(self._add)
        self.name.returnPressed.connect(self._add)
        self.email.returnPressed.connect(self._add)
        self.team.returnPressed.connect(self._add)
        imp = button("Import roster…", icon="import",
                     tip="A roster exported from a spreadsheet or HR tool (CSV or .xlsx)")
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
        self.table.itemSelectionChanged.connect(self._show_history)
        lay.addWidget(self.table, 1)
        self.history = ConsentHistory()
        lay.addWidget(self.history)
        foot = QHBoxLayout()
        self.consent_note = muted("Consent is recorded with the time and the facilitator's name. "
                                  "No video consent, no recording; no analytics consent, not in L&D exports.")
        foot.addWidget(self.consent_note, 1)
        self.check_ins_button = button("Check-ins…", tip="The selected person's commitments; type in a check-in")
        self.check_ins_button.clicked.connect(self._check_ins)
        foot.addWidget(self.check_ins_button)
        remove = button("Remove from workshop", danger=True, icon="remove")
        remove.clicked.connect(self._remove)
        foot.addWidget(remove)
        lay.addLayout(foot)
        self._filling = False
        self.check_ins: QDialog | None = None

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
        self._show_history()

    def _show_history(self) -> None:
        """The selected person's consent history (redrawn with the roster, so a change shows)."""
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 and self.table.selectedIndexes() else None
        person = self.plan.participant(item.data(ID_ROLE)) if (item and self.plan) else None
        if person is None or person.erased:
            self.history.show_history(None, "", [])
            return
        records = self.planner.guard(consent_history, self.planner.ctx.store, person.id) or []
        self.history.show_history(person.id, person.name, records)

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
        # Granting is only ever the scope ticked (beyond the room does not tick video by itself);
        # withdrawing video withdraws sharing beyond the room, which needs a recording to share.
        values: dict[str, bool] = {scope: checked}
        if scope == "video" and not checked:
            values["community"] = False
        result = self.planner.guard(set_consent, self.planner.ctx.store, pid, by=self._by(),
                                    seen=p.consent.withdrawals_seen, **values)
        if result is not None and checked and not getattr(result, scope):
            self.planner.sig_info.emit(
                f"{p.name}'s {scope} consent stays off: a withdrawal recorded on another laptop has "
                "arrived since this list was drawn. Ask again and tick it once more to re-grant it.")
        if scope == "video" and not checked:
            hidden = self.planner.guard(hidden_clips_of, self.planner.ctx.store, pid) or []
            if hidden:
                self.planner.sig_clips_hidden.emit(pid, p.name, len(hidden))
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
                self.planner.guard(set_hotkey, self.planner.ctx.store, self.plan.id, pid, key)
        else:
            key = ("name", "email", "team")[col]
            value: Any = item.text().strip()
            if key == "email":
                value = value or None
            self.planner.guard(update_participant, self.planner.ctx.store, pid, **{key: value})
        QTimer.singleShot(0, self.planner.changed)

    def _add(self) -> None:
        if self.plan is None or not self.name.text().strip():
            if self.plan is not None:
                self.planner.sig_error.emit("Type the participant's name first.")
            return
        pid = self.planner.guard(add_participant, self.planner.ctx.store, self.plan.id, self.name.text(),
                                 email=self.email.text() or None, team=self.team.text() or self.plan.team)
        if pid:
            self.name.clear()
            self.email.clear()
            self.name.setFocus()
            self.planner.changed()

    def _check_ins(self) -> None:
        """The selected person's commitments, to log a check-in that arrived later."""
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        if item is None:
            return
        from ui.plan.checkins import PersonCheckIns

        self.check_ins = self.planner.guard(PersonCheckIns, self.planner.ctx, item.data(ID_ROLE), self)
        if self.check_ins is not None:
            self.check_ins.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.check_ins.open()

    def _remove(self) -> None:
        if self.plan is None:
            return
        rows = {i.row() for i in self.table.selectedIndexes()}
        for r in sorted(rows):
            item = self.table.item(r, 0)
            if item:
                self.planner.guard(remove_participant, self.planner.ctx.store, self.plan.id, item.data(ID_ROLE))
        self.planner.changed()

    def _import(self) -> None:
        if self.plan is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import roster", str(Path.home()),
                                              "Rosters (*.csv *.txt *.xlsx);;All files (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, *, confirm: bool = True) -> int:
        """Preview the roster (where the trainer can say which column holds what), then
        import it; returns how many people were added. Without ``confirm``, the recognised
        columns are taken as they are."""
        if self.plan is None:
            return 0
        table = self.planner.guard(read_roster_table, path)
        if table is None:
            return 0
        columns = guess_columns(table.header)
        roster: Roster | None = None
        if has_name(columns) or not confirm:  # a file that cannot be read is refused before any preview
            roster = self.planner.guard(parse_table, table, columns)
            if roster is None:
                return 0
        if confirm:
            dialog = RosterPreview(table, path, self, columns=columns, roster=roster)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.roster is None:
                return 0
            roster = dialog.roster
        if roster is None:
            return 0
        ids = self.planner.guard(import_roster, self.planner.ctx.store, self.plan.id, roster, consent_by=self._by()) or []
        self.planner.changed()
        self.planner.sig_info.emit(" ".join(filter(None, (
            f"{plural(len(ids), 'participant')} imported from {path.name}.", roster.left_out()))))
        return len(ids)

