"""The planner as a trainer sees it on a small laptop: shown, 1366x768."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.context import Ripple
from ui.plan.page import Planner


def shown_planner(qtbot: QtBot, ctx: Ripple) -> Planner:
    """A planner page on ``ctx``, shown at 1366x768 and closed with the test."""
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.resize(1366, 768)
    planner.show()
    return planner
