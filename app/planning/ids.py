"""Ids in planning: the stable ids of people and memberships, and ids as people type them.

People and memberships get derived ids so that two laptops that add the same person (by
e-mail) to the same workshop produce the same rows, which sync merges instead of doubling. A
person's id is a keyed hash (HMAC) of the e-mail with the store's ``person_ids`` secret, which
travels through sync (:class:`db.models.StoreSecret`): without the store, an id says nothing
about an e-mail. An erasure writes a new secret, so the erased id is no longer derivable from
the e-mail, and rostering that e-mail again makes a new person (with no consent).
Ids a person types (CLI) may be unique prefixes, as people copy them from `workshop list`;
everything else names a row by its full id and gets :class:`NotFound` with a sentence when
that row is gone.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from db.models import Participant, StoreSecret, Workshop
from db.store import Store

PEOPLE_NS = uuid.UUID("6c1f7a52-6a0e-4d7b-9d0c-2f3b1c9e8a41")
_SECRETS_NS = uuid.UUID("b7c0f3a4-31d2-4e55-8f0e-6a9d2c41e7b3")
PERSON_KEY = "person_ids"


def secret_id(name: str) -> uuid.UUID:
    """A store secret's row id: derived from its name, so every store has the same row."""
    return uuid.uuid5(_SECRETS_NS, name)


def person_key(s: Session) -> bytes:
    """The key of person ids, made (in the caller's write session) the first time it is needed."""
    row = s.get(StoreSecret, secret_id(PERSON_KEY), execution_options={"include_deleted": True})
    if row is None:
        row = StoreSecret(id=secret_id(PERSON_KEY), name=PERSON_KEY, value=secrets.token_hex(32))
        s.add(row)
        s.flush()
    return bytes.fromhex(row.value)


def rotate_person_key(s: Session) -> None:
    """A new key of person ids (after an erasure): ids made with the old one can no longer be
    derived from e-mails once every store has the new one (last writer wins in sync)."""
    row = s.get(StoreSecret, secret_id(PERSON_KEY), execution_options={"include_deleted": True})
    if row is None:
        s.add(StoreSecret(id=secret_id(PERSON_KEY), name=PERSON_KEY, value=secrets.token_hex(32)))
    else:
        row.value = secrets.token_hex(32)
        row.deleted_at = None


def person_id_for_email(s: Session, email: str) -> uuid.UUID:
    """The id a person with this e-mail gets: a keyed hash of the address, unless that id
    is an erased person's (a laptop that has not yet heard of the new key), then a random one:
    an erased person is never joined again."""
    digest = hmac.new(person_key(s), ("email:" + email.strip().lower()).encode(), hashlib.sha256).digest()
    pid = uuid.UUID(bytes=digest[:16], version=5)
    row = s.get(Participant, pid, execution_options={"include_deleted": True})
    if row is not None and row.erased_at is not None:
        return uuid.uuid4()
    return pid


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
