"""A portable file's people, decided before the write lock and written in short chunks.

Why not person by person in the ORM (as :func:`app.planning.participants.record_consent_in`
does for a form): each person's consent history was read, decided and recomputed inside the
write lock, 45–90 ms per person on a loaded laptop, and a live tap waited behind it.
Instead everything a person's decision rests on (their row by id and by e-mail, their
consent events, their membership of the workshop) is read for every person of the file in a
few bulk queries *before* the lock, each person's rows are decided from that, and the rows
then go in in chunks sized to a time budget. Under the lock each chunk reads the same state
again for its own people only (the same bulk queries, a few milliseconds) and, where it is no
longer what the decision was made on (someone edited, erased or synced one of them
meanwhile), decides again from what the store holds now, so an edit made between the read
and the write is never overwritten.

The rules are those of the ORM path, kept here as one pure function (:func:`decide`): the
same e-mail is the same person, an erased person is never brought back (known by id, or by
the fingerprint their tombstone keeps of their e-mail when the file, written before the
erasure, has them under another id), a row this store has
is never changed (its differing fields are noted as kept), and consent from a file becomes
events with ids derived from the facts, which may grant consent to someone never asked here,
or withdraw it, but never undo a withdrawal (db/consent.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select

from app.limits import checked
from app.planning.ids import erased_email_hash, membership_id
from db.bulk import Tables, insert_rows, prepare_rows, ready_rows
from db.chunks import BULK_BUDGET_S, ChunkSizer
from db.consent import Event, events_of, stable_event_id, summarise
from db.consent import decide as decide_scope
from db.consent import recompute as recompute_consent
from db.merge import OLDEST
from db.models import ConsentEvent, Participant, Workshop, WorkshopParticipant
from db.store import LockHold, Store

#: People per chunk (each holds the lock within db.chunks.BULK_BUDGET_S, its commit included).
CHUNK_FIRST, CHUNK_MIN, CHUNK_MAX = 20, 5, 500
_IN = 500  # ids per IN (…) query

#: Called between the read before the lock and the first chunk (tests make a concurrent
#: edit there, without timing).
BEFORE_WRITE: list[Callable[[], None]] = []


class Tombstone(NamedTuple):
    """An erased person's tombstone, found by the fingerprint of an e-mail."""

    id: uuid.UUID
    erased_at: datetime


class PersonRow(NamedTuple):
    """What a decision needs of a person's row."""

    id: uuid.UUID
    name: str
    email: str | None
    team: str
    deleted: bool
    erased: bool


@dataclass
class State:
    """What the store holds about some people: everything their decisions rest on."""

    started_at: datetime | None = None  # the workshop's, for consent a file gives no time
    rows: dict[uuid.UUID, PersonRow] = field(default_factory=dict)
    by_email: dict[str, uuid.UUID] = field(default_factory=dict)
    events: dict[uuid.UUID, list[Event]] = field(default_factory=dict)  # live events
    event_ids: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)  # every one, tombstones too
    members: dict[uuid.UUID, bool] = field(default_factory=dict)  # membership id -> deleted
    #: the file's e-mails (normalised) whose fingerprint an erased tombstone here keeps: the latest
    erased: dict[str, Tombstone] = field(default_factory=dict)
    exported_at: datetime | None = None  # the file's (None: it does not say)

    def erased_since_export(self, p: dict[str, Any]) -> Tombstone | None:
        """The tombstone of this file person's e-mail, when the erasure came after the writing
        store had them: by the person's ``created_at`` where the file gives it (a laptop that
        never heard of the erasure writes a file after it, with the person it had before:
        still erased), else by when the file was written (a file that says neither counts as
        older: an import errs towards leaving someone out, never towards reviving them).
        Someone created after the erasure is a person rostered again: a new person."""
        tomb = self.erased.get(_email(p))
        if tomb is None:
            return None
        known = [t for t in (p.get("created_at"), self.exported_at) if t is not None]
        since = min(known, default=None)  # no one in a file was created after it was written
        return None if since is not None and since > tomb.erased_at else tomb

    def basis(self, p: dict[str, Any], workshop_id: uuid.UUID) -> tuple[Any, ...]:
        """The part of the state one file person's decision rests on: if it is the same
        under the lock as when the decision was made, so is the decision."""
        email = _email(p)
        ids = [p["id"]] + ([self.by_email[email]] if email in self.by_email else [])
        tomb = self.erased.get(email)
        ids += [tomb.id] if tomb is not None else []
        return (self.started_at, tomb, *((self.rows.get(i), tuple(sorted(self.events.get(i, ()), key=_event_key)),
                                    frozenset(self.event_ids.get(i, ())),
                                    self.members.get(membership_id(workshop_id, i))) for i in ids))


def _event_key(e: Event) -> str:
    return str(e.id)


def _email(p: dict[str, Any]) -> str:
    return (p["email"] or "").strip().lower()


def erased_by_email(conn: Connection, emails: Iterable[str]) -> dict[str, Tombstone]:
    """For each normalised e-mail whose fingerprint an erased tombstone keeps, the tombstone
    erased last (the same address erased, rostered again and erased again has two)."""
    p = Participant.__table__
    by_hash = {erased_email_hash(e): e for e in emails if e}
    out: dict[str, Tombstone] = {}
    for chunk in _chunks(sorted(by_hash)):
        for pid, fingerprint, erased_at in conn.execute(
            select(p.c.id, p.c.erased_email_hash, p.c.erased_at)
            .where(p.c.erased_email_hash.in_(chunk), p.c.erased_at.isnot(None))
        ):
            email = by_hash[fingerprint]
            if email not in out or (erased_at, pid) > (out[email].erased_at, out[email].id):
                out[email] = Tombstone(pid, erased_at)
    return out


def erased_file_people(conn: Connection, people: list[dict[str, Any]], exported_at: datetime | None) -> set[uuid.UUID]:
    """The ids of the file people who are an erased person here under another id (by their
    e-mail's fingerprint, erased after the file was written): to be left out like a file
    person whose id is erased (their round recordings, app/portable/roleplay.py)."""
    state = State(erased=erased_by_email(conn, {_email(x) for x in people}), exported_at=exported_at)
    return {x["id"] for x in people if state.erased_since_export(x) is not None}


def read_state(conn: Connection, workshop_id: uuid.UUID, people: list[dict[str, Any]],
               exported_at: datetime | None = None) -> State:
    """The state of these file people's rows, in a few bulk queries."""
    p, e, m = Participant.__table__, ConsentEvent.__table__, WorkshopParticipant.__table__
    w = Workshop.__table__
    state = State(started_at=conn.execute(select(w.c.started_at).where(w.c.id == workshop_id)).scalar(),
                  exported_at=exported_at)
    emails = sorted({_email(x) for x in people} - {""})
    cols = (p.c.id, p.c.name, p.c.email, p.c.team, p.c.deleted_at, p.c.erased_at)

    def add(rows: Iterable[Any]) -> None:
        for pid, name, email, team, deleted_at, erased_at in rows:
            state.rows[pid] = PersonRow(pid, name, email, team, deleted_at is not None, erased_at is not None)
            if email:  # as find_participant_by_email: the first row with the e-mail in any case
                state.by_email.setdefault(email.lower(), pid)

    for chunk in _chunks(emails):
        add(conn.execute(select(*cols).where(func.lower(p.c.email).in_(chunk))))
    state.erased = erased_by_email(conn, emails)
    wanted = {x["id"] for x in people} | {t.id for t in state.erased.values()}
    for chunk in _chunks(sorted(wanted - set(state.rows))):
        add(conn.execute(select(*cols).where(p.c.id.in_(chunk))))
    state.by_email = {k: v for k, v in state.by_email.items() if k in emails}
    pids = sorted(state.rows)
    state.events = events_of(conn, pids)
    state.event_ids = {pid: set() for pid in pids}
    for chunk in _chunks(pids):
        for eid, pid in conn.execute(select(e.c.id, e.c.participant_id).where(e.c.participant_id.in_(chunk))):
            state.event_ids[pid].add(eid)
    mids = [membership_id(workshop_id, pid) for pid in pids]
    for chunk in _chunks(sorted(mids)):
        for mid, deleted_at in conn.execute(select(m.c.id, m.c.deleted_at).where(m.c.id.in_(chunk))):
            state.members[mid] = deleted_at is not None
    return state


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(ids), _IN):
        yield ids[i : i + _IN]


# ---------------------------------------------------------------- deciding


@dataclass
class Plan:
    """What importing one file person writes, and what the result says about it."""

    local_id: uuid.UUID
    duplicate: bool = False  # a person of the file already written under this id
    person: dict[str, Any] | None = None  # a new row
    events: list[dict[str, Any]] = field(default_factory=list)
    member: dict[str, Any] | None = None
    recompute: bool = False  # an existing person's consent columns to derive again
    created: int = 0
    kept: list[tuple[str, str]] = field(default_factory=list)
    deleted_here: list[str] = field(default_factory=list)
    erased: bool = False  # left out: erased here


def differs(current: Any, value: Any) -> bool:
    """The same instant in another zone is not a difference."""
    if isinstance(value, datetime) and isinstance(current, datetime):
        return value.astimezone(UTC) != current.astimezone(UTC)
    return bool(current != value)


def decide(state: State, p: dict[str, Any], position: int, workshop_id: uuid.UUID,
           done: set[uuid.UUID]) -> Plan:
    """What one file person (at ``position`` on the file's roster) writes, given the state
    of the store (and of this import's people before them, :func:`simulate`) and the local
    ids written so far (``done``)."""
    pid, email = p["id"], _email(p)
    own = state.rows.get(pid)
    tomb = state.erased_since_export(p)
    if tomb is not None and not (own is not None and own.erased):
        # Erased here after the file was written, under another id (a walk-in given an
        # e-mail later, another laptop's roster): onto the tombstone, as if the id were erased.
        pid = tomb.id
    elif pid not in state.rows and email in state.by_email:
        pid = state.by_email[email]  # the same e-mail already known under another id
    if pid in done:
        # Two people of the file share an e-mail: the first one written speaks for both, so
        # importing the file again finds nothing new (not the second one's consent).
        return Plan(pid, duplicate=True)
    plan = Plan(pid)
    row = state.rows.get(pid)
    if row is not None and row.erased:
        plan.erased = True
        return plan  # an erased person is never brought back by an old file
    if row is None:
        plan.person = {"id": pid, "hlc": OLDEST, "name": p["name"], "email": p["email"], "team": p["team"],
                       "extra": p["extra"]}
        if p.get("created_at") is not None:
            # When the writing store first had them, as a sync keeps the earliest creation:
            # an erasure made here later still reaches them (app/erased_people.py).
            plan.person["created_at"] = p["created_at"]
        plan.created = 1
    elif row.deleted:
        plan.deleted_here.append("participants")
    else:
        plan.kept = [("participant's", key) for key in ("name", "email", "team")
                     if differs(getattr(row, key), p[key])]
    c = p["consent"]
    if c["at"] is not None or c["video"] or c["community"] or c["analytics"]:
        at = c["at"] or state.started_at
        if at is None:
            raise RuntimeError("A workshop's row is written before its people.")
        events = state.events.get(pid, [])
        known = state.event_ids.get(pid, set())
        by = checked("consent_events", "by", c["by"].strip())
        for scope in ("video", "community", "analytics"):
            value = bool(c[scope])
            if decide_scope(events, scope).granted == value:
                continue
            eid = stable_event_id(pid, scope, value, at, "file")
            if eid not in known:
                # Seen: none. A file is not the person asked now: it never re-grants a withdrawal.
                plan.events.append({"id": eid, "participant_id": pid, "scope": scope, "granted": value, "at": at,
                                    "by": by, "seen": []})
        plan.recompute = plan.person is None and bool(plan.events)
    if plan.person is not None:  # the columns its events decide (no history yet)
        decided = summarise(_as_events(plan.events))
        plan.person |= {"consent_video": decided.video, "consent_community": decided.community,
                        "consent_analytics": decided.analytics, "consent_at": decided.at,
                        "consent_by": decided.by}
    mid = membership_id(workshop_id, pid)
    if mid not in state.members:
        plan.member = {"id": mid, "workshop_id": workshop_id, "participant_id": pid, "position": position,
                       "hlc": OLDEST}
    elif state.members[mid]:
        plan.deleted_here.append("roster entries")
    return plan


def _as_events(rows: list[dict[str, Any]]) -> list[Event]:
    return [Event(r["id"], r["scope"], r["granted"], r["at"], r["by"]) for r in rows]


def simulate(state: State, plan: Plan) -> None:
    """Make ``state`` what the store holds once ``plan`` is written (so the people after it
    are decided as the ORM path would decide them, one after the other)."""
    pid = plan.local_id
    if plan.person is not None:
        r = plan.person
        state.rows[pid] = PersonRow(pid, r["name"], r["email"], r["team"], False, False)
        if r["email"]:
            state.by_email.setdefault(r["email"].strip().lower(), pid)
    if plan.events:
        state.events.setdefault(pid, []).extend(_as_events(plan.events))
        state.event_ids.setdefault(pid, set()).update(r["id"] for r in plan.events)
    if plan.member is not None:
        state.members[plan.member["id"]] = False


# ---------------------------------------------------------------- writing


class Noted(NamedTuple):
    """What the people's import adds to the import's result."""

    created: int
    kept: list[tuple[str, str]]
    deleted_here: list[str]
    erased: int = 0  # file people left out: erased here


def write_people(
    store: Store, workshop_id: uuid.UUID, people: list[dict[str, Any]], note: Callable[[Noted], None],
    exported_at: datetime | None = None,
) -> dict[uuid.UUID, uuid.UUID]:
    """Write the file's people (the workshop is in the store already); returns file id →
    local id for people known here by e-mail. ``note`` is told what each committed chunk
    created, kept, left deleted and left out as erased (so a result never counts what a
    failure undid). ``exported_at``: when the file was written (whether an erasure came after).

    Each chunk is one short transaction, valid on its own and idempotent (ids are kept or
    derived from the facts): a failure between chunks leaves people that importing the
    same file again finds, and completes the rest."""
    with store.read() as s:
        state = read_state(s.connection(), workshop_id, people, exported_at)
    plans: list[Plan] = []
    bases: list[tuple[Any, ...]] = []
    done: set[uuid.UUID] = set()
    for i, p in enumerate(people):
        bases.append(state.basis(p, workshop_id))
        plan = decide(state, p, i, workshop_id, done)
        _account(plan, done)
        simulate(state, plan)
        plans.append(plan)
        _prepare(store, plan)
    for hook in BEFORE_WRITE:
        hook()
    remap: dict[uuid.UUID, uuid.UUID] = {}
    done.clear()
    stale = False  # once one decision was made again, every later one is made under the lock
    sizer, i = ChunkSizer(BULK_BUDGET_S, first=CHUNK_FIRST, least=CHUNK_MIN, most=CHUNK_MAX), 0
    while i < len(people):
        chunk = people[i : i + sizer.size]
        # The driver's values of the rows decided before the lock (a decision made again
        # under it is converted there).
        ready = ready_rows(store, _tables(plans[i : i + len(chunk)]))
        hold = LockHold()
        with store.bulk_write(hold) as conn:
            fresh = read_state(conn, workshop_id, chunk, exported_at)
            written: list[Plan] = []
            for n, p in enumerate(chunk, start=i):
                if stale or fresh.basis(p, workshop_id) != bases[n]:
                    # Someone changed this person since the read: decide from what is here now.
                    stale = True
                    plan = decide(fresh, p, n, workshop_id, done)
                    _prepare(store, plan)
                else:
                    plan = plans[n]
                _account(plan, done)
                simulate(fresh, plan)
                written.append(plan)
            insert_rows(store, conn, _tables(written), keep_versions=True, ready=ready)
            # The consent columns are what the events decide (no new version).
            recompute_consent(conn, [x.local_id for x in written if x.recompute])
        for n, plan in enumerate(written, start=i):
            if plan.local_id != people[n]["id"]:
                remap[people[n]["id"]] = plan.local_id
            note(Noted(plan.created, plan.kept, plan.deleted_here, int(plan.erased)))
        i += len(chunk)
        store.let_others_write(hold.seconds)
        sizer.done(len(chunk), hold.seconds)
    return remap


def _tables(plans: list[Plan]) -> Tables:
    """What ``plans`` write, parents first."""
    return [
        (Participant, [x.person for x in plans if x.person is not None]),
        (ConsentEvent, [e for x in plans for e in x.events]),
        (WorkshopParticipant, [x.member for x in plans if x.member is not None]),
    ]


def _account(plan: Plan, done: set[uuid.UUID]) -> None:
    if not plan.duplicate:
        done.add(plan.local_id)


def _prepare(store: Store, plan: Plan) -> None:
    prepare_rows(store, [(Participant, [plan.person] if plan.person else []), (ConsentEvent, plan.events),
                         (WorkshopParticipant, [plan.member] if plan.member else [])])
