"""Consent as a history of events, and the rule that turns it into yes or no: withdrawal wins.

Why events and not a yes/no field: with a field, a "yes" saved from a stale form on a laptop
that had not yet heard of Hana's withdrawal overwrote her "no" (its clock was later), and
she was back in the L&D export. PRODUCT.md asks instead: a "yes" recorded without having
seen a "no" never undoes it, whatever the clocks say; a "yes" recorded after the "no" was
seen (she was asked again, in person) re-grants it.

So every change of consent is an immutable event (a grant or a withdrawal of one scope), and
a grant records which withdrawals of that scope its writer had seen. A scope is granted when
some grant has seen every withdrawal of that scope. No clock is compared: a set of events
gives the same answer in any order on any laptop, so stores converge as soon as they hold
the same events, and the events are the consent history a data protection officer asks for.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, or_, select, update

SCOPES = ("video", "community", "analytics")


@dataclass(frozen=True)
class Event:
    """One recorded change of one scope of one person's consent."""

    id: uuid.UUID
    scope: str
    granted: bool
    at: datetime
    by: str
    #: for a grant: the withdrawals of this scope its writer had seen (their ids)
    seen: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class Decision:
    """A scope's consent as the events decide it, and the event that decides it."""

    granted: bool
    event: Event | None


def decide(events: Iterable[Event], scope: str) -> Decision:
    """Granted iff some grant has seen every withdrawal of ``scope``.

    The deciding event (for when/by): the latest such grant; else the latest withdrawal.
    "Latest" orders by the recorded time, then by id, only to pick which event to *show*:
    the yes/no itself never depends on clocks."""
    mine = [e for e in events if e.scope == scope]
    withdrawals = {e.id for e in mine if not e.granted}
    informed = [e for e in mine if e.granted and withdrawals <= e.seen]
    if informed:
        return Decision(True, max(informed, key=_order))
    nos = [e for e in mine if not e.granted]
    return Decision(False, max(nos, key=_order) if nos else None)


def _order(e: Event) -> tuple[datetime, str]:
    return (e.at, str(e.id))


def withdrawals_seen(events: Iterable[Event], scope: str) -> frozenset[uuid.UUID]:
    """What a grant written now, having seen ``events``, records as seen."""
    return frozenset(e.id for e in events if e.scope == scope and not e.granted)


@dataclass(frozen=True)
class Summary:
    """What a participant row shows: one flag per scope, and when/by whom the newest
    deciding event was recorded."""

    video: bool
    community: bool
    analytics: bool
    at: datetime | None
    by: str


def summarise(events: Iterable[Event]) -> Summary:
    evs = list(events)
    decisions = {s: decide(evs, s) for s in SCOPES}
    deciding = [d.event for d in decisions.values() if d.event is not None]
    latest = max(deciding, key=_order) if deciding else None
    return Summary(
        video=decisions["video"].granted,
        community=decisions["community"].granted,
        analytics=decisions["analytics"].granted,
        at=latest.at if latest else None,
        by=latest.by if latest else "",
    )


_NS = uuid.UUID("6d1f3c52-27a4-4c1e-9a51-5b8f0e7d2c11")


def stable_event_id(participant_id: uuid.UUID, scope: str, granted: bool, at: datetime, source: str) -> uuid.UUID:
    """The id of an event that several stores may each create from the same fact (a portable
    file's consent, the migration of a pre-event store): the same fact gives the same id, so
    importing a file twice or upgrading two laptops records it once."""
    return uuid.uuid5(_NS, f"{participant_id}|{scope}|{int(granted)}|{at.isoformat()}|{source}")


# ---------------------------------------------------------------- in the store


def events_of(conn: Connection, participant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Event]]:
    """The live consent events of these people, as :class:`Event` values."""
    from db.models import ConsentEvent

    t = ConsentEvent.__table__
    ids = sorted(set(participant_ids))
    out: dict[uuid.UUID, list[Event]] = {pid: [] for pid in ids}
    for i in range(0, len(ids), 500):
        rows = conn.execute(
            select(t.c.participant_id, t.c.id, t.c.scope, t.c.granted, t.c.at, t.c.by, t.c.seen)
            .where(t.c.participant_id.in_(ids[i : i + 500]), t.c.deleted_at.is_(None))
        )
        for pid, eid, scope, granted, at, by, seen in rows:
            out[pid].append(Event(eid, scope, bool(granted), at, by or "",
                                  frozenset(uuid.UUID(str(s)) for s in (seen or []))))
    return out


def recompute(conn: Connection, participant_ids: Iterable[uuid.UUID]) -> int:
    """Write the consent columns these people's events decide (no new version: every store
    derives the same values from the same events). Returns how many rows changed."""
    from db.models import Participant

    p = cast(Table, Participant.__table__)
    changed = 0
    for pid, evs in events_of(conn, participant_ids).items():
        s = summarise(evs)
        changed += conn.execute(
            update(p)
            .where(p.c.id == pid, p.c.erased_at.is_(None))
            .where(or_(p.c.consent_video != s.video, p.c.consent_community != s.community,
                       p.c.consent_analytics != s.analytics, p.c.consent_by != s.by,
                       p.c.consent_at.is_distinct_from(s.at)))
            .values(consent_video=s.video, consent_community=s.community, consent_analytics=s.analytics,
                    consent_at=s.at, consent_by=s.by)
        ).rowcount
    return changed
