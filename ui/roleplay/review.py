"""The review screen of a recorded role-play round (GoReact-style): the video with its
markers on a timeline, the marker list with filters, previous/next marker keys, a short
loop around a marker, a comment box that pauses the video, and the rubric summary.

Keys (when the comment box is not being typed in): ``.`` or ``]`` next marker, ``,`` or
``[`` previous marker, ``L`` loop around the current marker, Space play/pause.
The video is the clip file played by path (``app.roleplay.listing.round_review``); the
screen reaches no ``media`` module.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPixmap, QShortcut, QShowEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.roleplay.listing import RecordedRound, recorded_rounds
from app.roleplay.markers import drop_marker, filter_markers, loop_window, next_marker
from app.roleplay.review import Review, load_review
from app.roleplay.views import MarkerView
from app.text import clock
from ui.changes import CLIPS, CONTRIBUTIONS
from ui.kit import icons, players
from ui.kit.page import Page
from ui.kit.widgets import (
    ID_ROLE,
    Card,
    WrappingList,
    button,
    index_of,
    muted,
    relabel,
    section,
    title,
)
from ui.roleplay.summary import RubricSummary
from ui.roleplay.timeline import MarkerTimeline, criterion_colour

LOOP_AROUND_S = 3.0


def who(review: Review, pid: uuid.UUID | None) -> str:
    """A marker's or a rating's author: a participant's name, or the trainer."""
    return "Trainer" if pid is None else review.names.get(pid, "someone")


def why_no_video(review: Review) -> str:
    if review.round.clip_id is None:
        return "This round was not recorded."
    if review.video is None:
        return "The recording of this round is not on this laptop; sync to fetch it."
    return ""


def stamp(seconds: float) -> str:
    """A marker's time to the tenth of a second ("1:05.3"): two markers a second apart differ."""
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"
ANY = "*"  # a filter left open (None is a real value: bookmarks, the trainer)


class RoleplayReview(Page):
    """Open a round with :meth:`open_round`; the list at the top offers every recorded round."""

    WATCHES = frozenset({CONTRIBUTIONS, CLIPS})

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, stale=True)
        self.review: Review | None = None
        self.current: MarkerView | None = None
        self.loop: tuple[float, float] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        head.addWidget(title("Role-play review", 1.4))
        self.round_box = QComboBox()
        self.round_box.setMinimumContentsLength(40)
        self.round_box.activated.connect(lambda _i: self._round_chosen())
        head.addWidget(self.round_box, 1)
        outer.addLayout(head)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self._build_player())
        split.addWidget(self._build_side())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)

    # ------------------------------------------------------------ building

    def _build_player(self) -> QWidget:
        card = Card()
        self.video = QVideoWidget()
        self.video.setMinimumSize(320, 180)
        self.video.setStyleSheet("background: #0b0d10;")
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.video)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._state)
        self.no_video = muted("")
        self.no_video.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card.body.addWidget(self.video, 1)
        card.body.addWidget(self.no_video)
        self.timeline = MarkerTimeline()
        self.timeline.sig_seek.connect(self.seek)
        self.timeline.sig_marker.connect(self.go_to)
        self.player.durationChanged.connect(lambda ms: self.timeline.set_duration(ms / 1000))
        card.body.addWidget(self.timeline)
        row = QHBoxLayout()
        self.play_button = button("Play", primary=True, icon="play", tip="Play or pause (Space)")
        self.play_button.clicked.connect(self.toggle_play)
        self.prev_button = button("Marker", icon="previous", tip="Previous marker ( , or [ )")
        self.prev_button.clicked.connect(lambda: self.step(forward=False))
        self.next_button = button("Marker", icon="next", tip="Next marker ( . or ] )")
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # the caret after the word
        self.next_button.clicked.connect(lambda: self.step(forward=True))
        self.loop_button = button("Loop", tip=f"Replay {LOOP_AROUND_S:g} s either side of the current marker (L)")
        self.loop_button.setIcon(icons.icon("loop", "toggle"))
        self.loop_button.setCheckable(True)
        self.loop_button.toggled.connect(self.set_loop)
        self.time_label = muted("0:00 / 0:00", wrap=False)
        for w in (self.play_button, self.prev_button, self.next_button, self.loop_button):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.time_label)
        card.body.addLayout(row)
        comment_row = QHBoxLayout()
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Comment on this moment… (typing pauses the video; Enter adds it as a marker)")
        self.comment.textEdited.connect(self._typing)
        self.comment.returnPressed.connect(self.add_comment)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.comment, self._leave_comment,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.comment_criterion = QComboBox()
        self.comment_polarity = QComboBox()
        self.comment_polarity.addItem("strength", "strength")
        self.comment_polarity.addItem("to improve", "improve")
        comment_row.addWidget(self.comment, 1)
        comment_row.addWidget(self.comment_criterion)
        comment_row.addWidget(self.comment_polarity)
        card.body.addLayout(comment_row)
        return card

    def _build_side(self) -> QWidget:
        card = Card()
        card.body.addWidget(section("Markers"))
        filters = QHBoxLayout()
        self.by_criterion, self.by_observer, self.by_polarity = QComboBox(), QComboBox(), QComboBox()
        self.by_polarity.addItem("strengths and to improve", ANY)
        self.by_polarity.addItem("strengths", "strength")
        self.by_polarity.addItem("to improve", "improve")
        for box in (self.by_criterion, self.by_observer, self.by_polarity):
            box.currentIndexChanged.connect(self._fill_markers)
            filters.addWidget(box)
        card.body.addLayout(filters)
        self.marker_list = WrappingList()
        self.marker_list.itemClicked.connect(lambda item: self.go_to(item.data(ID_ROLE)))
        self.marker_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        card.body.addWidget(self.marker_list, 3)
        card.body.addWidget(section("Rubric"))
        self.summary = RubricSummary()
        card.body.addWidget(self.summary, 2)
        card.setMinimumWidth(card.fontMetrics().averageCharWidth() * 44)
        return card

    # ------------------------------------------------------------ opening

    def refresh(self) -> None:
        """The recorded rounds again, and the open round's markers and ratings."""
        rounds = self.guard(recorded_rounds, self.ctx.store) or []
        self._fill_rounds(rounds)
        if self.review is not None:
            self.open_round(self.review.round.id, keep_position=True)
        elif rounds:
            self.open_round(rounds[0].id)
        else:
            self.no_video.setText("No recorded role-play rounds yet: record one from the live console.")

    def _fill_rounds(self, rounds: list[RecordedRound]) -> None:
        self.round_box.blockSignals(True)
        self.round_box.clear()
        for r in rounds:
            self.round_box.addItem(r.label, r.id)
        self.round_box.blockSignals(False)

    def _round_chosen(self) -> None:
        rid = self.round_box.currentData()
        if rid is not None:
            self.open_round(rid)

    def open_round(self, round_id: uuid.UUID, *, keep_position: bool = False) -> bool:
        """Show a round: its video (paused at the start), markers, filters and rubric."""
        try:
            review = load_review(self.ctx.store, self.ctx.clips, round_id)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return False
        same = self.review is not None and self.review.round.id == round_id
        self.review = review
        self.stale = False
        if index_of(self.round_box, round_id) < 0:
            self._fill_rounds(self.guard(recorded_rounds, self.ctx.store) or [])
        self.round_box.setCurrentIndex(max(0, index_of(self.round_box, round_id)))
        if not (same and keep_position):
            self.current, self.loop = None, None
            self.loop_button.setChecked(False)
            players.stop(self.player)
            self.player.setSource(QUrl.fromLocalFile(str(review.video)) if review.video else QUrl())
            if review.video is not None:
                self.player.pause()  # the first frame shows; positions are reported from here
        self.no_video.setText(why_no_video(review))
        self.no_video.setVisible(bool(why_no_video(review)))
        for w in (self.comment, self.comment_criterion, self.comment_polarity, self.play_button):
            w.setEnabled(review.video is not None)  # (a comment is a marker on the video)
        self.timeline.set_duration(self.player.duration() / 1000 if self.player.duration() > 0 else review.duration_s)
        self._fill_filters()
        self._fill_markers()
        self.summary.show_review(review)
        return True

    def _fill_filters(self) -> None:
        review = self.review
        assert review is not None
        keep = tuple(box.currentData() if box.count() else ANY for box in (self.by_criterion, self.by_observer))
        for box in (self.by_criterion, self.by_observer, self.comment_criterion):
            box.blockSignals(True)
            box.clear()
        self.by_criterion.addItem("all criteria", ANY)
        self.comment_criterion.addItem("no criterion", None)
        for c in review.scenario.rubric:
            self.by_criterion.addItem(c.label, c.id)
            self.comment_criterion.addItem(c.label, c.id)
        self.by_criterion.addItem("bookmarks", None)
        self.by_observer.addItem("by anyone", ANY)
        for by in dict.fromkeys(m.by for m in review.markers):
            self.by_observer.addItem(f"by {who(review, by)}", by)
        for box, value in ((self.by_criterion, keep[0]), (self.by_observer, keep[1])):
            box.setCurrentIndex(max(0, index_of(box, value)))
        for box in (self.by_criterion, self.by_observer, self.comment_criterion):
            box.blockSignals(False)

    # ------------------------------------------------------------ markers

    def shown_markers(self) -> list[MarkerView]:
        """The markers the filters let through, in time order."""
        if self.review is None:
            return []
        kwargs: dict[str, Any] = {}
        if self.by_criterion.currentData() != ANY:
            kwargs["criterion"] = self.by_criterion.currentData()
        if self.by_observer.currentData() != ANY:
            kwargs["by"] = self.by_observer.currentData()
        polarity = self.by_polarity.currentData()
        return filter_markers(self.review.markers, polarity=None if polarity == ANY else polarity, **kwargs)

    def _fill_markers(self) -> None:
        review = self.review
        if review is None:
            return
        shown = self.shown_markers()
        self.marker_list.clear()
        for m in shown:
            crit = review.scenario.criterion(m.criterion) if m.criterion else None
            what = crit.label if crit else "Bookmark"
            sign = "▼ to improve" if m.polarity == "improve" else "▲ strength"
            text = f"{stamp(m.at_s)}  {what}  ·  {sign}\n      by {who(review, m.by)}" + (f" — {m.note}" if m.note else "")
            item = self.marker_list.add(text)
            item.setData(ID_ROLE, m)
            pix = QPixmap(12, 12)
            pix.fill(criterion_colour(review.scenario.rubric, m.criterion))
            item.setIcon(pix)
            if m.polarity == "improve":
                item.setForeground(QColor(criterion_colour(review.scenario.rubric, m.criterion)))
            if self.current is not None and m.id == self.current.id:
                item.setSelected(True)
        self.timeline.set_markers(review.scenario.rubric, shown)

    def go_to(self, marker: MarkerView) -> None:
        """Jump to a marker (and loop around it when the loop is on)."""
        self.current = marker
        self.player.setPosition(int(marker.at_s * 1000))
        self._update_loop()
        for i in range(self.marker_list.count()):
            item = self.marker_list.item(i)
            item.setSelected(item.data(ID_ROLE).id == marker.id)

    def step(self, *, forward: bool) -> MarkerView | None:
        """The next (or previous) marker from where the player is, among those shown."""
        found = next_marker(self.shown_markers(), self.player.position() / 1000, forward=forward)
        if found is not None:
            self.go_to(found)
        return found

    def set_loop(self, on: bool) -> None:
        if self.loop_button.isChecked() != on:
            self.loop_button.setChecked(on)  # (calls back here)
            return
        if on and self.current is None:
            self.current = self.step(forward=True) or self.step(forward=False)
        self._update_loop()

    def _update_loop(self) -> None:
        if self.loop_button.isChecked() and self.current is not None:
            duration = self.player.duration() / 1000 or (self.review.duration_s if self.review else 0.0)
            w = loop_window(self.current.at_s, LOOP_AROUND_S, duration)
            self.loop = (w.start_s, w.end_s)
        else:
            self.loop = None
        self.timeline.set_current(self.current, self.loop)

    def seek(self, seconds: float) -> None:
        self.player.setPosition(int(seconds * 1000))

    # ------------------------------------------------------------ playing

    def toggle_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        elif self.review is not None and self.review.video is not None:
            self.player.play()

    def _position(self, ms: int) -> None:
        if self.loop is not None and ms / 1000 >= self.loop[1] - 0.05 and \
                self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.setPosition(int(self.loop[0] * 1000))
            return
        self.timeline.set_position(ms / 1000)
        total = self.player.duration() / 1000 or (self.review.duration_s if self.review else 0.0)
        self.time_label.setText(f"{clock(ms / 1000)} / {clock(total)}")

    def _state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        relabel(self.play_button, "Pause" if playing else "Play", "pause" if playing else "play")

    def _typing(self, _text: str) -> None:
        """Typing a comment pauses the video, so the moment stays where it was."""
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()

    def _leave_comment(self) -> None:
        """Esc in the comment box: back to the marker keys (what was typed stays)."""
        self.setFocus()

    def add_comment(self) -> MarkerView | None:
        """The comment as a marker at the player's position (by the trainer)."""
        text = self.comment.text().strip()
        if self.review is None or not text:
            return None
        marker = self.guard(drop_marker, self.ctx.store, self.review.round.id, self.player.position() / 1000,
                            criterion=self.comment_criterion.currentData(),
                            polarity=self.comment_polarity.currentData(), note=text)
        if marker is None:
            return None
        self.comment.clear()
        self.setFocus()
        self.current = marker
        self.open_round(self.review.round.id, keep_position=True)
        self.announce(CONTRIBUTIONS)
        return marker

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, e: QKeyEvent) -> None:
        key = e.key()
        if key in (Qt.Key.Key_Period, Qt.Key.Key_BracketRight):
            self.step(forward=True)
        elif key in (Qt.Key.Key_Comma, Qt.Key.Key_BracketLeft):
            self.step(forward=False)
        elif key == Qt.Key.Key_L:
            self.set_loop(not self.loop_button.isChecked())
        elif key == Qt.Key.Key_Space:
            self.toggle_play()
        else:
            super().keyPressEvent(e)

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        self.setFocus()

    def hideEvent(self, e: Any) -> None:
        super().hideEvent(e)
        self.player.pause()

    def shutdown(self) -> None:
        players.unload(self.player)


__all__ = ["RoleplayReview"]
