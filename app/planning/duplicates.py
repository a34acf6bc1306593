"""Two people who are one: walk-ins without an e-mail added on two laptops.

A person with an e-mail has the same id everywhere (``ids.person_id_for_email``), so two
laptops adding them merge by themselves. A walk-in without one gets a new id on each laptop,
and after a sync the roster shows "Ana" twice. The console offers to merge such pairs (same
name, same workshop, no two different e-mails); the merge is ordinary edits that sync:
everything that points at the duplicate (contributions, clips, reactions, consent events,
memberships, group members, and any table added later that points at a participant) is
moved to the survivor, and the duplicate is tombstoned with ``extra["merged_into"]``.

The survivor is chosen by the pair alone (the one with an e-mail, else the one made first,
then the smaller id), so two laptops merging the same pair at once agree and nobody is lost.
Rows a laptop logged for the duplicate before it heard of the merge are moved after its next
sync (:func:`follow_merges`, which the sync service calls).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from app.planning.ids import membership_id
from app.planning.participants import join_workshop
from app.planning.views import ParticipantView
from db.consent import recompute as recompute_consent
from db.models import SYNCED_MODELS, AgendaGroup, AgendaItem, Participant, WorkshopParticipant
from db.store import Store
from db.types import utcnow

MERGED_INTO = "merged_into"


def _same_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def duplicate_pairs(people: Iterable[ParticipantView]) -> list[tuple[ParticipantView, ParticipantView]]:
    """Pairs on one roster that look like one person: the same name (any case and spacing)
    and not two different e-mails."""
    by_name: dict[str, list[ParticipantView]] = {}
    for p in people:
        if not p.erased:
            by_name.setdefault(_same_name(p.name), []).append(p)
    pairs = []
    for group in by_name.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if not (a.email and b.email and a.email.casefold() != b.email.casefold()):
                    pairs.append((a, b))
    return pairs


def _survivor(a: Participant, b: Participant) -> tuple[Participant, Participant]:
    """(keep, drop), the same on every laptop for the same pair."""
    def rank(p: Participant) -> tuple[int, Any, str]:
        return (0 if p.email else 1, p.created_at, p.id.hex)

    return (a, b) if rank(a) <= rank(b) else (b, a)


def merge_people(store: Store, workshop_id: uuid.UUID, first: uuid.UUID, second: uuid.UUID) -> uuid.UUID:
    """Merge two people on a workshop's roster into one; returns the survivor's id."""
    if first == second:
        raise RippleError("That is the same person twice; choose two people to merge.")
    with store.write() as s:
        a, b = s.get(Participant, first), s.get(Participant, second)
        if a is None or b is None:
            raise NotFound("One of those people is no longer on this laptop; sync and look again.")
        on_roster = {membership_id(workshop_id, a.id), membership_id(workshop_id, b.id)}
        if len(list(s.scalars(select(WorkshopParticipant.id).where(WorkshopParticipant.id.in_(on_roster))))) < 2:
            raise RippleError("Only two people on this workshop's roster can be merged here.")
        if a.erased_at is not None or b.erased_at is not None:
            raise RippleError("An erased person cannot be merged with anyone.")
        if a.email and b.email and a.email.casefold() != b.email.casefold():
            raise RippleError(f"{a.name} and {b.name} have different e-mails, so they are two people.")
        keep, drop = _survivor(a, b)
        keep.team = keep.team or drop.team
        keep.email = keep.email or drop.email
        drop.email = None
        drop.deleted_at = utcnow()
        drop.extra = {**(drop.extra or {}), MERGED_INTO: str(keep.id)}
        s.flush()
        _repoint(s, {drop.id: keep.id})
        return keep.id


def follow_merges(store: Store) -> int:
    """Move rows that still point at a merged-away person (logged on a laptop before it heard
    of the merge) to the survivor; returns how many people had such rows."""
    with store.write() as s:
        merged = {
            p.id: uuid.UUID(str((p.extra or {})[MERGED_INTO]))
            for p in s.scalars(select(Participant).where(Participant.deleted_at.isnot(None))
                               .execution_options(include_deleted=True))
            if MERGED_INTO in (p.extra or {})
        }
        if not merged:
            return 0
        for drop in merged:  # a survivor merged away later: follow the chain to its end
            seen = {drop}
            while merged[drop] in merged and merged[drop] not in seen:
                seen.add(merged[drop])
                merged[drop] = merged[merged[drop]]
        return _repoint(s, merged)


def _repoint(s: Session, moves: dict[uuid.UUID, uuid.UUID]) -> int:
    """Point everything at ``moves``' keys to their values instead (one transaction)."""
    touched: set[uuid.UUID] = set()
    live = {"include_deleted": True}
    for model in SYNCED_MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        if model in (Participant, WorkshopParticipant):
            continue
        for column in table.columns:
            if not any(fk.column.table.name == "participants" for fk in column.foreign_keys):
                continue
            attr = getattr(model, column.key)
            for row in s.scalars(select(model).where(attr.in_(list(moves))).execution_options(**live)):
                old = getattr(row, column.key)
                setattr(row, column.key, moves[old])
                touched.add(old)
    for m in s.scalars(select(WorkshopParticipant).where(WorkshopParticipant.participant_id.in_(list(moves)))
                       .where(WorkshopParticipant.deleted_at.is_(None))):
        survivor = s.get(Participant, moves[m.participant_id])
        if survivor is not None:
            joined = join_workshop(s, m.workshop_id, survivor)
            joined.hotkey = joined.hotkey or m.hotkey
        m.deleted_at = utcnow()
        touched.add(m.participant_id)
    texts = {str(k): str(v) for k, v in moves.items()}
    for g in s.scalars(select(AgendaGroup).join(AgendaItem, AgendaItem.id == AgendaGroup.agenda_item_id)):
        if any(member in texts for member in g.members or ()):
            members: list[str] = []
            for member in g.members:
                new = texts.get(member, member)
                if new not in members:
                    members.append(new)
            g.members = members
            touched.update(uuid.UUID(m) for m in texts)
    s.flush()
    recompute_consent(s.connection(), set(moves) | set(moves.values()))
    return len(touched)
