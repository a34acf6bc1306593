"""The facilitator console: agenda and a large timer on one side, participant tiles in the
middle, the latest contributions on the other side.

Keys: a participant's key logs a spontaneous share, Shift+key a prompted one; F1–F6 choose
the kind of the next share; Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes; Space starts/pauses the timer; + adds a minute;
Ctrl+→ / Ctrl+← move through the agenda; Esc clears the armed kind and "builds on".
Its parts: the head (ui/live/head.py), the agenda and timer column (agenda_column.py), the
next share's chips (next_share.py), the tiles, the Latest list (latest.py) and the
live-insights panel (panel.py); what each key does is in keys.py, and when "not heard yet"
asks for attention (tiles and panel alike) in heard.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS, NotFound
from app.live import LiveWorkshop
from app.live_words import logged_line
from app.planning.duplicates import duplicate_pairs, merge_people
from app.planning.views import ContributionView
from app.vocabulary import KIND_SHORT
from ui.changes import CONTRIBUTIONS, WORKSHOPS, Changes
from ui.kit.page import Page
from ui.kit.widgets import (
    ID_ROLE,
    muted,
)
from ui.live.agenda_column import AgendaColumn
from ui.live.edit_dialog import EditContribution
from ui.live.head import HeadBar, LeadRow
from ui.live.heard import agenda_progress
from ui.live.keys import assign_keys
from ui.live.keys import handle as handle_key
from ui.live.latest import LatestList
from ui.live.next_share import NextShare
from ui.live.panel import LivePanel
from ui.live.read_only import ReadOnly
from ui.live.roleplay_panel import RoleplayPanel
from ui.live.tiles import TileGrid


class Console(Page):
    """Runs one workshop: every tap, key and timer press is one small local transaction."""

    # Someone else's edit of this workshop (the planner, a sync) is read again when shown.
    WATCHES = frozenset({WORKSHOPS, CONTRIBUTIONS})

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.live: LiveWorkshop | None = None
        self._unsubscribe: Any = None
        self.edit_dialog: QDialog | None = None
        self.keys: dict[str, uuid.UUID] = {}
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(self._build_head())
        outer.addWidget(self._build_lead_row())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)
        split.addWidget(self._build_agenda())
        split.addWidget(self._build_tiles_column())
        split.addWidget(self._build_latest())
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setStretchFactor(2, 2)
        cw = self.fontMetrics().averageCharWidth()
        split.setSizes([cw * 36, cw * 86, cw * 46])  # Latest wide enough for "11:02 ● Lucía Fernández — Question" on one line
        self.read_only = ReadOnly(self)  # a finished workshop: nothing writes (ui/live/read_only.py)
        outer.insertWidget(outer.indexOf(split), self.read_only.bar)

        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._refresh_timer)

    def _build_head(self) -> HeadBar:
        """The title and the workshop's actions (ui/live/head.py makes room for the title)."""
        self.head = HeadBar(self.ctx)
        self.heading = self.head.heading
        self.undo_button = self.head.undo_button
        self.undo_button.clicked.connect(self.undo)
        self.end_button = self.head.end_button
        self.end_button.clicked.connect(self._finish)
        self.panel_button = self.head.panel_button
        self.panel_button.toggled.connect(self._toggle_panel)
        self.room_menu = self.head.room_menu
        self.followup = self.head.followup
        self.followup.sig_error.connect(self.sig_error)
        self.followup.sig_info.connect(self.sig_info)
        return self.head

    def _build_lead_row(self) -> LeadRow:
        """Which laptop leads the live workshop, the take-over, the merge of a doubled walk-in."""
        self.lead_row = LeadRow()
        self.lead_note = self.lead_row.lead_note
        self.merge_button = self.lead_row.merge_button
        self.merge_button.clicked.connect(self.merge_duplicates)
        self.take_over_button = self.lead_row.take_over_button
        self.take_over_button.clicked.connect(self.take_over)
        return self.lead_row

    def merge_duplicates(self) -> None:
        """Merge the first pair on the roster that looks like one person (same name)."""
        if self.live is None:
            return
        pairs = duplicate_pairs(self.live.plan.participants)
        if pairs and self.guard(merge_people, self.ctx.store, self.live.workshop_id, pairs[0][0].id, pairs[0][1].id):
            self.live.reload()
            self.announce(WORKSHOPS, CONTRIBUTIONS, workshop=self.live.workshop_id)
            self.sig_info.emit(f"{pairs[0][0].name} is one person now, with what both laptops logged.")

    def take_over(self) -> None:
        if self.live:
            self.guard(self.live.take_over)

    def _build_agenda(self) -> QWidget:
        """Left: the current item, its timer and controls, and the whole agenda
        (ui/live/agenda_column.py); its buttons act on the open workshop here."""
        left = self.agenda_column = AgendaColumn()
        self.item_kind, self.item_title, self.instructions = left.item_kind, left.item_title, left.instructions
        self.timer, self.timer_note, self.agenda = left.timer, left.timer_note, left.agenda
        self.groups_title, self.groups = left.groups_title, left.groups
        self.start_button, self.plus_button, self.next_button = left.start_button, left.plus_button, left.next_button
        self.start_button.clicked.connect(self.toggle_timer)
        self.plus_button.clicked.connect(lambda: self.guard(self.live.extend, 1) if self.live else None)
        self.next_button.clicked.connect(self.next_item)
        self.agenda.itemActivated.connect(self._jump)
        self.agenda.itemDoubleClicked.connect(self._jump)
        return left

    def _build_tiles_column(self) -> QWidget:
        """Centre: the kind of the next share, what it builds on, the tiles."""
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(6, 0, 6, 0)
        self.next_share = NextShare()  # the armed kind and "builds on" (ui/live/next_share.py)
        self.next_share.sig_base_cleared.connect(lambda: self.recent.clearSelection())
        self.kind_chips = self.next_share.kind_chips
        self.builds_chip = self.next_share.builds_chip
        cl.addWidget(self.next_share)
        self.roleplay = RoleplayPanel(self.ctx)  # a role-play item's rounds (ui/live/roleplay_panel.py)
        self.roleplay.sig_error.connect(self.sig_error)
        self.roleplay.sig_info.connect(self.sig_info)
        cl.addWidget(self.roleplay)
        self.tiles = TileGrid()
        self.tiles.sig_tapped.connect(self.log)
        self.tiles.sig_dropped.connect(self.drop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.tiles)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        cl.addWidget(scroll, 1)
        self.legend = muted(TileGrid.LEGEND)
        cl.addWidget(self.legend)
        return centre

    def _build_latest(self) -> QWidget:
        """Right: the optional live panel over the latest contributions."""
        right_column = QWidget()
        rc = QVBoxLayout(right_column)
        rc.setContentsMargins(0, 0, 0, 0)
        self.live_panel = LivePanel(self.ctx)
        self.live_panel.sig_error.connect(self.sig_error)
        self.live_panel.setVisible(self.ctx.settings.show_live_panel)
        rc.addWidget(self.live_panel, 3)
        self.latest = LatestList()
        self.latest.sig_clicked.connect(self._recent_clicked)
        self.latest.sig_edit.connect(self.edit)
        self.latest.sig_delete.connect(lambda cid: self.guard(self.live.delete, cid) if self.live else None)
        self.recent = self.latest.recent
        rc.addWidget(self.latest, 4)
        right_column.setMinimumWidth(self.latest.fontMetrics().averageCharWidth() * 28)
        self.edit_button, self.delete_button = self.latest.edit_button, self.latest.delete_button
        return right_column

    # ------------------------------------------------------------ opening

    def open_workshop(self, workshop_id: uuid.UUID) -> bool:
        try:
            live = LiveWorkshop(self.ctx.store, workshop_id, default_kind=self.ctx.settings.default_kind)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return False
        if self._unsubscribe:
            self._unsubscribe()
        self.live = live
        self.stale = False
        self._unsubscribe = live.subscribe(self._on_change)
        self.next_share.reset()
        self._build_tiles()
        self._refresh_all()
        self.live_panel.set_workshop(workshop_id)  # it follows the workshop, shown or not
        self.room_menu.workshop_id = workshop_id
        self.followup.set_workshop(workshop_id)
        self._tick.start()
        self.setFocus()
        return True

    def affected_by(self, changes: Changes) -> bool:
        return self.live is not None and changes.touches(self.WATCHES, self.live.workshop_id)

    def refresh(self) -> None:
        """Read the open workshop again (someone else changed it); one deleted meanwhile closes."""
        if self.live is None:
            return
        try:
            self.live.reload()
        except NotFound:
            self.close_workshop()

    def close_workshop(self) -> None:
        """Show no workshop (the open one was deleted): the Live button then offers to pick one."""
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        self.live = None
        self._tick.stop()
        self.tiles.set_people([])
        self.agenda.clear()
        self.recent.clear()
        self.heading.setText("")
        self.live_panel.set_workshop(None)
        self.followup.set_workshop(None)

    def _build_tiles(self) -> None:
        assert self.live is not None
        self.keys, pairs = assign_keys(list(self.live.plan.participants))
        self.tiles.set_people(pairs)

    def _on_change(self, event: str) -> None:
        """The open workshop changed: "plan" after reading it again, anything else after a write
        made here (which the other screens hear about)."""
        if event == "plan":
            self._build_tiles()
            self._refresh_all()
            return
        assert self.live is not None
        if event == "contributions":
            self._refresh_contributions()  # (the live panel hears the announcement)
            self.announce(CONTRIBUTIONS, workshop=self.live.workshop_id)
        else:  # the timer, the agenda position, the workshop's status
            self._refresh_agenda()
            self.announce(WORKSHOPS, CONTRIBUTIONS, workshop=self.live.workshop_id)

    def _refresh_all(self) -> None:
        self._refresh_agenda()
        self._refresh_contributions()

    # ------------------------------------------------------------ agenda and timer

    def _refresh_agenda(self) -> None:
        live = self.live
        if live is None:
            return
        plan = live.plan
        status = {"planned": "not started", "live": "live", "finished": "finished"}[plan.status]
        self.head.set_title(f"{plan.title}  ·  {status}")
        item = self.agenda_column.show_item(live)
        self.roleplay.show_item(live.workshop_id, item.id if item and item.kind == "role_play" else None)
        self.end_button.setEnabled(plan.status != "finished")
        self.lead_row.show_lead(live)
        self.read_only.update()
        self._refresh_timer()

    def _refresh_timer(self) -> None:
        self.agenda_column.show_timer(self.live.timer() if self.live else None)
        self._refresh_nudges()

    def _refresh_nudges(self) -> None:
        """The tiles' dots and the panel's "not heard yet" under one verdict (ui/live/heard.py):
        who has been heard, and how much of the agenda's time is used."""
        if self.live is not None:
            self.tiles.set_agenda_progress(*agenda_progress(self.live))
        self.live_panel.set_under_way(self.tiles.under_way)

    def toggle_timer(self) -> None:
        if self.live:
            self.guard(self.live.toggle)

    def next_item(self) -> None:
        if self.live and not self.guard(self.live.next):
            self.sig_info.emit("That was the last agenda item. End the workshop when you are ready.")

    def _jump(self, item: QListWidgetItem) -> None:
        if self.live:
            self.guard(self.live.go_to, item.data(ID_ROLE))

    def _finish(self) -> None:
        if self.live is None:
            return
        box = QDialog(self)
        box.setWindowTitle("End workshop")
        lay = QVBoxLayout(box)
        lay.addWidget(QLabel("End the workshop now? Everything logged is already saved."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("End workshop", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(box.accept)
        buttons.rejected.connect(box.reject)
        lay.addWidget(buttons)
        if box.exec() == QDialog.DialogCode.Accepted:
            self.guard(self.live.finish)
            self.sig_info.emit("Workshop finished. Its insights are ready.")

    def _toggle_panel(self, on: bool) -> None:
        self.live_panel.setVisible(on)
        self.ctx.settings.show_live_panel = on
        self.ctx.save_settings()  # (shown again, the panel catches up on what it missed)

    # ------------------------------------------------------------ logging

    @property
    def armed_kind(self) -> str | None:
        return self.next_share.armed_kind

    @property
    def builds_on(self) -> uuid.UUID | None:
        return self.next_share.builds_on

    def arm_kind(self, kind: str | None) -> None:
        self.next_share.arm(kind)

    def set_builds_on(self, cid: uuid.UUID | None) -> None:
        """Arm (or clear, with ``None``) "the next share builds on" that contribution."""
        c = self.live.contribution(cid) if (self.live and cid) else None
        self.next_share.build_on(c)
        if c is None:
            self.recent.clearSelection()

    def log(self, participant_id: uuid.UUID, initiative: str) -> ContributionView | None:
        if self.live is None:
            return None
        builds = self.builds_on
        if builds is not None:
            target = self.live.contribution(builds)
            if target is not None and target.participant_id == participant_id:
                builds = None
        armed = self.armed_kind
        view = self.guard(self.live.log, participant_id, initiative, kind=armed, builds_on=builds)
        if view is not None:
            tile = self.tiles.tiles.get(participant_id)
            if tile:
                tile.pulse(initiative)
            self.arm_kind(None)
            self.set_builds_on(None)
            # The kind nobody chose: say which it became, and how to choose (a quiet line, not a
            # banner over the head's Undo on every tap).
            base = self.live.contribution(view.builds_on_id) if view.builds_on_id else None
            self.next_share.say(logged_line(self.live.plan, view, base)
                                + ("  ·  F1–F6 before a tap choose another kind" if armed is None else ""))
        return view

    def drop(self, source: uuid.UUID, target: uuid.UUID) -> None:
        """Dragging A onto B: B shares now, building on A's latest share."""
        if self.live is None:
            return
        latest = next((c for c in self.live.recent(200) if c.participant_id == source), None)
        if latest is None:
            person = self.live.plan.participant(source)
            who = person.name if person else "That person"
            self.sig_error.emit(f"{who} has not shared yet, so there is nothing to build on.")
            return
        self.set_builds_on(latest.id)
        self.log(target, "spontaneous")

    def undo(self) -> None:
        if self.live is None:
            return
        if not self.live.finished and self.live.last_logged() is None:
            self.sig_info.emit("Nothing to undo.")
            return
        gone = self.guard(self.live.undo)  # a finished workshop says why it takes no undo
        if gone is not None:
            self.sig_info.emit(f"Undone: {gone.participant_name}'s {KIND_SHORT[gone.kind].lower()}. "
                               "Ctrl+Shift+Z brings it back.")

    def redo(self) -> None:
        if self.live is None:
            return
        if not self.live.finished and not self.live.can_redo():
            self.sig_info.emit("Nothing to redo.")
            return
        back = self.guard(self.live.redo)
        if back is not None:
            self.sig_info.emit(f"Back: {back.participant_name}'s {KIND_SHORT[back.kind].lower()}.")

    def _recent_clicked(self, cid: uuid.UUID) -> None:
        self.set_builds_on(None if cid == self.builds_on else cid)

    def edit(self, cid: uuid.UUID | None) -> None:
        """Correct an entry. Picking it to edit arms nothing: the click that selected it does
        not leave "builds on" armed behind the dialog, nor after it."""
        c = self.live.contribution(cid) if (self.live and cid) else None
        if c is None or self.live is None:
            return
        self.set_builds_on(None)
        live = self.live
        dialog = EditContribution(live, c, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.guard(live.edit, c.id, **dialog.values()))
        self.edit_dialog = dialog
        dialog.open()  # window-modal without a nested event loop: the timer keeps ticking

    def _refresh_contributions(self) -> None:
        live = self.live
        if live is None:
            return
        for pid, tally in live.tallies().items():
            tile = self.tiles.tiles.get(pid)
            if tile:
                tile.set_tally(tally)
        base = self.next_share.base
        if base is not None and live.contribution(base.id) != base:
            self.set_builds_on(None)  # edited or deleted since it was armed: the chip would lie
        self.latest.show_live(live, self.builds_on)
        self.undo_button.setEnabled(live.last_logged() is not None)
        self._refresh_nudges()

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if not handle_key(self, e):  # what each key does: ui/live/keys.py
            super().keyPressEvent(e)

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        self.setFocus()
