"""``ripple live WORKSHOP [--audience SCREEN_NAME|window|none]``: the desktop app, opened
straight into that workshop's live console (resuming it where it was if it was running),
with the room's window on the screen asked for (this time only; the console's room menu is
where a choice is remembered)."""

from __future__ import annotations

import argparse
import uuid
from importlib import metadata
from typing import Any

from app.cli.common import open_store
from app.errors import NotFound, RippleError
from app.platform.paths import resolve_db_url


def find_workshop(store: Any, text: str) -> uuid.UUID:
    """A workshop by id, id prefix, or exact title (case-insensitive, if only one has it)."""
    from app.planning.ids import resolve_workshop
    from app.planning.workshops import list_workshops

    try:
        return resolve_workshop(store, text)
    except NotFound:
        wanted = text.strip().casefold()
        same = [w.id for w in list_workshops(store) if w.title.casefold() == wanted]
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            raise NotFound(f"More than one workshop is called “{text.strip()}”; give its id "
                           "(`ripple workshop list` shows them).") from None
        raise


def cmd_live(args: argparse.Namespace) -> int:
    audience = args.audience.strip() if args.audience is not None else None
    if audience == "":
        raise RippleError("--audience needs a screen's name, “window” or “none”.")
    store = open_store(args, create=False)  # only to find the workshop; the app opens it
    try:
        wid = find_workshop(store, args.workshop)
    finally:
        store.close()
    eps = list(metadata.entry_points(group="ripple.gui", name="desktop"))
    if not eps:
        raise RippleError("The desktop app is not installed; reinstall Ripple with its ui package.")
    run = eps[0].load()
    return int(run(db_url=resolve_db_url(getattr(args, "db", None)), live=wid, audience=audience) or 0)


def register(sub: Any) -> None:
    live = sub.add_parser("live", help="open the live console of a workshop (and the room's window)")
    live.add_argument("workshop", help="workshop id (or a unique prefix, or its exact title)")
    live.add_argument("--audience", metavar="SCREEN_NAME|window|none", default=None,
                      help="where the room sees it: a screen's name (as the console's room menu "
                           "lists them), a normal window, or none")
    live.set_defaults(handler=cmd_live)
