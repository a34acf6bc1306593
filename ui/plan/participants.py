"""The planner's Participants tab: add people (typed or from a roster), consent, keys."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
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
from app.planning.roster import Roster, RosterRead, import_roster, read_roster
from app.planning.views import WorkshopPlan
from app.text import plural
from ui.changes import WORKSHOPS
from ui.kit.widgets import ID_ROLE, button, muted
from ui.plan.consent_history import ConsentHistory
from ui.plan.roster_preview import RosterPreview
from ui.tasks import describe, run_task

if TYPE_CHECKING:
    from ui.plan.page import Planner


class ParticipantsTab(QWidget):
    """The workshop's people: typed in or imported, their consent, their console keys."""

    sig_imported = Signal(int)
    """(added: int) — a roster import ended: how many people it added (0 when the file was
    refused, the preview cancelled or the import failed)."""

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
        imp = self.import_button = button("Import roster…", icon="import",
                                          tip="A roster exported from a spreadsheet or HR tool (CSV or .xlsx)")
        imp.clicked.connect(self._import)
        for w, stretch in ((self.name, 2), (self.email, 3), (self.team, 1), (add, 0), (imp, 0)):
            add_row.addWidget(w, stretch)
        lay.addLayout(add_row)
        self.progress = muted("")
        self.progress.hide()
        self._busy = False
        lay.addWidget(self.progress)
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

    def import_file(self, path: Path, *, confirm: bool = True) -> bool:
        """Read the roster in the background, preview it (where the trainer can say which
        column holds what), then import it in the background; returns whether this started
        (not while another roster is on its way in). Without ``confirm``, the recognised
        columns are taken as they are. Every end (imported, refused, cancelled) is one
        :attr:`sig_imported`; a refusal's sentence goes to the planner's error banner."""
        if self.plan is None or self.importing:
            return False
        workshop_id, title = self.plan.id, self.plan.title
        self._busy = True
        self.import_button.setEnabled(False)
        self.progress.setText(f"Reading {path.name}…")
        self.progress.show()

        def read(result: RosterRead) -> None:
            if self.plan is None or self.plan.id != workshop_id:
                # The trainer opened another workshop while the file was being read: the
                # roster was meant for the one they left, and they are no longer looking at it.
                self.planner.sig_info.emit(f"Nothing was imported from {path.name}: another workshop was "
                                           "opened while it was being read.")
                self._end(0)
            elif confirm:
                self._preview(path, result, workshop_id, title)
            else:
                assert result.roster is not None  # recognised_only parses or raises
                self._start_import(path, result.roster, workshop_id, title)

        def refused(exc: BaseException) -> None:
            self.planner.sig_error.emit(describe(exc))
            self._end(0)

        run_task(self, read_roster, path, key="roster-read", recognised_only=not confirm,
                 on_success=read, on_failure=refused)
        return True

    def _preview(self, path: Path, read: RosterRead, workshop_id: uuid.UUID, title: str) -> None:
        # Window-modal and opened, not exec'd: no nested event loop inside a task's callback.
        dialog = RosterPreview(read.table, path, self, columns=read.columns, roster=read.roster)

        def closed(code: int) -> None:
            dialog.deleteLater()
            if code != QDialog.DialogCode.Accepted.value or dialog.roster is None:
                self._end(0)
            else:
                self._start_import(path, dialog.roster, workshop_id, title)

        dialog.finished.connect(closed)
        dialog.open()

    def _end(self, added: int) -> None:
        self._busy = False
        self.import_button.setEnabled(True)
        self.progress.hide()
        self.sig_imported.emit(added)

    @property
    def importing(self) -> bool:
        """Whether a roster is on its way in: being read, previewed or imported (a second one
        waits for it to end)."""
        return self._busy

    def _start_import(self, path: Path, roster: Roster, workshop_id: uuid.UUID, title: str) -> None:
        # The import runs on the store lane: the window stays usable and a tap in the console
        # goes in between its batches. It is not cancelled when the trainer opens another
        # workshop (half a roster is no use to anyone); it finishes and says where it went.
        total = len(roster.rows)
        added: list[int] = []
        self.progress.setText(f"Importing {path.name}: 0 of {plural(total, 'person', 'people')}…")
        self.progress.show()

        def advanced(done: int) -> None:
            self.progress.setText(f"Importing {path.name}: {done} of {plural(total, 'person', 'people')}…")

        def shown() -> None:
            # The list (people counts) and whichever workshop is open now are read again;
            # the other screens hear which workshop changed.
            self.planner.refresh()
            self.planner.announce(WORKSHOPS, workshop=workshop_id)

        def imported(ids: list[uuid.UUID]) -> None:
            here = self.plan is not None and self.plan.id == workshop_id
            shown()
            where = "" if here else f" into “{title}”"
            self.planner.sig_info.emit(" ".join(filter(None, (
                f"{plural(len(ids), 'participant')} imported{where} from {path.name}.", roster.left_out()))))
            added.append(len(ids))

        def failed(exc: BaseException) -> None:
            # What went in before the failure stays (each batch is whole); importing the same
            # file again adds the rest and nothing twice. Show what did go in.
            shown()
            self.planner.sig_error.emit(describe(exc))

        def ended() -> None:
            self._end(added[0] if added else 0)

        run_task(self, import_roster, self.planner.ctx.store, workshop_id, roster, key="roster",
                 consent_by=self._by(), on_progress=advanced, on_success=imported, on_failure=failed,
                 on_finished=ended)

