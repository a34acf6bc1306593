"""The live panel on its own: who has not been heard, calm at the start, and its colours follow
a switch of the appearance."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.brand import DARK, LIGHT
from app.context import Ripple
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from ui.kit import theme
from ui.live.panel import LivePanel


@pytest.fixture
def light_after(qapp: QApplication) -> Iterator[QApplication]:
    theme.apply(qapp, "light")
    yield qapp
    theme.apply(qapp, "light")


def test_not_heard_yet_is_neutral_and_recoloured_with_the_theme(qtbot: QtBot, ctx: Ripple, light_after: QApplication) -> None:
    wid = create_workshop(ctx.store, "Panel")
    add_agenda_item(ctx.store, wid, "challenge", "First", minutes=10)
    for name in ("Ana Pereira", "Ben Okafor", "Cy Twombly"):
        pid = add_participant(ctx.store, wid, name)
        set_consent(ctx.store, pid, video=False, community=False, analytics=True, by="Marta")
    panel = LivePanel(ctx, delay_ms=10)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.sig_updated, timeout=20000):
        panel.set_workshop(wid)
    assert panel.silent_title.text() == "NOT HEARD YET: 3" and not panel.attention
    assert panel.silent.styleSheet() == f"color: {LIGHT.muted};"
    panel.set_under_way(True)  # as the console says once the room is under way
    assert panel.attention and LIGHT.warning in panel.silent_title.text()
    assert panel.silent.styleSheet() == f"color: {LIGHT.text};"
    theme.apply(light_after, "dark")
    qtbot.waitUntil(lambda: panel.silent.styleSheet() == f"color: {DARK.text};")
    assert DARK.warning in panel.silent_title.text() and LIGHT.danger not in panel.silent.styleSheet()
