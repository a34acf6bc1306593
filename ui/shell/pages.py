"""The rail's pages: each built (and wired to the window) the first time it is shown, or asked
for, as ``window.console``.

Why one builder a page: the screen's module is imported by its builder, so pyqtgraph, numpy
and QtMultimedia load with Insights, the console and the clips screens, not before the first
window is on screen (tests/ui/shell/test_window.py holds start-up to that).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from ui.kit.page import Page
from ui.shell.offers import offer_clip_deletion, offer_undo_delete

if TYPE_CHECKING:
    from ui.live.console import Console
    from ui.shell.window import MainWindow

P = TypeVar("P", bound=Page)


class BuiltPage(Generic[P]):
    """``window.console`` and the like: the rail's page, built the first time it is asked for."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, window: MainWindow, owner: type | None = None) -> P:
        return cast(P, window.page(self.key))


def build_planner(window: MainWindow) -> Page:
    from ui.plan.page import Planner

    planner = Planner(window.ctx)
    planner.sig_run_live.connect(window.run_live)
    planner.sig_deleted.connect(lambda workshop_id, title: offer_undo_delete(window, workshop_id, title))
    planner.sig_clips_hidden.connect(
        lambda participant_id, name, count: offer_clip_deletion(window, participant_id, name, count))
    return planner


def build_console(window: MainWindow) -> Page:
    from ui.live.console import Console

    console = Console(window.ctx)
    console.roleplay.sig_review.connect(window.open_review)
    connect_audience(window, console)
    return console


def connect_audience(window: MainWindow, console: Console) -> None:
    """The console's room menu drives the audience window; the room's state shows on it."""
    audience = window.audience
    console.room_menu.sig_room.connect(audience.handle)
    audience.sig_status.connect(console.room_menu.show_status)
    audience.sig_error.connect(window.show_error)
    audience.sig_offer.connect(lambda name: window.banner.show_message(
        f"A screen was plugged in ({name}). Show the room there?", "info",
        action=f"Show the room on {name}", on_action=lambda: audience.choose(name)))


def build_booth(window: MainWindow) -> Page:
    from ui.clips.booth import Booth

    booth = Booth(window.ctx)
    booth.sig_booth_mode.connect(lambda on: booth_mode(window, on))
    return booth


def booth_mode(window: MainWindow, on: bool) -> None:
    """Full screen with only the booth: a participant can use it without touching anything else."""
    window.rail.setVisible(not on)
    if on:
        window.show_page("booth")
        window.showFullScreen()
    else:
        window.showNormal()


def build_gallery(window: MainWindow) -> Page:
    from ui.clips.gallery import Gallery

    return Gallery(window.ctx)


def build_insights(window: MainWindow) -> Page:
    from ui.insights.page import InsightsPage

    return InsightsPage(window.ctx)


def build_review(window: MainWindow) -> Page:
    from ui.roleplay.review import RoleplayReview

    return RoleplayReview(window.ctx)


def build_settings(window: MainWindow) -> Page:
    from ui.settings.page import SyncSettingsPage

    settings = SyncSettingsPage(window.ctx)
    settings.sig_sync_failed.connect(lambda text: window.banner.show_message(
        text, "error", action="Retry", on_action=settings.controller.sync_now))
    settings.indicator.sig_open_settings.connect(lambda: window.show_page("settings"))
    return settings


#: The rail's key → the builder of its page.
BUILDERS: dict[str, Callable[[MainWindow], Page]] = {
    "plan": build_planner, "live": build_console, "booth": build_booth, "gallery": build_gallery,
    "insights": build_insights, "review": build_review, "settings": build_settings,
}


__all__ = ["BUILDERS", "BuiltPage", "booth_mode", "connect_audience"]
