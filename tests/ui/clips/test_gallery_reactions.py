"""Reactions in the gallery: the room's clicks are anonymous counts; a chosen person reacts once
per kind, toggled, with the pressed state shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clips.catalogue import list_clips
from app.clips.reactions import reactions_of
from app.context import Ripple
from tests.helpers.clips import kept_clip
from ui.clips.gallery import THE_ROOM, Gallery


def _gallery(qtbot: QtBot, ctx: Ripple) -> Gallery:
    gallery = Gallery(ctx)
    qtbot.addWidget(gallery)
    gallery.resize(1366, 768)
    gallery.show()
    qtbot.waitExposed(gallery)
    return gallery


def test_a_chosen_person_toggles_their_reactions(qtbot: QtBot, ctx: Ripple) -> None:
    wid, _ana, (ben,) = kept_clip(ctx.store, ctx.clips, "Reactions", "Ben Okafor")
    view = list_clips(ctx.store, wid)[0]
    gallery = _gallery(qtbot, ctx)
    box = gallery.reactor_box
    assert [box.itemText(i) for i in range(box.count())] == [THE_ROOM, "Ana Pereira", "Ben Okafor"]
    helpful = gallery.react_buttons["helpful"]
    # The room: anonymous, every click counts, nothing stays pressed.
    qtbot.mouseClick(helpful, Qt.MouseButton.LeftButton)
    assert not helpful.isCheckable() and helpful.text() == "Helpful  1"
    # Ben: his click is his reaction, shown pressed; a second click takes it back.
    box.setCurrentIndex(box.findText("Ben Okafor"))
    assert helpful.isCheckable() and not helpful.isChecked()
    qtbot.mouseClick(helpful, Qt.MouseButton.LeftButton)
    assert helpful.isChecked() and helpful.property("active") is True and helpful.text() == "Helpful  2"
    assert reactions_of(ctx.store, ben, clip_id=view.id) == {"helpful"}
    qtbot.mouseClick(helpful, Qt.MouseButton.LeftButton)
    assert not helpful.isChecked() and helpful.property("active") is False and helpful.text() == "Helpful  1"
    qtbot.mouseClick(gallery.react_buttons["tried_it"], Qt.MouseButton.LeftButton)
    assert list_clips(ctx.store, wid)[0].reactions == {"helpful": 1, "tried_it": 1}
    # Back to the room and to Ben: his pressed state is read from the store.
    box.setCurrentIndex(0)
    assert not gallery.react_buttons["tried_it"].isChecked()
    box.setCurrentIndex(box.findText("Ben Okafor"))
    assert gallery.react_buttons["tried_it"].isChecked()
    # Ana cannot react to her own clip.
    box.setCurrentIndex(box.findText("Ana Pereira"))
    assert not helpful.isEnabled() and "cannot react to their own clip" in gallery.react_note.text()


def test_reaction_buttons_carry_icons_drawn_filled_while_pressed(qtbot: QtBot, ctx: Ripple) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QIcon, QImage

    from ui.kit import theme

    def ink(icon: QIcon, state: QIcon.State) -> list[str]:
        image = icon.pixmap(QSize(32, 32), QIcon.Mode.Normal, state).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        return [QColor(image.pixel(x, y)).name() for x in range(32) for y in range(32)
                if QColor.fromRgba(image.pixel(x, y)).alpha() == 255]

    kept_clip(ctx.store, ctx.clips, "Icons", "Ben Okafor")
    gallery = _gallery(qtbot, ctx)
    p = theme.current()
    for b in gallery.react_buttons.values():
        assert not b.icon().isNull()
        off, on = ink(b.icon(), QIcon.State.Off), ink(b.icon(), QIcon.State.On)
        assert set(off) == {QColor(p.text).name()} and set(on) == {QColor(p.accent_text).name()}
        assert len(on) > len(off)  # the filled form: pressed reads by its shape, not only its colour
    tried = gallery.react_buttons["tried_it"]
    before = tried.grab().toImage()
    gallery.reactor_box.setCurrentIndex(gallery.reactor_box.findText("Ben Okafor"))
    qtbot.mouseClick(tried, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tried.isChecked() and tried.property("active") is True)
    assert tried.grab().toImage() != before  # the pressed state is drawn
    assert reactions_of(ctx.store, gallery.reactor, clip_id=gallery.current.id) == {"tried_it"}  # type: ignore[union-attr,arg-type]
    qtbot.mouseClick(tried, Qt.MouseButton.LeftButton)  # pressed again: taken back, one per person and kind
    qtbot.waitUntil(lambda: not tried.isChecked())
    assert reactions_of(ctx.store, gallery.reactor, clip_id=gallery.current.id) == set()  # type: ignore[union-attr,arg-type]


def test_a_thumbnail_has_room_for_its_two_lines(qtbot: QtBot, ctx: Ripple) -> None:
    """Who and how long, then the reactions: Qt sized the cell without the theme's padding and
    cut the second line to "Ana Pereira · 00:01…"."""
    kept_clip(ctx.store, ctx.clips, "Thumbnails")
    gallery = _gallery(qtbot, ctx)
    qtbot.mouseClick(gallery.react_buttons["helpful"], Qt.MouseButton.LeftButton)  # the room's click
    item = gallery.grid.item(0)
    qtbot.waitUntil(lambda: "\n1 reaction" in item.text())
    text_room = gallery.grid.visualItemRect(item).height() - gallery.grid.iconSize().height()
    assert text_room >= gallery.grid.fontMetrics().height() * 3  # two lines and the item's padding
