"""People and their place on a workshop's roster: who they are, consent, hotkeys.

A person is one row however many workshops they attend; the same e-mail (any case) is the
same person, here and after a sync or an import. Consent is recorded per scope with when and
by whom it was captured. Every function taking a :class:`db.store.Store` works in one
transaction; the ``*_in`` functions and :func:`join_workshop` work inside the caller's
session, so a roster import or a portable file lands all at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from app.limits import checked
from app.planning.ids import existing_row, membership_id, person_id_for_email
from app.planning.views import Consent, ConsentRecord, ParticipantView
from db.consent import Event, decide, stable_event_id, summarise, withdrawals_seen
from db.consent import events_of as consent_events_of
from db.consent import recompute as recompute_consent
from db.models import ConsentEvent, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.types import utcnow


def consent_of(p: Participant, seen: frozenset[uuid.UUID] = frozenset()) -> Consent:
    return Consent(
        video=p.consent_video,
        community=p.consent_community,
        analytics=p.consent_analytics,
        at=p.consent_at,
        by=p.consent_by,
        withdrawals_seen=seen,
    )


def withdrawals_known(s: Session, people: list[uuid.UUID]) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """Per person, the withdrawals this store knows of (what a form drawn now has seen)."""
    events = consent_events_of(s.connection(), people)
    return {pid: frozenset(e.id for e in evs if not e.granted) for pid, evs in events.items()}


def participant_view(
    p: Participant, m: WorkshopParticipant | None = None, seen: frozenset[uuid.UUID] = frozenset()
) -> ParticipantView:
    """The plain view of a person; ``m`` adds their place and hotkey on one roster."""
    return ParticipantView(
        id=p.id,
        name=p.name,
        email=p.email,
        team=p.team,
        consent=consent_of(p, seen),
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
    return checked("participants", "email", email, field="email")


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
    known: Participant | None = None,
    consent_scopes: tuple[str, ...] = ("video", "community", "analytics"),
) -> Participant:
    """The existing person with this e-mail (updated where new facts are given), or a new one.

    ``known``: that person, when the caller has looked them up already (a roster, in bulk).
    ``consent_scopes``: the scopes ``consent`` speaks for (a roster's consent columns); the
    others are not touched."""
    name = checked("participants", "name", (name or "").strip())
    if not name:
        raise RippleError("A participant needs a name.")
    team = checked("participants", "team", team.strip())
    clean = _clean_email(email)
    # An erased person is never found again (a roster's bulk lookup may hand over their
    # tombstone): the e-mail then makes a new person, without consent.
    person: Participant | None = known if known is not None and known.erased_at is None else None
    if person is None and clean:
        person = find_participant_by_email(s, clean)
    if person is None:
        # The e-mail's id, unless that is an erased person's (then a new person), or a random one.
        pid = person_id_for_email(clean) if clean else uuid.uuid4()
        person = s.get(Participant, pid, execution_options={"include_deleted": True})
        if person is not None and person.erased_at is not None:
            person = None
            pid = uuid.uuid4()
    if person is None:
        person = Participant(id=pid, name=name[:200], email=clean, team=team.strip())
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
        # A roster or a file is not the person asked now: it may withdraw consent, and grant
        # it to someone never asked here, but never re-grants a withdrawal (seen: none).
        record_consent_in(s, person, video=consent.video if "video" in consent_scopes else None,
                          community=consent.community if "community" in consent_scopes else None,
                          analytics=consent.analytics if "analytics" in consent_scopes else None,
                          at=consent.at, by=consent.by, seen=frozenset())
    return person


def record_consent_in(
    s: Session,
    p: Participant,
    *,
    video: bool | None = None,
    community: bool | None = None,
    analytics: bool | None = None,
    at: datetime | None = None,
    by: str = "",
    seen: frozenset[uuid.UUID] | None = None,
    source: str | None = None,
) -> Consent:
    """Record the scopes given (None: not touched, nothing written) as consent events, then
    the consent the events decide; returns it.

    ``seen``: the withdrawals the request was made having seen (a form: those it showed;
    None: all this store knows, for a request made now, in person). A grant that had not
    seen a withdrawal is kept in the history but does not undo it. ``source`` makes the
    events' ids derive from the facts, so the same file imported twice records them once."""
    if p.erased_at is not None:
        raise RippleError("This participant was erased; there is no consent to record.")
    s.flush()
    conn = s.connection()
    events = consent_events_of(conn, [p.id])[p.id]
    when = at or utcnow()
    added = False
    for scope, value in (("video", video), ("community", community), ("analytics", analytics)):
        if value is None or decide(events, scope).granted == value:
            continue
        known = withdrawals_seen(events, scope) if seen is None else seen
        eid = stable_event_id(p.id, scope, value, when, source) if source else uuid.uuid4()
        if s.get(ConsentEvent, eid, execution_options={"include_deleted": True}) is not None:
            continue
        s.add(ConsentEvent(id=eid, participant_id=p.id, scope=scope, granted=value, at=when,
                           by=checked("consent_events", "by", by.strip()),
                           seen=sorted(w.hex for w in known) if value else []))
        added = True
    if added:  # the columns are what the events decide; no new event, nothing to decide anew
        s.flush()
        recompute_consent(conn, [p.id])
        s.expire(p, ["consent_video", "consent_community", "consent_analytics", "consent_at", "consent_by"])
    return consent_of(p)


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


def new_participant_rows(
    *, name: str, email: str | None = None, team: str = "", consent: Consent | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The rows of a person the caller knows this store has never seen (no row with their
    e-mail or their id, checked in bulk beforehand), for ``Store.append_many``: the fast path
    of a big roster. Consent is what :func:`record_consent_in` records for someone without
    any history: an event for each scope granted, and the columns those events decide."""
    name = checked("participants", "name", (name or "").strip())
    if not name:
        raise RippleError("A participant needs a name.")
    clean = _clean_email(email)
    person: dict[str, Any] = {"id": person_id_for_email(clean) if clean else uuid.uuid4(), "name": name,
                              "email": clean, "team": checked("participants", "team", team.strip())}
    events: list[Event] = []
    if consent is not None:
        when = consent.at or utcnow()
        by = checked("consent_events", "by", consent.by.strip())
        events = [Event(uuid.uuid4(), scope, True, when, by)
                  for scope, value in (("video", consent.video), ("community", consent.community),
                                       ("analytics", consent.analytics)) if value]
    decided = summarise(events)
    person |= {"consent_video": decided.video, "consent_community": decided.community,
               "consent_analytics": decided.analytics, "consent_at": decided.at, "consent_by": decided.by}
    rows = [{"id": e.id, "participant_id": person["id"], "scope": e.scope, "granted": True, "at": e.at,
             "by": e.by, "seen": []} for e in events]
    return person, rows


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
            if isinstance(value, str):
                value = checked("participants", key, value)
            if getattr(p, key) != value:
                setattr(p, key, value)


def set_consent(
    store: Store,
    participant_id: uuid.UUID,
    *,
    video: bool | None = None,
    community: bool | None = None,
    analytics: bool | None = None,
    by: str,
    seen: frozenset[uuid.UUID] | None = None,
) -> Consent:
    """Record consent for the scopes given (others are not touched), with when and by whom
    it was captured; returns the consent that results. ``seen``: see :func:`record_consent_in`
    (a form passes its view's ``withdrawals_seen``)."""
    with store.write() as s:
        p = existing_row(s, Participant, participant_id, "participant")
        return record_consent_in(s, p, video=video, community=community, analytics=analytics,
                                 by=by, seen=seen)


def consent_history(store: Store, participant_id: uuid.UUID) -> list[ConsentRecord]:
    """Every recorded change of a person's consent, oldest first: what, when, by whom, and
    whether it decides the consent today (a grant made without having seen a withdrawal
    does not)."""
    with store.read() as s:
        existing_row(s, Participant, participant_id, "participant")
        events = consent_events_of(s.connection(), [participant_id])[participant_id]
    deciding = {decide(events, scope).event for scope in ("video", "community", "analytics")}
    return [
        ConsentRecord(scope=e.scope, granted=e.granted, at=e.at, by=e.by, effective=e in deciding)
        for e in sorted(events, key=lambda e: (e.at, str(e.id)))
    ]


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
