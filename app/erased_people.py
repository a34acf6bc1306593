"""Someone erased elsewhere who is still here under another id: erased here too, after a sync.

A person's id is derived from their e-mail (app/planning/ids.py), but the same human can be
here under another id: a walk-in added by name and given an e-mail later (a random id), a
laptop that rostered them before it ever synced with the one that erased them, a person
rostered again after an earlier erasure. The erasure's tombstone says nothing of the e-mail
but its fingerprint (``participants.erased_email_hash``); after each sync every participant
here with an e-mail whose fingerprint a tombstone keeps, and who was created no later than
that erasure, is erased with the full erasure (:func:`app.erasure.erase_participant`), and the
sync sends that at once. Someone created after the erasure is a person rostered again (a new
consent, app/planning/participants.py) and stays.

Why after a sync, and not in the sync's merge: the merge meets rows one by one, in batches,
and the two copies of the person are different rows; the erasure is a whole transaction of
the app (clips, mentions, the anonymous id) that db.sync does not know. Why ``created_at``:
it is the earliest creation any store saw of that row (a merge keeps the earliest), so a copy
rostered before the erasure on any laptop counts as before.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from app.clips.library import ClipLibrary
from app.erasure import erase_participant
from app.planning.ids import erased_email_hash
from db.models import Participant
from db.store import Store


def erased_fingerprints(store: Store) -> dict[str, datetime]:
    """Each e-mail fingerprint an erased tombstone keeps, with its latest erasure."""
    p = Participant.__table__
    out: dict[str, datetime] = {}
    with store.read() as s:
        for fingerprint, erased_at in s.connection().execute(
            select(p.c.erased_email_hash, p.c.erased_at)
            .where(p.c.erased_email_hash.isnot(None), p.c.erased_at.isnot(None))
        ):
            if fingerprint not in out or erased_at > out[fingerprint]:
                out[fingerprint] = erased_at
    return out


def still_here(store: Store) -> list[uuid.UUID]:
    """The participants (deleted ones too: their row still holds the name and e-mail) who are
    someone erased since they were created, under another id; in id order."""
    return [pid for pid, _erased_at in _still_here(store)]


def _still_here(store: Store) -> list[tuple[uuid.UUID, datetime]]:
    """:func:`still_here`, each with the erasure that reaches them.

    Every sync asks, so the scan is lean: the addresses alone (plain text, no ids or instants
    to convert) of rows created before the latest erasure, hashed here; only the few that
    match are read whole."""
    fingerprints = erased_fingerprints(store)
    if not fingerprints:
        return []
    p = Participant.__table__
    candidates = (p.c.erased_at.is_(None), p.c.email.isnot(None), p.c.email != "")
    found: list[tuple[uuid.UUID, datetime]] = []
    with store.read() as s:
        conn = s.connection()
        emails = conn.execute(select(p.c.email).distinct()
                              .where(*candidates, p.c.created_at <= max(fingerprints.values()))).scalars()
        matched = sorted({e for e in emails if erased_email_hash(e) in fingerprints})
        for i in range(0, len(matched), 500):
            for pid, email, created_at in conn.execute(
                select(p.c.id, p.c.email, p.c.created_at).where(*candidates, p.c.email.in_(matched[i : i + 500]))
            ):
                erased_at = fingerprints[erased_email_hash(email)]
                if created_at <= erased_at:
                    found.append((pid, erased_at))
    return sorted(found)


def erase_still_here(store: Store, library: ClipLibrary | None) -> int:
    """Erase everyone :func:`still_here` finds (each in the erasure's own transaction), as of
    the erasure that reaches them (so their tombstone keeps its time, and free text written
    since, by someone rostered again, stays); returns how many."""
    people = _still_here(store)
    for pid, erased_at in people:
        erase_participant(store, pid, library, as_of=erased_at)
    return len(people)
