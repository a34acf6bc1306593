"""Planning: workshops, their agenda, their participants and groups.

Every function takes the open :class:`db.store.Store` and works in one transaction, so a
failure leaves nothing half-done. Ids a person types (CLI) may be unique prefixes.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from app.planning.views import (
    AgendaItemView,
    Consent,
    GroupView,
    ParticipantView,
    TimerState,
    WorkshopPlan,
    WorkshopSummary,
)
from db.models import (
    AGENDA_KINDS,
    AgendaGroup,
    AgendaItem,
    Contribution,
    Participant,
    Workshop,
    WorkshopParticipant,
)
from db.store import Store
from db.types import utcnow

# Stable ids for people and memberships: two laptops that add the same person (by e-mail) to
# the same workshop produce the same rows, which sync merges instead of doubling.
PEOPLE_NS = uuid.UUID("6c1f7a52-6a0e-4d7b-9d0c-2f3b1c9e8a41")


def person_id_for_email(email: str) -> uuid.UUID:
    return uuid.uuid5(PEOPLE_NS, "email:" + email.strip().lower())


def membership_id(workshop_id: uuid.UUID, participant_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(PEOPLE_NS, f"member:{workshop_id}:{participant_id}")


# ---------------------------------------------------------------- ids


def parse_uuid(text: str | uuid.UUID, what: str = "id") -> uuid.UUID:
    if isinstance(text, uuid.UUID):
        return text
    try:
        return uuid.UUID(text.strip())
    except (ValueError, AttributeError):
        raise NotFound(f"“{text}” is not a valid {what}.") from None


def _resolve(session: Session, model: Any, text: str | uuid.UUID, what: str) -> uuid.UUID:
    """A full id, or a unique prefix of one (as people copy ids from `workshop list`)."""
    if isinstance(text, uuid.UUID):
        if session.get(model, text) is None:
            raise NotFound(f"There is no {what} with id {text}.")
        return text
    raw = text.strip().lower()
    try:
        full = uuid.UUID(raw)
    except ValueError:
        full = None
    if full is not None:
        if session.get(model, full) is None:
            raise NotFound(f"There is no {what} with id {raw}.")
        return full
    bare = raw.replace("-", "")
    if len(bare) < 4 or any(c not in "0123456789abcdef" for c in bare):
        raise NotFound(f"“{text}” is not a {what} id; `ripple workshop list` shows the ids.")
    matches = [i for i in session.scalars(select(model.id)) if i.hex.startswith(bare)]
    if not matches:
        raise NotFound(f"There is no {what} whose id starts with “{raw}”.")
    if len(matches) > 1:
        raise NotFound(f"More than one {what} id starts with “{raw}”; give more characters.")
    return uuid.UUID(str(matches[0]))


def resolve_workshop(store: Store, text: str | uuid.UUID) -> uuid.UUID:
    with store.read() as s:
        return _resolve(s, Workshop, text, "workshop")


def resolve_participant(store: Store, text: str | uuid.UUID) -> uuid.UUID:
    with store.read() as s:
        return _resolve(s, Participant, text, "participant")


def _get(session: Session, model: Any, ident: uuid.UUID, what: str) -> Any:
    row = session.get(model, ident)
    if row is None:
        raise NotFound(f"There is no {what} with id {ident}.")
    return row


# ---------------------------------------------------------------- views


def consent_of(p: Participant) -> Consent:
    return Consent(
        video=p.consent_video,
        community=p.consent_community,
        analytics=p.consent_analytics,
        at=p.consent_at,
        by=p.consent_by,
    )


def timer_of(item: AgendaItem, now: datetime | None = None) -> TimerState:
    now = now or utcnow()
    elapsed = item.elapsed_s
    if item.running_since is not None:
        elapsed += max(0.0, (now - item.running_since).total_seconds())
    return TimerState(
        planned_s=item.minutes * 60.0,
        extra_s=item.extra_s,
        elapsed_s=elapsed,
        running=item.running_since is not None,
        started=item.started_at is not None,
        finished=item.finished_at is not None,
    )


def _item_view(item: AgendaItem, groups: Sequence[AgendaGroup]) -> AgendaItemView:
    return AgendaItemView(
        id=item.id,
        position=item.position,
        kind=item.kind,
        title=item.title,
        instructions=item.instructions,
        minutes=item.minutes,
        groups=tuple(
            GroupView(g.id, g.name, tuple(uuid.UUID(m) for m in g.members or ()))
            for g in sorted(groups, key=lambda g: g.position)
        ),
        timer=timer_of(item),
    )


def _participant_view(p: Participant, m: WorkshopParticipant | None = None) -> ParticipantView:
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
        people = [_participant_view(p) for p in s.scalars(select(Participant))]
    if needle:
        people = [
            p for p in people
            if needle in p.name.casefold() or needle in (p.email or "").casefold() or needle in p.team.casefold()
        ]
    return sorted(people, key=lambda p: (p.erased, p.name.casefold(), str(p.id)))


def load_plan_in(s: Session, workshop_id: uuid.UUID) -> WorkshopPlan:
    w = _get(s, Workshop, workshop_id, "workshop")
    items = list(
        s.scalars(
            select(AgendaItem)
            .where(AgendaItem.workshop_id == w.id)
            .order_by(AgendaItem.position, AgendaItem.created_at)
        )
    )
    groups: dict[uuid.UUID, list[AgendaGroup]] = {}
    if items:
        for g in s.scalars(
            select(AgendaGroup).where(AgendaGroup.agenda_item_id.in_([i.id for i in items]))
        ):
            groups.setdefault(g.agenda_item_id, []).append(g)
    rows = s.execute(
        select(Participant, WorkshopParticipant)
        .join(WorkshopParticipant, WorkshopParticipant.participant_id == Participant.id)
        .where(WorkshopParticipant.workshop_id == w.id)
        .order_by(WorkshopParticipant.position, Participant.name)
    ).all()
    return WorkshopPlan(
        id=w.id,
        title=w.title,
        facilitator=w.facilitator,
        team=w.team,
        started_at=w.started_at,
        utc_offset_min=w.utc_offset_min,
        location=w.location,
        notes=w.notes,
        status=w.status,
        current_item_id=w.current_item_id,
        agenda=tuple(_item_view(i, groups.get(i.id, [])) for i in items),
        participants=tuple(_participant_view(p, m) for p, m in rows),
    )


def load_plan(store: Store, workshop_id: uuid.UUID) -> WorkshopPlan:
    with store.read() as s:
        return load_plan_in(s, workshop_id)


def list_workshops(store: Store) -> list[WorkshopSummary]:
    with store.read() as s:
        members: dict[uuid.UUID, int] = {
            wid: n
            for wid, n in s.execute(
                select(WorkshopParticipant.workshop_id, func.count())
                .where(WorkshopParticipant.deleted_at.is_(None))
                .group_by(WorkshopParticipant.workshop_id)
            )
        }
        contribs: dict[uuid.UUID, int] = {
            wid: n
            for wid, n in s.execute(
                select(Contribution.workshop_id, func.count())
                .where(Contribution.deleted_at.is_(None))
                .group_by(Contribution.workshop_id)
            )
        }
        return [
            WorkshopSummary(
                id=w.id,
                title=w.title,
                facilitator=w.facilitator,
                team=w.team,
                started_at=w.started_at,
                status=w.status,
                participants=members.get(w.id, 0),
                contributions=contribs.get(w.id, 0),
            )
            for w in s.scalars(select(Workshop).order_by(Workshop.started_at.desc()))
        ]


# ---------------------------------------------------------------- workshops


def _local_offset_min(at: datetime) -> int:
    off = at.utcoffset()
    if off is None:
        off = at.astimezone().utcoffset() or timedelta(0)
    return int(off.total_seconds() // 60)


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise RippleError("A workshop needs a title.")
    return title[:200]


def create_workshop(
    store: Store,
    title: str,
    *,
    facilitator: str = "",
    team: str = "",
    started_at: datetime | None = None,
    location: str = "",
    notes: str = "",
) -> uuid.UUID:
    start = started_at or utcnow().astimezone()
    if start.tzinfo is None:
        start = start.astimezone()
    with store.write() as s:
        w = Workshop(
            title=_clean_title(title),
            facilitator=facilitator.strip(),
            team=team.strip(),
            started_at=start,
            utc_offset_min=_local_offset_min(start),
            location=location.strip(),
            notes=notes,
        )
        s.add(w)
        s.flush()
        return w.id


WORKSHOP_FIELDS = ("title", "facilitator", "team", "started_at", "location", "notes", "status")


def update_workshop(store: Store, workshop_id: uuid.UUID, **changes: Any) -> None:
    unknown = set(changes) - set(WORKSHOP_FIELDS)
    if unknown:
        raise RippleError(f"A workshop has no field {sorted(unknown)[0]!r}.")
    with store.write() as s:
        w = _get(s, Workshop, workshop_id, "workshop")
        for key, value in changes.items():
            if key == "title":
                value = _clean_title(value)
            if key == "started_at":
                if value.tzinfo is None:
                    value = value.astimezone()
                w.utc_offset_min = _local_offset_min(value)
            if getattr(w, key) != value:
                setattr(w, key, value)


def duplicate_workshop(
    store: Store,
    workshop_id: uuid.UUID,
    *,
    title: str | None = None,
    started_at: datetime | None = None,
    with_participants: bool = True,
) -> uuid.UUID:
    """A fresh copy of the plan (agenda, groups, roster) with nothing logged yet."""
    with store.write() as s:
        src = _get(s, Workshop, workshop_id, "workshop")
        start = started_at or max(utcnow(), src.started_at + timedelta(days=7))
        new = Workshop(
            title=_clean_title(title or f"{src.title} (copy)"),
            facilitator=src.facilitator,
            team=src.team,
            started_at=start,
            utc_offset_min=src.utc_offset_min,
            location=src.location,
            notes=src.notes,
        )
        s.add(new)
        s.flush()
        items = s.scalars(select(AgendaItem).where(AgendaItem.workshop_id == src.id))
        for item in items:
            copy = AgendaItem(
                workshop_id=new.id,
                position=item.position,
                kind=item.kind,
                title=item.title,
                instructions=item.instructions,
                minutes=item.minutes,
            )
            s.add(copy)
            s.flush()
            for g in s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id == item.id)):
                s.add(
                    AgendaGroup(
                        agenda_item_id=copy.id,
                        position=g.position,
                        name=g.name,
                        members=list(g.members or []) if with_participants else [],
                    )
                )
        if with_participants:
            for m in s.scalars(
                select(WorkshopParticipant).where(WorkshopParticipant.workshop_id == src.id)
            ):
                s.add(
                    WorkshopParticipant(
                        id=membership_id(new.id, m.participant_id),
                        workshop_id=new.id,
                        participant_id=m.participant_id,
                        position=m.position,
                        hotkey=m.hotkey,
                    )
                )
        return new.id


def delete_workshop(store: Store, workshop_id: uuid.UUID) -> None:
    """Tombstone the workshop and everything in it; the tombstones travel with sync."""
    from db.models import Clip, Reaction

    with store.write() as s:
        w = _get(s, Workshop, workshop_id, "workshop")
        now = utcnow()
        w.deleted_at = now
        item_ids = list(s.scalars(select(AgendaItem.id).where(AgendaItem.workshop_id == w.id)))
        children: tuple[Any, ...] = (WorkshopParticipant, AgendaItem, Contribution, Clip, Reaction)
        for model in children:
            for row in s.scalars(select(model).where(model.workshop_id == w.id)):
                row.deleted_at = now
        if item_ids:
            for g in s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id.in_(item_ids))):
                g.deleted_at = now


# ---------------------------------------------------------------- agenda


def _check_kind(kind: str) -> str:
    if kind not in AGENDA_KINDS:
        raise RippleError(
            f"“{kind}” is not an agenda item kind; use one of {', '.join(AGENDA_KINDS)}."
        )
    return kind


def _check_minutes(minutes: float) -> float:
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise RippleError(f"Planned minutes must be a number, not “{minutes}”.") from None
    if not 0 <= value <= 24 * 60:
        raise RippleError("Planned minutes must be between 0 and 1440.")
    return value


def add_agenda_item(
    store: Store,
    workshop_id: uuid.UUID,
    kind: str,
    title: str,
    *,
    instructions: str = "",
    minutes: float = 10,
    position: int | None = None,
) -> uuid.UUID:
    with store.write() as s:
        _get(s, Workshop, workshop_id, "workshop")
        items = list(
            s.scalars(
                select(AgendaItem)
                .where(AgendaItem.workshop_id == workshop_id)
                .order_by(AgendaItem.position)
            )
        )
        item = AgendaItem(
            workshop_id=workshop_id,
            kind=_check_kind(kind),
            title=(title or kind.replace("_", " ").capitalize()).strip()[:200],
            instructions=instructions,
            minutes=_check_minutes(minutes),
        )
        pos = len(items) if position is None else max(0, min(position, len(items)))
        items.insert(pos, item)
        s.add(item)
        _renumber(items)
        s.flush()
        return item.id


def _renumber(items: Sequence[AgendaItem]) -> None:
    for i, it in enumerate(items):
        if it.position != i:
            it.position = i


AGENDA_FIELDS = ("kind", "title", "instructions", "minutes")


def update_agenda_item(store: Store, item_id: uuid.UUID, **changes: Any) -> None:
    unknown = set(changes) - set(AGENDA_FIELDS)
    if unknown:
        raise RippleError(f"An agenda item has no field {sorted(unknown)[0]!r}.")
    with store.write() as s:
        item = _get(s, AgendaItem, item_id, "agenda item")
        for key, value in changes.items():
            if key == "kind":
                value = _check_kind(value)
            elif key == "minutes":
                value = _check_minutes(value)
            elif key == "title":
                value = (value or "").strip()[:200] or item.title
            if getattr(item, key) != value:
                setattr(item, key, value)


def move_agenda_item(store: Store, item_id: uuid.UUID, new_position: int) -> None:
    with store.write() as s:
        item = _get(s, AgendaItem, item_id, "agenda item")
        items = [
            i
            for i in s.scalars(
                select(AgendaItem)
                .where(AgendaItem.workshop_id == item.workshop_id)
                .order_by(AgendaItem.position)
            )
            if i.id != item.id
        ]
        items.insert(max(0, min(new_position, len(items))), item)
        _renumber(items)


def delete_agenda_item(store: Store, item_id: uuid.UUID) -> None:
    with store.write() as s:
        item = _get(s, AgendaItem, item_id, "agenda item")
        item.deleted_at = utcnow()
        for g in s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id == item.id)):
            g.deleted_at = item.deleted_at
        w = s.get(Workshop, item.workshop_id)
        if w is not None and w.current_item_id == item.id:
            w.current_item_id = None
        rest = list(
            s.scalars(
                select(AgendaItem)
                .where(AgendaItem.workshop_id == item.workshop_id, AgendaItem.id != item.id)
                .order_by(AgendaItem.position)
            )
        )
        _renumber(rest)


# ---------------------------------------------------------------- participants


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


def _join(s: Session, workshop_id: uuid.UUID, person: Participant) -> WorkshopParticipant:
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
        _get(s, Workshop, workshop_id, "workshop")
        person = upsert_participant_in(s, name=name, email=email, team=team, consent=consent)
        s.flush()
        _join(s, workshop_id, person)
        return person.id


PARTICIPANT_FIELDS = ("name", "email", "team")


def update_participant(store: Store, participant_id: uuid.UUID, **changes: Any) -> None:
    unknown = set(changes) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise RippleError(f"A participant has no field {sorted(unknown)[0]!r}.")
    with store.write() as s:
        p = _get(s, Participant, participant_id, "participant")
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
        p = _get(s, Participant, participant_id, "participant")
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


# ---------------------------------------------------------------- groups


def balanced_groups(
    participant_ids: Sequence[uuid.UUID],
    *,
    count: int | None = None,
    size: int | None = None,
    seed: int | None = None,
) -> list[list[uuid.UUID]]:
    """Random groups whose sizes differ by at most one."""
    people = list(participant_ids)
    if not people:
        return []
    if count is None:
        if not size or size < 1:
            raise RippleError("Give a number of groups or a group size.")
        count = max(1, round(len(people) / size))
    if count < 1:
        raise RippleError("There must be at least one group.")
    count = min(count, len(people))
    random.Random(seed).shuffle(people)
    return [people[i::count] for i in range(count)]


def set_groups(
    store: Store,
    item_id: uuid.UUID,
    groups: Iterable[Sequence[uuid.UUID]],
    names: Sequence[str] | None = None,
) -> None:
    """Replace an agenda item's groups (manual or from :func:`balanced_groups`)."""
    chosen = [list(g) for g in groups if g]
    seen: set[uuid.UUID] = set()
    for members in chosen:
        for pid in members:
            if pid in seen:
                raise RippleError("A participant can be in only one group per agenda item.")
            seen.add(pid)
    with store.write() as s:
        _get(s, AgendaItem, item_id, "agenda item")
        now = utcnow()
        existing = list(
            s.scalars(
                select(AgendaGroup)
                .where(AgendaGroup.agenda_item_id == item_id)
                .order_by(AgendaGroup.position)
            )
        )
        for i, members in enumerate(chosen):
            name = names[i] if names and i < len(names) else f"Group {i + 1}"
            text_members = [str(m) for m in members]
            if i < len(existing):
                group = existing[i]
                if group.members != text_members:
                    group.members = text_members
                if group.name != name:
                    group.name = name
            else:
                s.add(AgendaGroup(agenda_item_id=item_id, position=i, name=name, members=text_members))
        for stale in existing[len(chosen):]:
            stale.deleted_at = now
