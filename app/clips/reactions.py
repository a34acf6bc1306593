"""Peers' one-click reactions to a clip or a contribution (helpful, inspired, tried it).

A click is one new row written on the store's fast path (the room clicks while a clip plays);
undoing it tombstones the row, so the undo syncs too. The analysis counts reactions as points
of the person reacted to. ``react`` is the room's anonymous click (each click counts);
``toggle_reaction`` is a named person's: one per person and kind, pressed again to take it back.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from app.errors import NotFound, RippleError
from app.vocabulary import REACTION_KINDS
from db.models import Clip, Contribution, Reaction
from db.store import Store
from db.types import utcnow


def react(
    store: Store,
    workshop_id: uuid.UUID,
    kind: str,
    *,
    clip_id: uuid.UUID | None = None,
    contribution_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """One click: a peer found a clip or a contribution helpful, inspiring, or tried it."""
    if kind not in REACTION_KINDS:
        raise RippleError(f"“{kind}” is not a reaction; use helpful, inspired or tried_it.")
    if (clip_id is None) == (contribution_id is None):
        raise RippleError("A reaction is to one clip or one contribution.")
    values: dict[str, Any] = {"workshop_id": workshop_id, "at": utcnow(), "kind": kind,
                              "clip_id": clip_id, "contribution_id": contribution_id,
                              "participant_id": participant_id}
    with store.read() as s:
        target: Any = s.get(Clip, clip_id) if clip_id else s.get(Contribution, contribution_id)
        if target is None or target.workshop_id != workshop_id:
            # The analysis credits a reaction to its target's workshop: filed elsewhere it would
            # go stale in that workshop's kept analysis.
            what = "clip" if clip_id else "contribution"
            raise NotFound(f"That {what} is not part of this workshop.")
    row = store.append(Reaction, values)
    rid: uuid.UUID = row["id"]
    return rid


def react_undo(store: Store, reaction_id: uuid.UUID) -> None:
    with store.write() as s:
        row = s.get(Reaction, reaction_id)
        if row is not None:
            row.deleted_at = utcnow()


def _mine(s: Any, participant_id: uuid.UUID, clip_id: uuid.UUID | None,
          contribution_id: uuid.UUID | None, kind: str | None = None) -> list[Reaction]:
    query = select(Reaction).where(Reaction.participant_id == participant_id, Reaction.deleted_at.is_(None))
    query = query.where(Reaction.clip_id == clip_id) if clip_id else query.where(
        Reaction.contribution_id == contribution_id)
    if kind is not None:
        query = query.where(Reaction.kind == kind)
    return list(s.scalars(query))


def reactions_of(store: Store, participant_id: uuid.UUID, *, clip_id: uuid.UUID | None = None,
                 contribution_id: uuid.UUID | None = None) -> set[str]:
    """The kinds this person has given this clip or contribution (the pressed buttons)."""
    with store.read() as s:
        return {r.kind for r in _mine(s, participant_id, clip_id, contribution_id)}


def toggle_reaction(
    store: Store,
    workshop_id: uuid.UUID,
    kind: str,
    participant_id: uuid.UUID,
    *,
    clip_id: uuid.UUID | None = None,
    contribution_id: uuid.UUID | None = None,
) -> bool:
    """A person's reaction of one kind, on or off: one per person and kind. ``True``: now given.

    Taking it back tombstones it (every copy, should two laptops both have written one), so
    the count falls by one everywhere after the next sync. Nobody reacts to their own clip
    or share: it would be points for themselves.
    """
    with store.read() as s:
        target: Any = s.get(Clip, clip_id) if clip_id else s.get(Contribution, contribution_id)
        owner = getattr(target, "participant_id", None)
        given = [r.id for r in _mine(s, participant_id, clip_id, contribution_id, kind)]
    if owner is not None and owner == participant_id:
        raise RippleError("Nobody reacts to their own clip or share: choose someone else.")
    if given:
        with store.write() as s:
            for rid in given:
                row = s.get(Reaction, rid)
                if row is not None:
                    row.deleted_at = utcnow()
        return False
    react(store, workshop_id, kind, clip_id=clip_id, contribution_id=contribution_id,
          participant_id=participant_id)
    return True
