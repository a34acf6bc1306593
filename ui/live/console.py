"""The facilitator console: agenda and a large timer on one side, participant tiles in the
middle, the latest contributions on the other side.

Keys: a participant's key logs a spontaneous share, Shift+key a prompted one; F1–F6 choose
the kind of the next share; Ctrl+Z undoes; Space starts/pauses the timer; + adds a minute;
Ctrl+→ / Ctrl+← move through the agenda; Esc clears the armed kind and "builds on".
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.live import LiveWorkshop
from app.planning.views import ContributionView, TimerState
from app.text import clock
from app.vocabulary import (
    AGENDA_LABELS,
    CONTRIBUTION_KINDS,
    INITIATIVE_LABELS,
    INITIATIVES,
    KIND_LABELS,
    KIND_SHORT,
    WORKSHOP_STATUS_LABELS,
)
from ui.kit import theme
from ui.kit.widgets import Card, WrappingList, button, index_of, muted, section, title
from ui.live.panel import LivePanel
from ui.live.tiles import TileGrid

HOTKEYS = "1234567890qwertyuiopasdghjklzxcvbnm"
SHIFTED_DIGITS = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9",
                  ")": "0", "\"": "2", "§": "6", "/": "7", "=": "0", "£": "3"}
KIND_KEYS = {Qt.Key.Key_F1: "story", Qt.Key.Key_F2: "tip", Qt.Key.Key_F3: "question",
             Qt.Key.Key_F4: "failure", Qt.Key.Key_F5: "help", Qt.Key.Key_F6: "other"}
ID_ROLE = Qt.ItemDataRole.UserRole


class TimerDisplay(QLabel):
    def __init__(self) -> None:
        super().__init__("--:--")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFont(theme.font(4.2, QFont.Weight.Bold))
        self.setObjectName("Timer")
        self.setAccessibleName("Timer")

    def show_state(self, state: TimerState | None) -> None:
        p = theme.current()
        if state is None:
            self.setText("--:--")
            color = p.muted
        elif state.overtime:
            self.setText("+" + clock(-state.remaining_s))
            color = p.danger
        else:
            self.setText(clock(state.remaining_s))
            color = p.text if state.running else p.muted
            if state.running and state.remaining_s <= 60:
                color = p.warning
        self.setStyleSheet(f"color: {color};")


class Console(QWidget):
    error = Signal(str)
    info = Signal(str)
    closed = Signal()

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.live: LiveWorkshop | None = None
        self._unsubscribe: Any = None
        self.armed_kind: str | None = None
        self.builds_on: uuid.UUID | None = None
        self.keys: dict[str, uuid.UUID] = {}
        self.setObjectName("Page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        self.heading = title("", 1.4)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head.addWidget(self.heading, 1)
        self.undo_button = button("Undo  Ctrl+Z", tip="Take back the last contribution")
        self.undo_button.clicked.connect(self.undo)
        self.end_button = button("End workshop", tip="Stop the timer and mark the workshop finished")
        self.end_button.clicked.connect(self._finish)
        self.panel_button = button("Live insights", tip="Who is starting ripples, who has not been heard yet")
        self.panel_button.setCheckable(True)
        self.panel_button.setChecked(ctx.settings.show_live_panel)
        self.panel_button.toggled.connect(self._toggle_panel)
        self.panel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head.addWidget(self.panel_button)
        head.addWidget(self.undo_button)
        head.addWidget(self.end_button)
        outer.addLayout(head)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        outer.addWidget(split, 1)

        # -- left: timer and agenda
        left = Card()
        self.item_kind = section("")
        self.item_title = QLabel()
        self.item_title.setFont(theme.font(1.25, QFont.Weight.Bold))
        self.item_title.setWordWrap(True)
        self.timer = TimerDisplay()
        self.timer_note = muted("")
        self.timer_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        controls = QHBoxLayout()
        self.start_button = button("Start", primary=True, tip="Start or pause the timer (Space)")
        self.start_button.clicked.connect(self.toggle_timer)
        plus = button("+1", tip="Give this item another minute (+)")
        plus.clicked.connect(lambda: self._do(self.live.extend, 1) if self.live else None)
        self.next_button = button("Next", tip="Next agenda item (Ctrl+→)")
        self.next_button.clicked.connect(self.next_item)
        for b in (self.start_button, plus, self.next_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            controls.addWidget(b)
        self.instructions = QLabel()
        self.instructions.setWordWrap(True)
        self.instructions.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.instructions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.agenda = WrappingList()
        self.agenda.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.agenda.itemActivated.connect(self._jump)
        self.agenda.itemDoubleClicked.connect(self._jump)
        for w in (self.item_kind, self.item_title, self.timer, self.timer_note):
            left.body.addWidget(w)
        left.body.addLayout(controls)
        left.body.addWidget(self.instructions)
        left.body.addWidget(section("Agenda"))
        left.body.addWidget(self.agenda, 1)
        left.setMinimumWidth(left.fontMetrics().averageCharWidth() * 34)
        split.addWidget(left)

        # -- centre: kinds, builds-on, tiles
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(6, 0, 6, 0)
        chips = QHBoxLayout()
        chips.addWidget(muted("Next share:", wrap=False))
        self.kind_chips: dict[str, QPushButton] = {}
        for i, kind in enumerate(CONTRIBUTION_KINDS):
            chip = QPushButton(f"{KIND_SHORT[kind]}  F{i + 1}")
            chip.setObjectName("Chip")
            chip.setCheckable(True)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            chip.clicked.connect(lambda _c=False, k=kind: self.arm_kind(k))
            chips.addWidget(chip)
            self.kind_chips[kind] = chip
        chips.addStretch(1)
        cl.addLayout(chips)
        self.builds_chip = QPushButton()
        self.builds_chip.setObjectName("Chip")
        self.builds_chip.setProperty("active", True)
        self.builds_chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.builds_chip.clicked.connect(lambda: self.set_builds_on(None))
        self.builds_chip.hide()
        cl.addWidget(self.builds_chip, 0, Qt.AlignmentFlag.AlignLeft)
        self.tiles = TileGrid()
        self.tiles.tapped.connect(self.log)
        self.tiles.dropped.connect(self._dropped)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.tiles)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        cl.addWidget(scroll, 1)
        self.legend = muted(
            "Click: spontaneous ●   Right-click / Shift+click / long press: prompted ○   "
            "Drag a tile onto another: builds on   Dashed: not yet shared"
        )
        cl.addWidget(self.legend)
        split.addWidget(centre)

        # -- right: the optional live panel over the latest contributions
        right_column = QWidget()
        rc = QVBoxLayout(right_column)
        rc.setContentsMargins(0, 0, 0, 0)
        self.live_panel = LivePanel(ctx)
        self.live_panel.error.connect(self.error)
        self.live_panel.setVisible(ctx.settings.show_live_panel)
        rc.addWidget(self.live_panel, 3)
        right = Card()
        rc.addWidget(right, 4)
        right.body.addWidget(section("Latest"))
        self.recent = WrappingList()
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent.itemClicked.connect(self._recent_clicked)
        self.recent.itemDoubleClicked.connect(lambda item: self.edit(item.data(ID_ROLE)))
        right.body.addWidget(self.recent, 1)
        rrow = QHBoxLayout()
        edit = button("Edit…")
        edit.clicked.connect(lambda: self.edit(self._selected_recent()))
        delete = button("Delete", danger=True)
        delete.clicked.connect(self._delete_selected)
        for b in (edit, delete):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            rrow.addWidget(b)
        right.body.addLayout(rrow)
        right.body.addWidget(muted("Click an entry: the next share builds on it."))
        right_column.setMinimumWidth(right.fontMetrics().averageCharWidth() * 28)
        split.addWidget(right_column)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setStretchFactor(2, 2)
        cw = self.fontMetrics().averageCharWidth()
        split.setSizes([cw * 36, cw * 100, cw * 32])

        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._refresh_timer)

    # ------------------------------------------------------------ opening

    def open_workshop(self, workshop_id: uuid.UUID) -> bool:
        try:
            live = LiveWorkshop(self.ctx.store, workshop_id, default_kind=self.ctx.settings.default_kind)
        except USER_ERRORS as exc:
            self.error.emit(str(exc))
            return False
        if self._unsubscribe:
            self._unsubscribe()
        self.live = live
        self._unsubscribe = live.subscribe(self._on_change)
        self.armed_kind = None
        self.builds_on = None
        self._build_tiles()
        self._refresh_all()
        self.live_panel.set_workshop(workshop_id if self.live_panel.isVisible() else None)
        self._tick.start()
        self.setFocus()
        return True

    def _build_tiles(self) -> None:
        assert self.live is not None
        people = list(self.live.plan.participants)
        used = {p.hotkey for p in people if p.hotkey}
        free = iter(k for k in HOTKEYS if k not in used)
        self.keys = {}
        pairs = []
        for p in people:
            key = p.hotkey or next(free, "")
            if key:
                self.keys[key] = p.id
            pairs.append((p, key))
        self.tiles.set_people(pairs)

    def _on_change(self, event: str) -> None:
        if event == "plan":
            self._build_tiles()
            self._refresh_all()
        elif event == "contributions":
            self._refresh_contributions()
            if self.live_panel.isVisible():
                self.live_panel.refresh()
        else:
            self._refresh_agenda()

    def _refresh_all(self) -> None:
        self._refresh_agenda()
        self._refresh_contributions()

    # ------------------------------------------------------------ agenda and timer

    def _refresh_agenda(self) -> None:
        live = self.live
        if live is None:
            return
        plan = live.plan
        status = WORKSHOP_STATUS_LABELS[plan.status].lower()
        self.heading.setText(f"{plan.title}  ·  {status}")
        item = live.current_item
        self.item_kind.setText(AGENDA_LABELS.get(item.kind, "").upper() if item else "")
        self.item_title.setText(item.title if item else "No agenda items yet: add some in the planner.")
        self.instructions.setText(item.instructions if item else "")
        self.agenda.clear()
        for i, a in enumerate(plan.agenda):
            t = live.timer(a.id)
            mark = "▶ " if item and a.id == item.id else ("✓ " if t and t.finished else "   ")
            entry = self.agenda.add(f"{mark}{i + 1}. {a.title}  ·  {a.minutes:g} min")
            entry.setData(ID_ROLE, a.id)
            if item and a.id == item.id:
                f = entry.font()
                f.setBold(True)
                entry.setFont(f)
                self.agenda.set_label(entry, self.agenda.label(entry))  # (bold is wider)
        self.end_button.setEnabled(plan.status != "finished")
        self._refresh_timer()

    def _refresh_timer(self) -> None:
        live = self.live
        state = live.timer() if live else None
        self.timer.show_state(state)
        if state is None:
            self.timer_note.setText("")
            self.start_button.setText("Start")
            return
        self.start_button.setText("Pause" if state.running else ("Resume" if state.started else "Start"))
        planned = clock(state.total_s)
        if state.overtime:
            self.timer_note.setText(f"over the planned {planned}")
        elif state.extra_s:
            self.timer_note.setText(f"of {planned} (+{state.extra_s / 60:g} min)")
        else:
            self.timer_note.setText(f"of {planned}")

    def toggle_timer(self) -> None:
        if self.live:
            self._do(self.live.toggle)

    def next_item(self) -> None:
        if self.live and not self._do(self.live.next):
            self.info.emit("That was the last agenda item. End the workshop when you are ready.")

    def _jump(self, item: QListWidgetItem) -> None:
        if self.live:
            self._do(self.live.go_to, item.data(ID_ROLE))

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
            self._do(self.live.finish)
            self.info.emit("Workshop finished. Its insights are ready.")

    def _toggle_panel(self, on: bool) -> None:
        self.live_panel.setVisible(on)
        self.ctx.settings.show_live_panel = on
        self.ctx.save_settings()
        self.live_panel.set_workshop(self.live.workshop_id if (on and self.live) else None)

    # ------------------------------------------------------------ logging

    def arm_kind(self, kind: str | None) -> None:
        self.armed_kind = None if kind == self.armed_kind else kind
        for k, chip in self.kind_chips.items():
            chip.setChecked(k == self.armed_kind)
            chip.setProperty("active", k == self.armed_kind)
            chip.style().unpolish(chip)
            chip.style().polish(chip)

    def set_builds_on(self, cid: uuid.UUID | None) -> None:
        self.builds_on = cid
        c = self.live.contribution(cid) if (self.live and cid) else None
        if c is None:
            self.builds_on = None
            self.builds_chip.hide()
            self.recent.clearSelection()
            return
        self.builds_chip.setText(f"↪ next share builds on {c.participant_name}'s {KIND_SHORT[c.kind].lower()}   ✕")
        self.builds_chip.show()

    def log(self, participant_id: uuid.UUID, initiative: str) -> ContributionView | None:
        if self.live is None:
            return None
        builds = self.builds_on
        if builds is not None:
            target = self.live.contribution(builds)
            if target is not None and target.participant_id == participant_id:
                builds = None
        view = self._do(self.live.log, participant_id, initiative, kind=self.armed_kind, builds_on=builds)
        if view is not None:
            tile = self.tiles.tiles.get(participant_id)
            if tile:
                tile.pulse(initiative)
            self.arm_kind(None)
            self.set_builds_on(None)
        return view

    def _dropped(self, source: uuid.UUID, target: uuid.UUID) -> None:
        """Dragging A onto B: B shares now, building on A's latest share."""
        if self.live is None:
            return
        latest = next((c for c in self.live.recent(200) if c.participant_id == source), None)
        if latest is None:
            self.error.emit("That person has not shared yet, so there is nothing to build on.")
            return
        self.set_builds_on(latest.id)
        self.log(target, "spontaneous")

    def undo(self) -> None:
        if self.live is None:
            return
        gone = self._do(self.live.undo)
        if gone is not None:
            self.info.emit(f"Undone: {gone.participant_name}'s {KIND_SHORT[gone.kind].lower()}.")
        else:
            self.info.emit("Nothing to undo.")

    def _selected_recent(self) -> uuid.UUID | None:
        item = self.recent.currentItem()
        return item.data(ID_ROLE) if item and item.isSelected() else None

    def _recent_clicked(self, item: QListWidgetItem) -> None:
        cid = item.data(ID_ROLE)
        self.set_builds_on(None if cid == self.builds_on else cid)

    def _delete_selected(self) -> None:
        cid = self._selected_recent()
        if cid and self.live:
            self._do(self.live.delete, cid)

    def edit(self, cid: uuid.UUID | None) -> None:
        if cid is None or self.live is None:
            return
        c = self.live.contribution(cid)
        if c is None:
            return
        dialog = EditContribution(self.live, c, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._do(self.live.edit, cid, **dialog.values())

    def _refresh_contributions(self) -> None:
        live = self.live
        if live is None:
            return
        for pid, tally in live.tallies().items():
            tile = self.tiles.tiles.get(pid)
            if tile:
                tile.set_tally(tally)
        keep = self.builds_on
        self.recent.clear()
        for c in live.recent(40):
            when = c.at.astimezone().strftime("%H:%M")
            mark = "●" if c.initiative == "spontaneous" else "○"
            text = f"{when}  {mark} {c.participant_name} — {KIND_SHORT[c.kind]}"
            if c.builds_on_id:
                base = live.contribution(c.builds_on_id)
                if base:
                    text += f"\n    ↪ on {base.participant_name}"
            item = self.recent.add(text)
            item.setData(ID_ROLE, c.id)
            item.setToolTip("Click: the next share builds on this · Double-click: edit")
            if c.id == keep:
                item.setSelected(True)
        self.undo_button.setEnabled(live.last_logged() is not None)

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, e: QKeyEvent) -> None:
        key = e.key()
        mods = e.modifiers()
        if self.live is None:
            return super().keyPressEvent(e)
        if e.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return
        if key in KIND_KEYS:
            self.arm_kind(KIND_KEYS[key])  # type: ignore[index]
            return
        if key == Qt.Key.Key_Escape:
            self.arm_kind(None)
            self.set_builds_on(None)
            return
        if key == Qt.Key.Key_Space:
            self.toggle_timer()
            return
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and not (mods & Qt.KeyboardModifier.ControlModifier):
            self._do(self.live.extend, 1)
            return
        if mods & Qt.KeyboardModifier.ControlModifier:
            if key == Qt.Key.Key_Right:
                self.next_item()
                return
            if key == Qt.Key.Key_Left:
                self._do(self.live.previous)
                return
            return super().keyPressEvent(e)
        text = e.text().lower()
        shifted = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if text in SHIFTED_DIGITS:
            text, shifted = SHIFTED_DIGITS[text], True
        if not text and Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            text = chr(key)
        if not text and Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
            text = chr(key).lower()
        pid = self.keys.get(text)
        if pid is not None:
            self.log(pid, "prompted" if shifted else "spontaneous")
            return
        super().keyPressEvent(e)

    # ------------------------------------------------------------ misc

    def _do(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except USER_ERRORS as exc:
            self.error.emit(str(exc))
            return None

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        self.setFocus()


class EditContribution(QDialog):
    def __init__(self, live: LiveWorkshop, c: ContributionView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit contribution")
        form = QFormLayout(self)
        self.person = QComboBox()
        for p in live.plan.participants:
            self.person.addItem(p.name, p.id)
        self.person.setCurrentIndex(max(0, index_of(self.person, c.participant_id)))
        self.kind = QComboBox()
        for k in CONTRIBUTION_KINDS:
            self.kind.addItem(KIND_LABELS[k], k)
        self.kind.setCurrentIndex(index_of(self.kind, c.kind))
        self.initiative = QComboBox()
        for code in INITIATIVES:
            self.initiative.addItem(INITIATIVE_LABELS[code], code)
        self.initiative.setCurrentIndex(index_of(self.initiative, c.initiative))
        self.builds = QComboBox()
        self.builds.addItem("— nothing —", None)
        for other in live.contributions():
            if other.id != c.id and other.at <= c.at:
                self.builds.addItem(
                    f"{other.at.astimezone():%H:%M} {other.participant_name} — {KIND_SHORT[other.kind]}", other.id)
        self.builds.setCurrentIndex(max(0, index_of(self.builds, c.builds_on_id)))
        form.addRow("Who", self.person)
        form.addRow("Kind", self.kind)
        form.addRow("Initiative", self.initiative)
        form.addRow("Builds on", self.builds)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "participant_id": self.person.currentData(),
            "kind": self.kind.currentData(),
            "initiative": self.initiative.currentData(),
            "builds_on": self.builds.currentData(),
        }
