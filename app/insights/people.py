"""Who may be shown how: names only with analytics consent, never once erased.

Privacy: tombstoned rows never count; erased participants keep their anonymous counts but are
never named; only participants who consented to analytics get a name, a rank or evidence —
everyone else appears as "another participant" (see :class:`Person`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from app.errors import RippleError
from db.queries import people as people_queries
from db.queries.columns import Canon
from db.store import Store

ANONYMOUS = "another participant"
ERASED = "Erased participant"


@dataclass(frozen=True)
class Person:
    """How a participant may be shown: ``label`` is their name only if they consented to
    analytics (ranking, evidence, network, exports); ``roster`` is the name the trainer sees
    on the roster anyway (timeline lanes, equity), hidden only once they are erased."""

    id: uuid.UUID
    label: str
    name: str  # "" unless named
    email: str | None
    team: str
    consent: bool
    erased: bool
    roster: str = ""
    deleted: bool = False  # the participant row is tombstoned
    known: bool = True  # False: no participant row (yet) for this id

    @property
    def named(self) -> bool:
        return self.consent and not self.erased


def load_people(store: Store, ids: Iterable[str] | None = None) -> dict[str, Person]:
    """Everyone (or the given ids), including tombstoned people, labelled for display."""
    canon = Canon()
    wanted = set(ids) if ids is not None else None
    out: dict[str, Person] = {}
    with store.read() as s:
        rows = people_queries.participants(s, wanted)
    for raw, name, email, team, consent_raw, erased_at, deleted_at in rows:
        pid = canon(raw)
        if wanted is not None and pid not in wanted:
            continue
        erased = erased_at is not None or deleted_at is not None
        consent = bool(consent_raw)
        named = consent and not erased
        out[pid] = Person(
            id=uuid.UUID(pid),
            label=name if named else (ERASED if erased else ANONYMOUS),
            name=name if named else "",
            email=email if named else None,
            team=team or "",
            consent=consent,
            erased=erased,
            roster=ERASED if erased else name,
            deleted=deleted_at is not None,
        )
    for pid in wanted or ():
        if pid not in out:  # a contribution whose person row never arrived (sync in flight)
            out[pid] = anonymous(pid)
    return out


def anonymous(pid: str) -> Person:
    """Someone the store has no participant row for (yet): counted, never named."""
    return Person(uuid.UUID(pid), ANONYMOUS, "", None, "", False, False, ANONYMOUS, known=False)


def teams(store: Store) -> list[str]:
    """Participants' teams known to the store (for the export filter)."""
    with store.read() as s:
        return people_queries.teams(s)


def resolve_team(store: Store, text: str) -> str:
    """The team as spelled in the store (case-insensitive), or a one-sentence refusal."""
    known = teams(store)
    wanted = text.strip().casefold()
    for t in known:
        if t.casefold() == wanted:
            return t
    hint = f" Known teams: {', '.join(known)}." if known else " No participant has a team yet."
    raise RippleError(f"There is no team “{text.strip()}” in this store.{hint}")
