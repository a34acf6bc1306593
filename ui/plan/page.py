"""The planner: workshops on the left; details, agenda and participants of the selected one.

Every edit is saved as it is made (each is one small local transaction), so there is no
"Save" button to forget and nothing to lose if the laptop dies mid-plan.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.planning.templates import TEMPLATES, create_from_template
from app.planning.views import WorkshopPlan, WorkshopSummary
from app.planning.workshops import (
    create_workshop,
    delete_workshop,
    duplicate_workshop,
    list_workshops,
    load_plan,
    restore_workshop,
)
from app.text import plural
from ui.changes import CLIPS, CONTRIBUTIONS, WORKSHOPS
from ui.kit.page import Page
from ui.kit.widgets import ID_ROLE, Card, WrappingList, button, confirm_destructive, muted, title
from ui.plan.agenda import AgendaTab
from ui.plan.details import DetailsTab
from ui.plan.participants import ParticipantsTab

#: How long the banner offers to undo a workshop's deletion.
UNDO_DELETE_S = 30


class Planner(Page):
    """Plan workshops; the trainer starts one from here."""

    sig_run_live = Signal(object)
    """(workshop_id: uuid.UUID) — the trainer asked to run (or resume) this workshop live."""
    sig_deleted = Signal(object, str)
    """(workshop_id: uuid.UUID, title: str) — the workshop was deleted; the window offers to
    undo it for a while (:meth:`undo_delete`)."""
    sig_clips_hidden = Signal(object, str, int)
    """(participant_id: uuid.UUID, name: str, count: int) — video consent was withdrawn and
    that many of the person's clips are now hidden everywhere (the window offers to delete them)."""

    # The list shows each workshop's status, which the console changes as it logs.
    WATCHES = frozenset({WORKSHOPS, CONTRIBUTIONS})

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.plan: WorkshopPlan | None = None
        self.loading = False  # filling the editor from a plan: its change signals save nothing

        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        outer.addWidget(split)
        split.addWidget(self._build_list())
        split.addWidget(self._build_editor())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        self.split = split
        self._sized = False
        self._show_editor(False)
        self.refresh()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if not self._sized:  # once the splitter is laid out: sizes set before are rescaled
            self._sized = True
            QTimer.singleShot(0, self._size_split)

    def _size_split(self) -> None:
        """The list wide enough for a workshop's name and date on two lines, not four."""
        total = sum(self.split.sizes())
        card = self.list.parentWidget()
        floor = card.minimumWidth() if card is not None else 0
        left = max(floor, min(self.fontMetrics().averageCharWidth() * 54, total // 3))  # names on one line, not three
        self.split.setSizes([left, total - left])

    def _build_list(self) -> QWidget:
        left = Card()
        head = QHBoxLayout()
        head.addWidget(title("Workshops", 1.3), 1)
        self.new_button = button("New", primary=True, icon="new", tip="Plan a new workshop (Ctrl+N)")
        menu = QMenu(self.new_button)
        menu.addAction("Blank workshop", lambda: self.new_workshop(None))
        menu.addSeparator()
        for key, t in TEMPLATES.items():
            action = menu.addAction(f"{t.title}  ·  {int(t.minutes)} min")
            action.setToolTip(t.summary)
            action.triggered.connect(partial(self.new_workshop, key))
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
        # Never narrower than the heading and the New button side by side (in the theme's
        # fonts and paddings, at any scale): a fixed minimum alone let New cut "Workshops".
        left.setMinimumWidth(max(left.fontMetrics().averageCharWidth() * 34, left.minimumSizeHint().width()))
        return left

    def _build_editor(self) -> QWidget:
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        self.heading = title("", 1.6)
        self.heading.setWordWrap(True)
        self.subheading = muted("")
        heading.addWidget(self.heading)
        top.addLayout(heading, 1)
        self.duplicate_button = button("Duplicate", icon="duplicate", tip="A fresh copy of this plan, nothing logged")
        self.duplicate_button.clicked.connect(self._duplicate)
        self.delete_button = button("Delete", danger=True, icon="delete")
        self.delete_button.clicked.connect(self._delete)
        self.run_button = button("Run live", primary=True, icon="run_live", tip="Open the facilitator console")
        self.run_button.clicked.connect(self._run_live)
        for b in (self.duplicate_button, self.delete_button, self.run_button):
            top.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        rl.addLayout(top)
        rl.addWidget(self.subheading)  # under the buttons, the whole width: "134 min" broke over two lines beside them
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
        return right

    def _show_editor(self, visible: bool) -> None:
        for w in (self.tabs, self.heading, self.subheading, self.duplicate_button, self.delete_button, self.run_button):
            w.setVisible(visible)
        self.empty.setVisible(not visible)

    # ------------------------------------------------------------ list

    def refresh(self, select: uuid.UUID | None = None) -> None:
        keep = select or (self.plan.id if self.plan else None)
        rows = self.guard(list_workshops, self.ctx.store) or []
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
            # Loaded once, here: the list's own selection signal would load it a second time
            # (a 6,000-person workshop took 0.9 s a load on the UI thread).
            self.list.blockSignals(True)
            self.list.setCurrentItem(chosen)
            self.list.blockSignals(False)
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
        status = {"planned": " · planned", "live": " · ●\u00a0live", "finished": ""}.get(w.status, f" · {w.status}")
        return f"{w.title}\n{when}{status} · {plural(w.participants, 'person', 'people')}"

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
        plan = self.guard(load_plan, self.ctx.store, workshop_id)
        if plan is None:
            return
        self.plan = plan
        self._show_editor(True)
        self.heading.setText(plan.title)
        when = plan.started_at.astimezone().strftime("%A %d %B %Y, %H:%M")
        minutes = sum(a.minutes for a in plan.agenda)
        self.subheading.setText(
            f"{when} · {plural(len(plan.agenda), 'agenda item')}, {int(minutes)} min · "
            f"{plural(len(plan.participants), 'participant')}"
        )
        self.run_button.setText({"live": "Resume live", "finished": "Open console"}.get(plan.status, "Run live"))
        self.loading = True
        try:
            self.details.show_plan(plan)
            self.agenda.show_plan(plan)
            self.people.show_plan(plan)
        finally:
            self.loading = False

    def changed(self) -> None:
        """After an edit: reload the plan and the list label, keep the selection, and tell
        the other screens."""
        if self.plan is None:
            return
        pid = self.plan.id
        self.load(pid)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == pid:
                summary = next((w for w in list_workshops(self.ctx.store) if w.id == pid), None)
                if summary:
                    self.list.set_label(item, self._label(summary))
        self.announce(WORKSHOPS, workshop=pid)

    # ------------------------------------------------------------ actions

    def new_workshop(self, template: str | None) -> None:
        """A new workshop (blank, or from one of the templates), selected for editing."""
        facilitator = self.ctx.settings.facilitator
        if template:
            wid = self.guard(create_from_template, self.ctx.store, template, facilitator=facilitator)
        else:
            wid = self.guard(create_workshop, self.ctx.store, "New workshop", facilitator=facilitator)
        if wid:
            self.refresh(select=wid)
            self.announce(WORKSHOPS, workshop=wid)
            self.tabs.setCurrentWidget(self.details)
            self.details.title_edit.setFocus()
            self.details.title_edit.selectAll()

    def _run_live(self) -> None:
        if self.plan is not None:
            self.sig_run_live.emit(self.plan.id)

    def _duplicate(self) -> None:
        if self.plan:
            wid = self.guard(duplicate_workshop, self.ctx.store, self.plan.id)
            if wid:
                self.refresh(select=wid)
                self.announce(WORKSHOPS, workshop=wid)
                self.sig_info.emit("A copy of the plan was made, with nothing logged yet.")

    def _delete(self) -> None:
        if not self.plan:
            return
        question = (f"Delete “{self.plan.title}” and everything logged in it? "
                    f"You can undo it for {UNDO_DELETE_S} seconds.")
        if not confirm_destructive(self, "Delete workshop", question):
            return
        wid, name = self.plan.id, self.plan.title
        if self.guard(delete_workshop, self.ctx.store, wid) is None:
            return
        self.plan = None
        self.refresh()
        self.sig_deleted.emit(wid, name)  # first: the window closes it in the console, to reopen on Undo
        self.announce(WORKSHOPS, workshop=wid)

    def undo_delete(self, workshop_id: uuid.UUID) -> None:
        """Bring a workshop just deleted back, as it was (app/planning/workshops.restore_workshop)."""
        lost = self.guard(restore_workshop, self.ctx.store, workshop_id, clip_present=self.ctx.clips.exists)
        if lost is None:
            return
        self.refresh(select=workshop_id)
        self.announce(WORKSHOPS, CONTRIBUTIONS, CLIPS, workshop=workshop_id)
        back = f"“{self.plan.title}”" if self.plan and self.plan.id == workshop_id else "The workshop"
        if lost:
            self.sig_info.emit(f"{back} is back; {plural(lost, 'clip')} whose video a sync had already "
                               "removed stayed deleted.")
        else:
            self.sig_info.emit(f"{back} is back, with everything logged in it.")
