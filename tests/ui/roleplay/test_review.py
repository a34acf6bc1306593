"""The review screen's other cases: opened from the console in the main window, a round whose
recording is not on this laptop (markers and rubric still there), a round never recorded,
and a comment that says nothing adds nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.roleplay.markers import markers_of
from tests.helpers.portable import max_seq
from tests.helpers.roleplay import triad
from tests.helpers.roleplay_played import played
from ui.roleplay.review import RoleplayReview
from ui.tasks import wait_for_all


def _review(qtbot: QtBot, ctx: Ripple) -> RoleplayReview:
    review = RoleplayReview(ctx)
    qtbot.addWidget(review)
    review.resize(1366, 768)
    review.show()
    return review


def test_the_console_opens_the_review_in_the_window(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    from ui.shell.window import MainWindow

    p = played(ctx.store, ctx.clips.root)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    try:
        window.run_live(p.t.workshop, ask=False)  # (the re-date question has tests of its own)
        card = window.console.roleplay.cards[0]
        assert card.review_button.isVisible()
        qtbot.mouseClick(card.review_button, Qt.MouseButton.LeftButton)
        assert window.pages.currentWidget() is window.review and window.buttons["review"].isChecked()
        assert window.review.review is not None and window.review.review.round.id == p.round_id
        assert window.review.marker_list.count() == 3
    finally:
        window.close()
        wait_for_all()


def test_a_recording_elsewhere_still_shows_its_markers_and_rubric(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    p = played(ctx.store, tmp_path / "another-laptop")  # the clip file is not in this laptop's library
    review = _review(qtbot, ctx)
    assert review.open_round(p.round_id)
    assert "not on this laptop" in review.no_video.text() and review.no_video.isVisible()
    assert review.marker_list.count() == 3
    assert [review.by_observer.itemText(i) for i in range(review.by_observer.count())] == [
        "by anyone", "by Chloé Martin", "by Trainer", "by Ben Okafor"]
    review.by_observer.setCurrentIndex(review.by_observer.findData(None))  # the trainer's markers
    assert [m.note for m in review.shown_markers()] == ["Answered the price too fast"]
    review.by_observer.setCurrentIndex(0)
    review.by_criterion.setCurrentIndex(review.by_criterion.findData(None))  # bookmarks only
    assert [m.note for m in review.shown_markers()] == ["bookmark"]
    summary = " ".join(review.summary.toPlainText().split())
    assert "Eye contact" in summary and "Steady" in summary and "Next step" in summary


def test_an_unrecorded_round_says_so_and_an_empty_comment_adds_nothing(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    review = _review(qtbot, ctx)
    assert review.round_box.count() == 0  # only recorded rounds are offered
    assert review.open_round(t.rounds[0].id)
    assert review.no_video.text() == "This round was not recorded."
    assert not review.comment.isEnabled() and not review.play_button.isEnabled()
    p = played(ctx.store, ctx.clips.root)
    assert review.open_round(p.round_id) and review.comment.isEnabled()
    before = max_seq(ctx.store)
    qtbot.keyClicks(review.comment, "   ")
    qtbot.keyClick(review.comment, Qt.Key.Key_Return)
    assert max_seq(ctx.store) == before and len(markers_of(ctx.store, p.round_id)) == 3
    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow, timeout=3000)
    review.comment.setFocus()
    assert review.comment.hasFocus()
    qtbot.keyClick(review.comment, Qt.Key.Key_Escape)  # back to the marker keys
    assert review.hasFocus()
