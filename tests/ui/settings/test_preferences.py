"""Settings → Preferences: appearance applied at once, the facilitator on new workshops, the
booth's camera, microphone and clip length; every choice saved as it is made."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.brand import DARK, LIGHT
from app.clips.devices import CameraOption, MicrophoneOption
from app.context import Ripple
from app.planning.workshops import load_plan
from ui.kit import theme
from ui.plan.page import Planner
from ui.settings.preferences import PreferencesCard


@pytest.fixture
def card(qtbot: QtBot, ctx: Ripple, qapp: QApplication) -> Iterator[PreferencesCard]:
    theme.apply(qapp, "light")
    c = PreferencesCard(ctx, finder=lambda: [CameraOption("USB camera (2)", "2")],
                        mic_finder=lambda: [MicrophoneOption("Headset", "headset-id")])
    qtbot.addWidget(c)
    c.show()
    qtbot.waitUntil(lambda: c.found is not None)
    yield c
    theme.apply(qapp, "light")


def _choose(qtbot: QtBot, combo: QComboBox, value: object) -> None:
    """Pick the entry holding ``value`` with the keyboard, as a person would."""
    target = next(i for i in range(combo.count()) if combo.itemData(i) == value)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # (away first: Qt reports no choice when nothing moves)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == value


def test_the_appearance_applies_at_once_and_is_saved(qtbot: QtBot, card: PreferencesCard, qapp: QApplication) -> None:
    _choose(qtbot, card.appearance, "dark")
    assert theme.current() is DARK
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(DARK.bg)
    assert settings_mod.load().theme == "dark"
    _choose(qtbot, card.appearance, "light")
    assert theme.current() is LIGHT and settings_mod.load().theme == "light"


def test_the_facilitator_goes_on_new_workshops(qtbot: QtBot, card: PreferencesCard, ctx: Ripple) -> None:
    card.facilitator.clear()
    qtbot.keyClicks(card.facilitator, "  Ana   Ortiz ")
    qtbot.keyClick(card.facilitator, Qt.Key.Key_Return)
    assert card.facilitator.text() == "Ana Ortiz"
    assert settings_mod.load().facilitator == "Ana Ortiz"
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.show()
    planner.new_workshop(None)
    assert planner.plan is not None
    assert load_plan(ctx.store, planner.plan.id).facilitator == "Ana Ortiz"


def test_the_booths_defaults_are_saved(qtbot: QtBot, card: PreferencesCard, ctx: Ripple) -> None:
    assert [card.camera.itemText(i) for i in range(card.camera.count())] == [
        "USB camera (2)", "Synthetic test pattern"]  # the cameras found; a video file is the booth's to pick
    assert card.microphone.itemText(0) == "Headset"
    _choose(qtbot, card.camera, "2")
    assert settings_mod.load().camera == "2"
    assert card.microphone.currentText() == "Headset"
    _choose(qtbot, card.camera, "synthetic")
    # No microphone chosen: the test pattern brings its tone, and the list says what will be heard.
    assert settings_mod.load().microphone == "" and card.microphone.currentText() == "Synthetic tone"
    _choose(qtbot, card.microphone, "none")
    _choose(qtbot, card.clip_length, 45.0)
    assert card.clip_length.currentText() == "At most 45 seconds"
    saved = settings_mod.load()
    assert (saved.camera, saved.microphone, saved.max_clip_seconds) == ("synthetic", "none", 45.0)
    assert ctx.settings.max_clip_seconds == 45.0  # the booth reads the same object


def test_a_value_the_list_does_not_offer_is_shown_as_it_is(qtbot: QtBot, ctx: Ripple) -> None:
    ctx.settings.max_clip_seconds = 120.0
    ctx.settings.camera = "1"
    ctx.settings.microphone = "gone-id"
    c = PreferencesCard(ctx, finder=lambda: [], mic_finder=lambda: [])
    qtbot.addWidget(c)
    assert c.camera.itemText(0) == "Looking for cameras…"  # before the search answers
    c.show()
    qtbot.waitUntil(lambda: c.found is not None)
    assert c.clip_length.currentText() == "At most 120 seconds"
    assert c.camera.currentData() == "1" and c.camera.currentText() == "Camera 1 (not found)"
    assert c.camera.itemText(0) == "No camera found" and c.microphone.itemText(0) == "No microphone found"
    assert c.microphone.currentData() == "gone-id" and c.microphone.currentText() == "gone-id (not found)"


def test_settings_that_cannot_be_saved_say_so_and_keep_the_choice(
    qtbot: QtBot, card: PreferencesCard, ctx: Ripple, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(settings_mod, "settings_path", lambda: blocked / "settings.json")
    with qtbot.waitSignal(card.sig_error) as error:
        _choose(qtbot, card.microphone, "synthetic")
    assert error.args[0].startswith("The settings could not be saved")
    assert ctx.settings.microphone == "synthetic"


def test_back_to_the_systems_appearance_after_dark(qtbot: QtBot, card: PreferencesCard) -> None:
    system = theme.choose("system")  # what the platform itself looks like here
    _choose(qtbot, card.appearance, "dark" if system is LIGHT else "light")
    assert theme.current() is not system
    _choose(qtbot, card.appearance, "system")
    assert theme.current() is system and settings_mod.load().theme == "system"
