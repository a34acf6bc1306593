"""Recognition for the room: "whose shares set others off today", names and one line each.

Only people who consented to analytics (and were not erased) are named — the same rule as
every analytics screen (:mod:`app.insights.people`) — and never with a score, a count or a
rank: the list is alphabetical and each line says *what* the person started, not how much.
Public leaderboards get gamed; recognition of what someone gave the room does not.

It is off unless the trainer turns it on for a workshop. The switch is stored on the workshop
row itself, as ``room_recognition`` in its ``extra`` JSON: it syncs with the workshop (the
``extra`` field merges last-writer-wins like any other field, so the co-facilitator's laptop
sees the same choice) and travels in the portable file as the workshop field
``room_recognition`` (kept as an unknown field by a reader that predates it) — no migration.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from app.errors import NotFound
from app.insights.workshop import WorkshopInsights, workshop_insights
from app.room.view import RoomRecognition, Starter
from db.models import Workshop
from db.store import Store

FLAG = "room_recognition"
HEADING = "Whose shares set others off"

#: What a share of each kind started, said without a number.
_STARTED = {
    "story": "a story in {item} that got others telling theirs",
    "tip": "a tip in {item} that others picked up",
    "question": "a question in {item} that opened the floor",
    "failure": "a lesson from a failure in {item} that others answered with their own",
    "help": "an offer of help in {item} that others took up",
    "other": "a share in {item} that set others off",
}


def recognition_enabled(store: Store, workshop_id: uuid.UUID) -> bool:
    """Whether the trainer turned recognition on for this workshop (off by default)."""
    with store.read() as s:
        w = s.get(Workshop, workshop_id)
        if w is None or w.deleted_at is not None:
            raise NotFound("This workshop no longer exists.")
        return bool((w.extra or {}).get(FLAG, False))


def set_recognition(store: Store, workshop_id: uuid.UUID, on: bool) -> None:
    """Turn the room's recognition on or off for one workshop (one small transaction)."""
    with store.write() as s:
        w = s.get(Workshop, workshop_id)
        if w is None or w.deleted_at is not None:
            raise NotFound("This workshop no longer exists.")
        extra = dict(w.extra or {})
        if bool(extra.get(FLAG, False)) == on:
            return
        if on:
            extra[FLAG] = True
        else:
            extra.pop(FLAG, None)
        w.extra = extra or None  # a new dict: the JSON column sees the change


def ripple_starters(
    store: Store, workshop_id: uuid.UUID, item_id: uuid.UUID | None = None
) -> RoomRecognition:
    """The day's ripple starters (or one agenda item's) as the room may see them."""
    return starters_of(workshop_insights(store, workshop_id), item_id)


def starters_of(wi: WorkshopInsights, item_id: uuid.UUID | None = None) -> RoomRecognition:
    """:func:`ripple_starters` from an analysis already made (the live panel's, say)."""
    titles = {sp.id: sp.title for sp in wi.items}
    points = {p.id: p for p in wi.points}
    set_off: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)  # share -> people it set off
    for e in wi.edges:
        source = points.get(e.source)
        if source is None or (item_id is not None and source.item != item_id):
            continue
        if e.target_person != e.source_person:
            set_off[e.source].add(e.target_person)
    starters = []
    for ranked in wi.ranking:  # named people only (analytics consent, not erased)
        person = ranked.person
        if not person.named:
            continue
        own = [sid for sid in set_off if points[sid].person == person.id]
        if not own:
            continue
        best = max(own, key=lambda sid: (len(set_off[sid]), -points[sid].offset_s))
        share = points[best]
        item = f"“{titles[share.item]}”" if share.item in titles else "the workshop"
        starters.append(Starter(person.label, _STARTED.get(share.kind, _STARTED["other"]).format(item=item)))
    starters.sort(key=lambda s: s.name.casefold())
    scope = "today" if item_id is None else titles.get(item_id, "this item")
    return RoomRecognition(HEADING, scope, tuple(starters))


__all__ = ["FLAG", "HEADING", "recognition_enabled", "ripple_starters", "set_recognition", "starters_of"]
