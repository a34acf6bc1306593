"""Ids in planning: the stable ids of people and memberships, and ids as people type them.

People and memberships get name-based (uuid5) ids so that two laptops that add the same person
(by e-mail) to the same workshop produce the same rows, which sync merges instead of doubling.
Such an id says nothing an e-mail in the same row does not say while the person is here; an
erasure moves what stays of them to a random id (app/erasure.py), so nothing anonymous stays
on an id the e-mail gives, and rostering that e-mail again makes a new person
(app.planning.participants.upsert_participant_in).
Ids a person types (CLI) may be unique prefixes, as people copy them from `workshop list`;
everything else names a row by its full id and gets :class:`NotFound` with a sentence when
that row is gone.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from db.models import Participant, Workshop
from db.store import Store

PEOPLE_NS = uuid.UUID("6c1f7a52-6a0e-4d7b-9d0c-2f3b1c9e8a41")


def person_id_for_email(email: str) -> uuid.UUID:
    return uuid.uuid5(PEOPLE_NS, "email:" + email.strip().lower())


#: What an e-mail's erasure fingerprint is prefixed with (a new version of the scheme gets a new
#: prefix, so old and new fingerprints never collide).
_ERASED_EMAIL_PREFIX = "ripple-erased-email:v1:"


def erased_email_hash(email: str) -> str:
    """The fingerprint an erased person's tombstone keeps of their e-mail
    (``participants.erased_email_hash``): the same human may exist under another id (a walk-in
    given an e-mail later, two laptops' rosters before they ever merged, an old portable
    file), and this is how such a copy is recognised as erased instead of revived.

    A one-way SHA-256, not keyed: a key would have to live in the same store (every laptop
    must compute the same fingerprint to compare), and whoever holds the store would hold the
    key too, so a key protects nothing more. The fingerprint cannot be turned back into the
    address, but someone holding the store who already knows an address can check whether it
    was erased (docs/privacy.md)."""
    normal = email.strip().lower()
    return hashlib.sha256((_ERASED_EMAIL_PREFIX + normal).encode("utf-8")).hexdigest()


def membership_id(workshop_id: uuid.UUID, participant_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(PEOPLE_NS, f"member:{workshop_id}:{participant_id}")


_GROUPS_NS = uuid.UUID("0f6a3d1e-5c2b-4e8f-9d7a-2b1c3e4f5a60")


def group_id(agenda_item_id: uuid.UUID, position: int) -> uuid.UUID:
    """A group's id: its agenda item and its place, the same on every laptop, so groups
    planned on two laptops or imported from a file merge instead of doubling."""
    return uuid.uuid5(_GROUPS_NS, f"{agenda_item_id}:{position}")


def parse_uuid(text: str | uuid.UUID, what: str = "id") -> uuid.UUID:
    if isinstance(text, uuid.UUID):
        return text
    try:
        return uuid.UUID(text.strip())
    except (ValueError, AttributeError):
        raise NotFound(f"“{text}” is not a valid {what}.") from None


def existing_row(session: Session, model: Any, ident: uuid.UUID, what: str) -> Any:
    """The live row of ``model`` with this id, or :class:`NotFound` naming ``what``."""
    row = session.get(model, ident)
    if row is None:
        raise NotFound(f"There is no {what} with id {ident}.")
    return row


def check_fields(changes: dict[str, Any], fields: tuple[str, ...], what: str) -> None:
    """Refuse, in one sentence naming the first unknown field, an edit of a ``what`` (such as
    "workshop") that names a field outside ``fields``."""
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        article = "An" if what[:1] in tuple("aeiou") else "A"
        raise RippleError(f"{article} {what} has no field {unknown[0]!r}.")


def set_changed(row: Any, values: dict[str, Any]) -> None:
    """Set only the fields whose value differs, so an unchanged field keeps its version."""
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


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
