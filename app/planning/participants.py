"""People and their place on a workshop's roster: who they are, consent, hotkeys.

A person is one row however many workshops they attend; the same e-mail (any case) is the
same person, here and after a sync or an import. Consent is recorded per scope with when and
by whom it was captured. Every function taking a :class:`db.store.Store` works in one
transaction; the ``*_in`` functions and :func:`join_workshop` work inside the caller's
session, so a roster import or a portable file lands all at once.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from app.planning.ids import existing_row, membership_id, person_id_for_email
from app.planning.views import Consent, ParticipantView
from db.models import Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.types import utcnow


def consent_of(p: Participant) -> Consent:
    return Consent(
        video=p.consent_video,
        community=p.consent_community,
        analytics=p.consent_analytics,
        at=p.consent_at,
        by=p.consent_by,
    )


def participant_view(p: Participant, m: WorkshopParticipant | None = None) -> ParticipantView:
    """The plain view of a person; ``m`` adds their place and hotkey on one roster."""
    return ParticipantView(
        id=p.id,
        name=p.name,
        email=p.email,
        team=p.team,
        consent=consent_of(p),
        position=m.position if m else 0,
        hotkey=m.hotkey if m else None,
        erased=p.erased_at is not None,
    )


def list_people(store: Store, search: str = "") -> list[ParticipantView]:
    """Everyone in the store, by name; ``search`` matches name, e-mail or team (any case)."""
    needle = search.strip().casefold()
    with store.read() as s:
        people = [participant_view(p) for p in s.scalars(select(Participant))]
    if needle:
        people = [
            p for p in people
            if needle in p.name.casefold() or needle in (p.email or "").casefold() or needle in p.team.casefold()
        ]
    return sorted(people, key=lambda p: (p.erased, p.name.casefold(), str(p.id)))


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if "@" not in email or " " in email or email.startswith("@") or email.endswith("@"):
        raise RippleError(f"“{email}” is not an e-mail address.")
    return email[:320]


def find_participant_by_email(s: Session, email: str) -> Participant | None:
    return s.scalars(
        select(Participant)
        .where(func.lower(Participant.email) == email.strip().lower())
        .execution_options(include_deleted=True)
        .limit(1)
    ).first()


def upsert_participant_in(
    s: Session,
    *,
    name: str,
    email: str | None = None,
    team: str = "",
    consent: Consent | None = None,
) -> Participant:
    """The existing person with this e-mail (updated where new facts are given), or a new one."""
    name = (name or "").strip()
    if not name:
        raise RippleError("A participant needs a name.")
    clean = _clean_email(email)
    person: Participant | None = find_participant_by_email(s, clean) if clean else None
    if person is None and clean:
        person = s.get(
            Participant, person_id_for_email(clean), execution_options={"include_deleted": True}
        )
    if person is None:
        person = Participant(
            id=person_id_for_email(clean) if clean else uuid.uuid4(),
            name=name[:200],
            email=clean,
            team=team.strip(),
        )
        s.add(person)
    else:
        if person.deleted_at is not None:
            person.deleted_at = None
        if person.erased_at is None:
            if person.name != name[:200]:
                person.name = name[:200]
            if team.strip() and person.team != team.strip():
                person.team = team.strip()
    if consent is not None:
        _apply_consent(person, consent)
    return person


def _apply_consent(p: Participant, c: Consent) -> None:
    changed = (p.consent_video, p.consent_community, p.consent_analytics) != (
        c.video,
        c.community,
        c.analytics,
    )
    if changed or (c.by and p.consent_by != c.by):
        p.consent_video, p.consent_community, p.consent_analytics = c.video, c.community, c.analytics
        p.consent_at = c.at or utcnow()
        p.consent_by = c.by


def join_workshop(s: Session, workshop_id: uuid.UUID, person: Participant) -> WorkshopParticipant:
    """Put a person on a workshop's roster (last place), or bring back a removed membership."""
    mid = membership_id(workshop_id, person.id)
    m = s.get(WorkshopParticipant, mid, execution_options={"include_deleted": True})
    if m is None:
        count = s.scalar(
            select(func.count())
            .select_from(WorkshopParticipant)
            .where(WorkshopParticipant.workshop_id == workshop_id)
        )
        m = WorkshopParticipant(
            id=mid, workshop_id=workshop_id, participant_id=person.id, position=int(count or 0)
        )
        s.add(m)
    elif m.deleted_at is not None:
        m.deleted_at = None
    return m


def add_participant(
    store: Store,
    workshop_id: uuid.UUID,
    name: str,
    *,
    email: str | None = None,
    team: str = "",
    consent: Consent | None = None,
) -> uuid.UUID:
    with store.write() as s:
        existing_row(s, Workshop, workshop_id, "workshop")
        person = upsert_participant_in(s, name=name, email=email, team=team, consent=consent)
        s.flush()
        join_workshop(s, workshop_id, person)
        return person.id


PARTICIPANT_FIELDS = ("name", "email", "team")


def update_participant(store: Store, participant_id: uuid.UUID, **changes: Any) -> None:
    unknown = set(changes) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise RippleError(f"A participant has no field {sorted(unknown)[0]!r}.")
    with store.write() as s:
        p = existing_row(s, Participant, participant_id, "participant")
        if p.erased_at is not None:
            raise RippleError("This participant was erased; their details cannot be edited.")
        for key, value in changes.items():
            if key == "email":
                value = _clean_email(value)
            elif key == "name":
                value = (value or "").strip()
                if not value:
                    raise RippleError("A participant needs a name.")
            if getattr(p, key) != value:
                setattr(p, key, value)


def set_consent(
    store: Store,
    participant_id: uuid.UUID,
    *,
    video: bool,
    community: bool,
    analytics: bool,
    by: str,
) -> None:
    """Record consent per scope, with when and by whom it was captured."""
    with store.write() as s:
        p = existing_row(s, Participant, participant_id, "participant")
        _apply_consent(p, Consent(video, community, analytics, utcnow(), by.strip()))


def remove_participant(store: Store, workshop_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Take a person off this workshop's roster (what they contributed stays logged)."""
    with store.write() as s:
        m = s.get(WorkshopParticipant, membership_id(workshop_id, participant_id))
        if m is None:
            raise NotFound("That participant is not on this workshop's roster.")
        m.deleted_at = utcnow()


def set_hotkey(
    store: Store, workshop_id: uuid.UUID, participant_id: uuid.UUID, hotkey: str | None
) -> None:
    """Give a person a console hotkey; whoever held that key on this roster loses it."""
    with store.write() as s:
        m = s.get(WorkshopParticipant, membership_id(workshop_id, participant_id))
        if m is None:
            raise NotFound("That participant is not on this workshop's roster.")
        if hotkey:
            for other in s.scalars(
                select(WorkshopParticipant).where(
                    WorkshopParticipant.workshop_id == workshop_id,
                    WorkshopParticipant.hotkey == hotkey,
                    WorkshopParticipant.id != m.id,
                )
            ):
                other.hotkey = None
        m.hotkey = hotkey or None
