"""Issue 11's walk through a role play on screen: the console runs a triad's round through
its phases on the group's clock, records it from the synthetic camera while number keys
drop markers, the observer rates the players, and the review jumps marker to marker (the
player's position checked), loops, filters and pauses when a comment is typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.roleplay.markers import markers_of
from app.roleplay.ratings import ratings_of
from app.roleplay.rounds import load_round
from app.roleplay.scenarios import OBSERVER_ROLE
from tests.helpers.roleplay import triad
from ui.kit import theme
from ui.live.console import Console
from ui.roleplay.review import RoleplayReview


class Clock:
    """The panel's clock, moved by the test (the phase timers read it)."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def test_a_round_runs_records_with_key_markers_is_rated_and_reviewed(qtbot: QtBot, ctx: Ripple) -> None:
    ctx.settings.camera = "synthetic"
    t = triad(ctx.store)
    console = Console(ctx)
    qtbot.addWidget(console)
    console.resize(1366, 768)
    console.show()
    assert console.open_workshop(t.workshop)
    panel = console.roleplay
    clock = Clock()
    panel.now = clock
    assert panel.isVisible() and list(panel.cards) == [0]
    card = panel.cards[0]
    assert "Seller" in card.cast.text() and "Ana García" in card.cast.text()

    # the phase clock: prepare 3 min, amber at 20 % left, red at 5 %, overtime counted up
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    rid = t.rounds[0].id
    assert load_round(ctx.store, rid).phase == "prepare" and card.clock.text() == "03:00"
    panel.auto_box.setChecked(False)
    for seconds, state, colour in ((150, "warning", theme.current().warning), (26, "urgent", theme.current().danger),
                                   (14, "over", theme.current().danger)):
        clock.advance(seconds)
        qtbot.waitUntil(lambda s=state: card.clock.property("state") == s, timeout=3000)
        assert colour in card.clock.styleSheet()
    assert card.clock.text() == "+00:10" and "over the planned" in card.clock_note.text()
    qtbot.mouseClick(card.plus_button, Qt.MouseButton.LeftButton)  # +1 min: 50 s left of 4:00
    qtbot.waitUntil(lambda: card.clock.text() == "00:50", timeout=3000)
    assert "+1 min" in card.clock_note.text()
    qtbot.mouseClick(card.next_button, Qt.MouseButton.LeftButton)
    assert load_round(ctx.store, rid).phase == "play" and card.clock.text() == "06:00"
    assert not card.rate_button.isVisible()  # the rubric comes after the play phase

    # record the play phase from the synthetic camera; keys drop markers on disk at once
    qtbot.mouseClick(card.record_button, Qt.MouseButton.LeftButton)
    assert panel.recording is not None and card.stop_button.isVisible()
    take = panel.recording
    for key, mods, at in ((Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, 0.8),
                          (Qt.Key.Key_2, Qt.KeyboardModifier.ShiftModifier, 1.6),
                          (Qt.Key.Key_M, Qt.KeyboardModifier.NoModifier, 2.4)):
        qtbot.waitUntil(lambda a=at: take.offset_s >= a, timeout=10000)
        qtbot.keyClick(console, key, mods)
    marks = markers_of(ctx.store, rid)
    assert [(m.criterion, m.polarity) for m in marks] == [("eye_contact", "strength"), ("posture", "improve"),
                                                           (None, "strength")]
    assert "3 markers" in card.record_line.text() and "last: bookmark" in card.record_line.text()
    qtbot.waitUntil(lambda: take.offset_s >= 3.2, timeout=10000)
    qtbot.mouseClick(card.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.recording_round is None, timeout=20000)
    assert load_round(ctx.store, rid).clip_id is not None and card.review_button.isVisible()
    assert not console.live or console.live.contributions() == []  # the keys logged no shares

    # auto-advance: the play phase's time runs out and the feedback phase begins by itself
    panel.auto_box.setChecked(True)
    clock.advance(6 * 60 + 1)
    qtbot.waitUntil(lambda: load_round(ctx.store, rid).phase == "feedback", timeout=3000)

    # the observer rates both players
    assert card.rate_button.isVisible()
    qtbot.mouseClick(card.rate_button, Qt.MouseButton.LeftButton)
    dialog = panel.rubric
    assert dialog is not None
    cast = {c.role: c.participant_id for c in t.rounds[0].cast}
    dialog.choose_rater(cast[OBSERVER_ROLE])
    qtbot.mouseClick(dialog.score_buttons[(cast["seller"], "eye_contact")][3], Qt.MouseButton.LeftButton)
    dialog.comments[(cast["seller"], "eye_contact")].setText("Held her gaze at the price")
    qtbot.mouseClick(dialog.score_buttons[(cast["customer"], "pace")][2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    got = {(r.player, r.criterion): (r.score, r.rater, r.comment) for r in ratings_of(ctx.store, rid)}
    assert got == {(cast["seller"], "eye_contact"): (4, cast[OBSERVER_ROLE], "Held her gaze at the price"),
                   (cast["customer"], "pace"): (3, cast[OBSERVER_ROLE], "")}

    # the review opens from the round and jumps marker to marker
    review = RoleplayReview(ctx)
    qtbot.addWidget(review)
    review.resize(1366, 768)
    panel.sig_review.connect(review.open_round)
    with qtbot.waitSignal(panel.sig_review, timeout=2000):
        qtbot.mouseClick(card.review_button, Qt.MouseButton.LeftButton)
    review.show()
    player = review.player
    qtbot.waitUntil(lambda: player.duration() > 3000, timeout=10000)
    assert review.marker_list.count() == 3
    assert "Eye contact" in review.summary.toPlainText() and "4.0" in review.summary.toPlainText()

    def at(ms: float) -> bool:
        return abs(player.position() - ms) <= 50

    for key, marker in ((Qt.Key.Key_Period, marks[0]), (Qt.Key.Key_Period, marks[1]),
                        (Qt.Key.Key_Period, marks[2]), (Qt.Key.Key_Comma, marks[1])):
        qtbot.keyClick(review, key)
        qtbot.waitUntil(lambda m=marker: at(m.at_s * 1000), timeout=3000)
        assert review.current is not None and review.current.id == marker.id

    qtbot.keyClick(review, Qt.Key.Key_L)  # the loop around the current marker
    assert review.loop == (max(0.0, marks[1].at_s - 3.0), min(player.duration() / 1000, marks[1].at_s + 3.0))

    review.by_polarity.setCurrentIndex(review.by_polarity.findData("improve"))
    assert review.marker_list.count() == 1 and review.shown_markers() == [marks[1]]
    review.by_polarity.setCurrentIndex(0)
    review.by_criterion.setCurrentIndex(review.by_criterion.findData("eye_contact"))
    assert review.shown_markers() == [marks[0]]

    # typing a comment pauses the video; Enter keeps it as a marker at that moment
    review.loop_button.setChecked(False)
    review.by_criterion.setCurrentIndex(0)
    qtbot.mouseClick(review.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=3000)
    qtbot.keyClicks(review.comment, "Lovely pause")
    assert player.playbackState() == QMediaPlayer.PlaybackState.PausedState
    paused_at = player.position() / 1000
    qtbot.keyClick(review.comment, Qt.Key.Key_Return)
    noted = [m for m in markers_of(ctx.store, rid) if m.note == "Lovely pause"]
    assert len(noted) == 1 and abs(noted[0].at_s - paused_at) < 0.1
    assert review.marker_list.count() == 4
    review.shutdown()
    panel.shutdown()
