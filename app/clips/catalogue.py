"""The clips as the screens and the CLI list them: plain views with owner, agenda item and
reactions, and the rule that hides a clip whose owner withdrew consent or was erased.

Hiding happens here, on every read, rather than by changing the clip: a consent given again
shows the clip again, and nothing has to be synced for a withdrawal to take effect.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from db.models import AgendaItem, Clip, Participant, Reaction
from db.store import Store


@dataclass(frozen=True)
class ClipView:
    id: uuid.UUID
    workshop_id: uuid.UUID
    agenda_item_id: uuid.UUID | None
    agenda_title: str
    participant_id: uuid.UUID
    owner: str
    at: datetime
    seconds: float
    scope: str
    sha256: str
    width: int
    height: int
    has_audio: bool
    title: str
    thumbnail: bytes | None
    reactions: dict[str, int] = field(default_factory=dict)
    hidden: bool = False
    hidden_reason: str = ""


def _hidden(p: Participant | None) -> tuple[bool, str]:
    """Whether a clip of ``p`` is hidden, and why (shown to the trainer who may delete it)."""
    if p is None:
        return True, "owner unknown"
    if p.erased_at is not None:
        return True, "owner erased"
    if not p.consent_video:
        return True, f"{p.name} withdrew video consent"
    return False, ""


def list_clips(
    store: Store, workshop_id: uuid.UUID | None = None, *, include_hidden: bool = False
) -> list[ClipView]:
    """Clips (newest first) with owner, agenda item and reactions; hidden ones only on request."""
    with store.read() as s:
        q = select(Clip).order_by(Clip.at.desc())
        if workshop_id is not None:
            q = q.where(Clip.workshop_id == workshop_id)
        clips = list(s.scalars(q))
        if not clips:
            return []
        owners = {p.id: p for p in s.scalars(select(Participant).where(
            Participant.id.in_({c.participant_id for c in clips})))}
        items = {i.id: i.title for i in s.scalars(select(AgendaItem).where(
            AgendaItem.id.in_({c.agenda_item_id for c in clips if c.agenda_item_id})))}
        counts: dict[uuid.UUID, dict[str, int]] = {}
        for clip_id, kind, n in s.execute(
            select(Reaction.clip_id, Reaction.kind, func.count())
            .where(Reaction.clip_id.in_([c.id for c in clips]), Reaction.deleted_at.is_(None))
            .group_by(Reaction.clip_id, Reaction.kind)
        ):
            if clip_id is not None:
                counts.setdefault(clip_id, {})[kind] = n
    out = []
    for c in clips:
        owner = owners.get(c.participant_id)
        hidden, reason = _hidden(owner)
        if hidden and not include_hidden:
            continue
        scope = c.scope if (owner is not None and owner.consent_community) else "room"
        out.append(ClipView(
            id=c.id, workshop_id=c.workshop_id, agenda_item_id=c.agenda_item_id,
            agenda_title=items.get(c.agenda_item_id, "") if c.agenda_item_id else "",
            participant_id=c.participant_id, owner=owner.name if owner and not hidden else "(hidden)",
            at=c.at, seconds=c.seconds, scope=scope, sha256=c.sha256, width=c.width, height=c.height,
            has_audio=c.has_audio, title=c.title, thumbnail=c.thumbnail,
            reactions=counts.get(c.id, {}), hidden=hidden, hidden_reason=reason,
        ))
    return out


def clip(store: Store, clip_id: uuid.UUID) -> ClipView | None:
    """One clip, hidden or not; None when it does not exist (or was deleted)."""
    with store.read() as s:
        row = s.get(Clip, clip_id)
        wid = row.workshop_id if row else None
    if wid is None:
        return None
    return next((c for c in list_clips(store, wid, include_hidden=True) if c.id == clip_id), None)


def hidden_clips_of(store: Store, participant_id: uuid.UUID) -> list[ClipView]:
    """After a consent is withdrawn: the clips now hidden, to offer their deletion."""
    with store.read() as s:
        wids = set(s.scalars(select(Clip.workshop_id).where(Clip.participant_id == participant_id)))
    return [c for wid in wids for c in list_clips(store, wid, include_hidden=True)
            if c.participant_id == participant_id and c.hidden]

