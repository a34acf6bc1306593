"""The gallery: the workshop's clips as thumbnails; play one to the room, full screen on the
projector, and let peers react with one click.

Who reacts: with "The room" chosen (the default), a click is the room's anonymous applause
and every click counts. With a participant chosen in "Who reacts", reactions are theirs:
one per kind, pressed again to take it back, the pressed state shown.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.clips.catalogue import list_clips
from app.clips.library import ClipView, delete_clip
from app.clips.reactions import react, reactions_of, toggle_reaction
from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning.workshops import list_workshops, load_plan
from app.text import clock, plural
from ui.changes import CLIPS, WORKSHOPS
from ui.kit import icons, players, theme
from ui.kit.page import Page
from ui.kit.widgets import (
    ID_ROLE,
    Card,
    button,
    confirm_destructive,
    index_of,
    muted,
    relabel,
    section,
    set_style_property,
    title,
)

REACTIONS = (("helpful", "Helpful"), ("inspired", "Inspired"), ("tried_it", "Tried it"))
THE_ROOM = "The room (anonymous)"


class FullScreenPlayer(QVideoWidget):
    """The clip alone on the projector (the second display if there is one). Esc closes."""

    sig_closed = Signal()
    """() — the player was closed (Esc, Q, or the window's close button)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Ripple — clip")
        self.setStyleSheet("background: black;")

    def show_on_best_screen(self, avoid: Any) -> None:
        screens = QGuiApplication.screens()
        target = next((s for s in screens if s is not avoid), None) if len(screens) > 1 else None
        if target is not None:
            self.setScreen(target)
            self.setGeometry(target.geometry())
        self.showFullScreen()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Q):
            self.close()
        else:
            super().keyPressEvent(e)

    def closeEvent(self, e: Any) -> None:
        self.sig_closed.emit()
        super().closeEvent(e)


class Poster(QLabel):
    """The chosen clip's picture where the video plays, until it plays (a player that has not
    started shows nothing), scaled to fit with its proportions kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = QPixmap()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: black;")
        self.setMinimumSize(1, 1)

    def show_picture(self, picture: QPixmap) -> None:
        self.image = picture
        self._fit()

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._fit()

    def _fit(self) -> None:
        if self.image.isNull():
            self.clear()
            return
        self.setPixmap(self.image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))


class Gallery(Page):
    """The clips of one workshop (optionally one agenda item), a player, the room's reactions."""

    # Owners' names and consent come from the plan; a withdrawn consent hides clips.
    WATCHES = frozenset({WORKSHOPS, CLIPS})

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, stale=True)  # read when first shown
        self.clips: dict[uuid.UUID, ClipView] = {}
        self.current: ClipView | None = None
        self.fullscreen: FullScreenPlayer | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addLayout(self._build_bar())
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        body.addLayout(self._build_grid(), 3)
        self.player = QMediaPlayer(self)
        self._side = self._build_side()
        body.addWidget(self._side, 2)

        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.video)
        self.player.durationChanged.connect(lambda d: self.position.setRange(0, int(d)))
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._state)
        self._show_clip(None)

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(title("Clips", 1.4))
        bar.addStretch(1)
        self.workshop_box = QComboBox()
        self.workshop_box.setMinimumContentsLength(26)
        self.workshop_box.currentIndexChanged.connect(self._load_clips)
        self.item_box = QComboBox()
        self.item_box.setMinimumContentsLength(18)
        self.item_box.currentIndexChanged.connect(self._fill_grid)
        bar.addWidget(self.workshop_box)
        bar.addWidget(self.item_box)
        return bar

    def _build_grid(self) -> QVBoxLayout:
        self.grid = QListWidget()
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setSpacing(10)
        cw = self.fontMetrics().averageCharWidth()
        # three thumbnails a row beside the player on a 1366x768 laptop (at 24 characters two sat
        # small in an empty pane)
        self.grid.setIconSize(QSize(cw * 31, cw * 31 * 9 // 16))
        # two lines under the picture (who and how long; the reactions) and the theme's item padding
        self.grid.setGridSize(QSize(cw * 35, cw * 31 * 9 // 16 + self.fontMetrics().height() * 5))
        self.grid.setUniformItemSizes(True)
        self.grid.currentItemChanged.connect(self._selected)
        self.grid.itemActivated.connect(lambda _i: self.play())
        left = QVBoxLayout()
        left.addWidget(self.grid, 1)
        self.empty = muted("No clips in this workshop yet. Record some in the booth, or import a phone clip there.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.empty)
        return left

    def _build_side(self) -> Card:
        """The player, what the clip is, the reaction buttons, delete."""
        side = Card()
        cw = self.fontMetrics().averageCharWidth()
        self.video = QVideoWidget()
        self.poster = Poster()
        self.screen_stack = QStackedWidget()
        self.screen_stack.setMinimumSize(QSize(cw * 40, cw * 40 * 9 // 16))
        self.screen_stack.addWidget(self.poster)
        self.screen_stack.addWidget(self.video)
        side.body.addWidget(self.screen_stack, 1)
        self.position = QSlider(Qt.Orientation.Horizontal)
        self.position.sliderMoved.connect(self.player.setPosition)
        self.time_label = muted("", wrap=False)
        row = QHBoxLayout()
        self.play_button = button("Play", primary=True, icon="play")
        self.play_button.clicked.connect(self.toggle)
        full = button("Full screen", icon="fullscreen", tip="On the projector if one is connected (Esc to leave)")
        full.clicked.connect(self.show_fullscreen)
        row.addWidget(self.play_button)
        row.addWidget(full)
        row.addWidget(self.position, 1)
        row.addWidget(self.time_label)
        side.body.addLayout(row)
        self.caption = QLabel()
        self.caption.setFont(theme.font(1.2, QFont.Weight.Bold))
        self.caption.setWordWrap(True)
        self.details = muted("")
        side.body.addWidget(self.caption)
        side.body.addWidget(self.details)
        side.body.addWidget(section("Reactions"))
        who_row = QHBoxLayout()
        who_row.addWidget(muted("Who reacts", wrap=False))
        self.reactor_box = QComboBox()
        self.reactor_box.setToolTip("The room's clicks are anonymous and each one counts; "
                                    "a person reacts once per kind and can take it back")
        self.reactor_box.currentIndexChanged.connect(lambda _i: self._show_reactions())
        who_row.addWidget(self.reactor_box, 1)
        side.body.addLayout(who_row)
        self.react_note = muted("")
        react_row = QHBoxLayout()
        self.react_buttons: dict[str, QPushButton] = {}
        for kind, label in REACTIONS:
            b = QPushButton(label)
            b.setIcon(icons.icon(kind, "toggle"))  # filled, on the accent, while pressed
            b.setObjectName("Chip")
            b.setMinimumHeight(self.fontMetrics().height() * 2)
            b.setFont(theme.font(1.1, QFont.Weight.DemiBold))
            side_px = round(QFontMetrics(b.font()).height() * 0.9)  # the icon as tall as the label's letters
            b.setIconSize(QSize(side_px, side_px))
            b.clicked.connect(lambda _c=False, k=kind: self.react(k))
            react_row.addWidget(b)
            self.react_buttons[kind] = b
        side.body.addLayout(react_row)
        side.body.addWidget(self.react_note)
        delete_row = QHBoxLayout()
        delete_row.addStretch(1)
        self.delete_button = button("Delete clip", danger=True, icon="delete")
        self.delete_button.clicked.connect(self.delete_current)
        delete_row.addWidget(self.delete_button)
        side.body.addLayout(delete_row)
        return side

    # ------------------------------------------------------------ loading

    def hideEvent(self, e: Any) -> None:
        super().hideEvent(e)
        self.player.pause()

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Read the workshops again, then the clips of the chosen one (``select``, else the
        one chosen before, else the latest workshop that has clips)."""
        keep = select or self.workshop_box.currentData()
        if keep is None:
            latest = next(iter(self.guard(list_clips, self.ctx.store) or []), None)
            keep = latest.workshop_id if latest else None
        self.workshop_box.blockSignals(True)
        self.workshop_box.clear()
        for w in self.guard(list_workshops, self.ctx.store) or []:
            self.workshop_box.addItem(f"{w.title} · {w.started_at.astimezone():%d %b}", w.id)
        i = index_of(self.workshop_box, keep) if keep else -1
        self.workshop_box.setCurrentIndex(max(0, i))
        self.workshop_box.blockSignals(False)
        self._load_clips()

    def _fill_reactors(self, workshop_id: uuid.UUID | None) -> None:
        """The room, then the workshop's participants (the person reacting is kept if listed)."""
        keep = self.reactor_box.currentData()
        plan = self.guard(load_plan, self.ctx.store, workshop_id) if workshop_id else None
        self.reactor_box.blockSignals(True)
        self.reactor_box.clear()
        self.reactor_box.addItem(THE_ROOM, None)
        for p in plan.participants if plan else []:
            if not p.erased:
                self.reactor_box.addItem(p.name, p.id)
        self.reactor_box.setCurrentIndex(max(0, index_of(self.reactor_box, keep)))
        self.reactor_box.blockSignals(False)

    def _load_clips(self) -> None:
        wid = self.workshop_box.currentData()
        self._fill_reactors(wid)
        rows = (self.guard(list_clips, self.ctx.store, wid) or []) if wid else []
        self.clips = {c.id: c for c in rows}
        keep = self.item_box.currentData()
        self.item_box.blockSignals(True)
        self.item_box.clear()
        self.item_box.addItem("All agenda items", None)
        seen: set[uuid.UUID] = set()
        for c in rows:
            if c.agenda_item_id and c.agenda_item_id not in seen:
                seen.add(c.agenda_item_id)
                self.item_box.addItem(c.agenda_title, c.agenda_item_id)
        self.item_box.setCurrentIndex(max(0, index_of(self.item_box, keep)))
        self.item_box.blockSignals(False)
        self._fill_grid()

    def _fill_grid(self) -> None:
        item_filter = self.item_box.currentData()
        keep = self.current.id if self.current else None
        self.grid.clear()
        chosen = None
        for c in sorted(self.clips.values(), key=lambda c: c.at):
            if item_filter and c.agenda_item_id != item_filter:
                continue
            entry = QListWidgetItem(self._icon(c), self._label(c))
            entry.setData(ID_ROLE, c.id)
            # Qt sizes an item without the theme's padding and then cut the second line (the
            # reactions) to "00:05…": the cell's size, given, holds both lines.
            entry.setSizeHint(self.grid.gridSize() - QSize(self.grid.spacing(), self.grid.spacing()))
            entry.setToolTip(f"{c.owner} · {c.agenda_title or 'no agenda item'} · {clock(c.seconds)}")
            self.grid.addItem(entry)
            if c.id == keep:
                chosen = entry
        self.empty.setVisible(self.grid.count() == 0)
        self.grid.setVisible(self.grid.count() > 0)
        if chosen is not None:
            self.grid.setCurrentItem(chosen)
        elif self.grid.count():
            self.grid.setCurrentRow(0)
        else:
            self._show_clip(None)

    def _picture(self, c: ClipView) -> QPixmap:
        """The clip's thumbnail, or a grey card when it has none."""
        pix = QPixmap()
        if c.thumbnail:
            pix.loadFromData(c.thumbnail)
        if pix.isNull():
            pix = QPixmap(self.grid.iconSize())
            pix.fill(Qt.GlobalColor.darkGray)
        return pix

    def _icon(self, c: ClipView) -> QIcon:
        return QIcon(self._picture(c))

    @staticmethod
    def _label(c: ClipView) -> str:
        n = sum(c.reactions.values())
        text = f"{c.owner} · {clock(c.seconds)}"
        if n:
            text += f"\n{plural(n, 'reaction')}"
        if c.scope == "community":
            text += "  · shared"
        return text

    # ------------------------------------------------------------ playing

    def _selected(self, item: QListWidgetItem | None, _prev: Any) -> None:
        clip = self.clips.get(item.data(ID_ROLE)) if item else None
        self.poster.show_picture(self._picture(clip) if clip else QPixmap())
        self._show_clip(clip)

    def _show_clip(self, c: ClipView | None) -> None:
        self.current = c
        players.stop(self.player)
        self._side.setEnabled(c is not None)
        if c is None:
            self.caption.setText("Choose a clip")
            self.details.setText("")
            self.player.setSource(QUrl())
            self._show_reactions()
            return
        path = self.ctx.clips.path_if_present(c.sha256)
        self.caption.setText(c.title if c.title and c.title != "Demo clip" else f"{c.owner}'s clip")
        scope = "may be shared beyond the room" if c.scope == "community" else "for this room only"
        where = f" · {c.agenda_title}" if c.agenda_title else ""
        sound = "" if c.has_audio else " · no sound"
        missing = "" if path else " · the file is not on this laptop yet (it arrives with the next sync)"
        self.details.setText(f"{c.owner}{where} · {clock(c.seconds)} · {scope}{sound}{missing}")
        self._show_reactions()
        self.player.setSource(QUrl.fromLocalFile(str(path)) if path else QUrl())
        self.play_button.setEnabled(path is not None)

    def play(self) -> None:
        if self.current is not None and not self.player.source().isEmpty():
            self.player.play()

    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.play()

    def _position(self, ms: int) -> None:
        if not self.position.isSliderDown():
            self.position.setValue(ms)
        total = self.player.duration() / 1000
        self.time_label.setText(f"{clock(ms / 1000)} / {clock(total)}")

    def _state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        relabel(self.play_button, "Pause" if playing else "Play", "pause" if playing else "play")
        stopped = state == QMediaPlayer.PlaybackState.StoppedState
        self.screen_stack.setCurrentWidget(self.poster if stopped else self.video)

    def show_fullscreen(self) -> None:
        if self.current is None:
            return
        if self.fullscreen is None:
            self.fullscreen = FullScreenPlayer()
            self.fullscreen.sig_closed.connect(self._leave_fullscreen)
        self.player.setVideoOutput(self.fullscreen)
        self.fullscreen.show_on_best_screen(self.screen())
        self.play()

    def _leave_fullscreen(self) -> None:
        self.player.setVideoOutput(self.video)

    # ------------------------------------------------------------ reacting and deleting

    @property
    def reactor(self) -> uuid.UUID | None:
        """Who reacts: a participant's id, or ``None`` for the room's anonymous clicks."""
        value = self.reactor_box.currentData()
        return value if isinstance(value, uuid.UUID) else None

    def _show_reactions(self) -> None:
        """Counts on the buttons; for a chosen person, their pressed ones (and none on their own clip)."""
        c, who = self.current, self.reactor
        mine = (self.guard(reactions_of, self.ctx.store, who, clip_id=c.id) or set()) if c and who else set()
        own = c is not None and who is not None and c.participant_id == who
        for kind, label in REACTIONS:
            b = self.react_buttons[kind]
            n = c.reactions.get(kind, 0) if c else 0
            b.setText(f"{label}  {n}" if n else label)
            b.setCheckable(who is not None)
            b.setChecked(kind in mine)
            b.setEnabled(c is not None and not own)
            set_style_property(b, "active", kind in mine)
        name = self.reactor_box.currentText()
        if own:
            self.react_note.setText(f"{name} cannot react to their own clip.")
        elif who is not None:
            self.react_note.setText(f"{name}'s reactions: press again to take one back.")
        else:
            self.react_note.setText("Each click counts; choose a name to react as one person.")

    def react(self, kind: str) -> None:
        """The room's click adds one; a person's click gives or takes back their reaction."""
        c, who = self.current, self.reactor
        if c is None:
            return
        if who is None:
            if self.guard(react, self.ctx.store, c.workshop_id, kind, clip_id=c.id) is None:
                return
            step = 1
        else:
            given = self.guard(toggle_reaction, self.ctx.store, c.workshop_id, kind, who, clip_id=c.id)
            if given is None:
                self._show_reactions()
                return
            step = 1 if given else -1
        self.announce(CLIPS, workshop=c.workshop_id)
        counts = dict(c.reactions)
        counts[kind] = counts.get(kind, 0) + step
        if counts[kind] <= 0:
            del counts[kind]
        updated = ClipView(**{**c.__dict__, "reactions": counts})
        self.clips[c.id] = updated
        self.current = updated
        self._show_reactions()
        item = self.grid.currentItem()
        if item is not None:
            item.setText(self._label(updated))

    def delete_current(self) -> None:
        c = self.current
        if c is None:
            return
        if not confirm_destructive(self, "Delete clip", f"Delete {c.owner}'s clip? The file is removed from "
                                   "this laptop and the deletion reaches the shared store at the next sync."):
            return
        players.unload(self.player)
        try:
            delete_clip(self.ctx.store, self.ctx.clips, c.id)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        self.current = None
        self._load_clips()
        self.announce(CLIPS, workshop=c.workshop_id)
