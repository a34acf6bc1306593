"""What the window offers in its banner after something happened elsewhere: Undo for a deleted
workshop, deleting the clips of someone who withdrew consent, keeping recordings a crash cut
short. Each is one message with one action; nothing is done until the trainer takes it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from app.errors import USER_ERRORS
from app.text import plural
from ui.changes import CLIPS, Changes, announce

if TYPE_CHECKING:
    from app.clips.library import ClipView
    from ui.shell.window import MainWindow


def offer_undo_delete(window: MainWindow, workshop_id: uuid.UUID, title: str) -> None:
    """A workshop was deleted: Undo stays in the banner for a while (ui/plan/page.py). One
    open in the console closes there, and comes back there with the Undo."""
    from ui.plan.page import UNDO_DELETE_S

    console = window.console if "live" in window.built else None
    was_open = console is not None and console.live is not None and console.live.workshop_id == workshop_id
    if console is not None and was_open:
        console.close_workshop()
        window.audience.follow(None)

    def undo() -> None:
        window.planner.undo_delete(workshop_id)
        if console is not None and was_open and console.live is None and console.open_workshop(workshop_id):
            window.audience.follow(console.live)

    window.banner.show_message(f"Deleted “{title}”.", "info", action="Undo", on_action=undo,
                               timeout_ms=UNDO_DELETE_S * 1000)


def offer_clip_deletion(window: MainWindow, participant_id: uuid.UUID, name: str, count: int) -> None:
    """Consent withdrawn: the clips are hidden everywhere already; offer to delete them."""
    from app.clips.catalogue import hidden_clips_of
    from app.clips.library import delete_clip

    def delete() -> None:
        try:
            for c in hidden_clips_of(window.ctx.store, participant_id):
                delete_clip(window.ctx.store, window.ctx.clips, c.id)
        except USER_ERRORS as exc:
            window.show_error(str(exc))
            return
        finally:
            announce(Changes.of(CLIPS), window)
        window.banner.show_message(f"{name}'s clips were deleted.", "info", timeout_ms=5000)

    window.banner.show_message(
        f"{name} withdrew video consent: their {count} clip{'s are' if count > 1 else ' is'} now hidden everywhere.",
        "warning", action=f"Delete {'them' if count > 1 else 'it'}", on_action=delete)


def offer_pending_recordings(window: MainWindow) -> None:
    """A recording cut short by a crash is playable: offer to keep it."""
    from app.clips.recording import discard_pending, pending_recordings, recover

    pending = pending_recordings(window.ctx.clips)
    if not pending:
        return
    n = len(pending)

    def keep() -> None:
        kept: list[ClipView] = []
        for p in pending:
            try:
                kept.append(recover(window.ctx.store, window.ctx.clips, p))
            except USER_ERRORS as exc:
                discard_pending(p)
                window.show_error(str(exc))
        if kept:
            announce(Changes.of(CLIPS), window)
            window.banner.show_message(f"{plural(len(kept), 'interrupted recording')} kept in the gallery.", "info",
                                       timeout_ms=5000)

    window.banner.show_message(
        f"{n} recording{'s were' if n > 1 else ' was'} interrupted last time; what was recorded is playable.",
        "warning", action="Keep in the gallery", on_action=keep)


__all__ = ["offer_clip_deletion", "offer_pending_recordings", "offer_undo_delete"]
