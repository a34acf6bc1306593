"""The planner's roster preview as a test meets it: it opens once the file has been read in
the background, so a test waits for it to show instead of scheduling clicks before it exists."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.plan.participants import ParticipantsTab
from ui.plan.roster_preview import RosterPreview


def open_preview(qtbot: QtBot, tab: ParticipantsTab) -> RosterPreview:
    """The preview the tab opened for the file it is reading (waits for it to show)."""
    found: list[RosterPreview] = []

    def shown() -> bool:
        found[:] = [d for d in tab.findChildren(RosterPreview) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=30000)
    return found[0]
