"""The booth's and the gallery's look: their buttons carry the kit's icons (ui.kit.icons), Play
turns into Pause with its icon, long names fit the booth's buttons, and deleting a clip asks
with the red destructive button (ui.kit.widgets.confirm_destructive), as the planner does."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.clips.catalogue import list_clips
from app.context import Ripple
from tests.helpers.clips import kept_clip
from ui.clips.booth import Booth
from ui.clips.gallery import Gallery
from ui.clips.person_picker import two_lines
from ui.kit.widgets import relabel


def _clip(ctx: Ripple) -> None:
    kept_clip(ctx.store, ctx.clips, "Clips")


def _icons(buttons: dict[str, QPushButton]) -> dict[str, object]:
    assert all(not b.icon().isNull() for b in buttons.values()), [k for k, b in buttons.items() if b.icon().isNull()]
    return {k: b.property("icon_purpose") for k, b in buttons.items()}


def test_the_booths_buttons_carry_the_kits_icons(qtbot: QtBot, ctx: Ripple) -> None:
    booth = Booth(ctx, find_cameras=lambda: (), find_microphones=lambda: ())
    qtbot.addWidget(booth)
    bar, stage = booth.toolbar, booth.stage
    keep = stage.keep_controls
    assert _icons({"import": bar.import_button, "mode": bar.mode_button, "record": stage.record_button,
                   "stop": stage.stop_button, "discard": keep.discard_button, "retake": keep.retake_button,
                   "keep": keep.keep_button, "switch": stage.confirm_discard, "back": stage.confirm_back}) == {
        "import": "import", "mode": "booth_mode", "record": "record", "stop": "stop", "discard": "discard",
        "retake": "retake", "keep": "keep", "switch": "discard", "back": "back"}
    assert keep.discard_button.property("danger") is True  # Discard throws the take away: in red
    booth.shutdown()


def test_the_gallerys_buttons_carry_icons_and_play_turns_into_pause(qtbot: QtBot, ctx: Ripple) -> None:
    gallery = Gallery(ctx)
    qtbot.addWidget(gallery)
    assert _icons({"play": gallery.play_button, "delete": gallery.delete_button}) == {"play": "play", "delete": "delete"}
    full = next(b for b in gallery.findChildren(QPushButton) if b.text() == "Full screen")
    assert _icons({"full": full}) == {"full": "fullscreen"}
    before = gallery.play_button.icon().cacheKey()
    relabel(gallery.play_button, "Pause", "pause")
    assert gallery.play_button.text() == "Pause" and gallery.play_button.property("icon_purpose") == "pause"
    assert gallery.play_button.icon().cacheKey() != before


def test_a_long_name_goes_on_two_lines_of_the_booths_button() -> None:
    assert two_lines("Ana Pereira") == "Ana Pereira"
    assert two_lines("Participant Number00 Longname-Surname") == "Participant Number00\nLongname-Surname"
    assert two_lines("Maximiliana-Konstantina-Wolkenstein") == "Maximiliana-Konstantina-Wolkenstein"  # no space


def test_deleting_a_clip_asks_with_the_red_button(qtbot: QtBot, ctx: Ripple) -> None:
    _clip(ctx)
    gallery = Gallery(ctx)
    qtbot.addWidget(gallery)
    gallery.resize(1366, 768)
    gallery.show()
    qtbot.waitUntil(lambda: gallery.current is not None, timeout=5000)
    seen: list[dict[str, object]] = []

    def answer(accept: bool) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
        seen.append({"buttons": sorted(buttons), "red": buttons["Delete"].property("destructive"),
                     "default": buttons["Cancel"].isDefault()})
        if accept:
            buttons["Delete"].click()
        else:
            dialog.reject()

    QTimer.singleShot(0, lambda: answer(False))
    gallery.delete_button.click()
    assert seen == [{"buttons": ["Cancel", "Delete"], "red": True, "default": True}]
    wid = gallery.current.workshop_id  # type: ignore[union-attr]
    assert len(list_clips(ctx.store, wid)) == 1  # cancelled: nothing deleted
    QTimer.singleShot(0, lambda: answer(True))
    gallery.delete_button.click()
    assert list_clips(ctx.store, wid) == []


def test_the_role_play_reviews_buttons_use_the_kits_icons_not_text_glyphs(qtbot: QtBot, ctx: Ripple) -> None:
    from PySide6.QtGui import QIcon

    from ui.roleplay.review import RoleplayReview

    review = RoleplayReview(ctx)
    qtbot.addWidget(review)
    buttons = {"play": review.play_button, "previous": review.prev_button, "next": review.next_button}
    assert _icons(buttons) == {"play": "play", "previous": "previous", "next": "next"}
    assert [b.text() for b in (*buttons.values(), review.loop_button)] == ["Play", "Marker", "Marker", "Loop"]
    assert not review.loop_button.icon().isNull()
    # the checked Loop draws its icon on the accent, like its text
    from ui.kit import icons, theme

    assert icons.colour("toggle", QIcon.Mode.Normal, QIcon.State.On).name() == theme.current().accent_text.lower()
