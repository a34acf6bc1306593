"""The right to erasure: a participant's personal data and clips go, everywhere sync reaches.

What stays is anonymous: the participant row (renamed "Erased participant", no e-mail, no
team, no consent) so the workshop's counts do not change, their contributions (without
notes) and reactions pointing at it. Everything else that can hold something about them goes:

* their clips are tombstoned without thumbnail, title or kept fields, and the files are
  deleted here — with every other clip row that claims the same file (a crafted portable file
  can give someone else's clip the erased person's fingerprint); the erased clip rows are the
  tombstone that keeps the file from coming back through an import or a sync;
* fields kept from portable files (``extra``) on every row of theirs;
* their consent history (tombstoned, without who recorded it);
* a booth take of theirs still waiting in ``clips/incoming`` (a crash);
* their name and e-mail wherever someone typed them in free text (another person's note, an
  agenda item, a role play's comment, a kept field), replaced by "[erased]";
* what stays (their anonymous contributions, reactions, roster places, group places, role
  plays) moves to a new, random id: a person's id is derived from their e-mail (so laptops
  that roster the same e-mail before they ever synced merge into one person), and an id
  derivable from the e-mail would link the anonymous rows back to it. The old row stays as
  an erased tombstone that holds nothing, so rostering the e-mail again makes a new person
  with no consent (:func:`app.planning.participants.upsert_participant_in`). The tombstone
  keeps the fingerprint of the e-mail (:func:`app.planning.ids.erased_email_hash`), so the
  same human under another id is recognised: left out of an old file's import
  (app/portable/people.py), erased after a sync that brings a copy made before the erasure
  (app/erased_people.py);
* the freed space: SQLite overwrites deleted content (``secure_delete``) and its write-ahead
  log is emptied; the shared store is vacuumed after the sync that brings it the erasure.

The shared store and every other laptop do the same at their next sync (db.sync treats an
erased participant as beating any older edit, whatever the clocks say, and scrubs what an
out-of-date laptop sends, see :func:`db.sync.rows.scrub_erased`); what such a laptop logged for
the old id is deleted at the end of the pull that brings both together
(:mod:`db.sync.erased_leftovers`).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, and_, func, null, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Null

from app.clips.library import ClipLibrary, discard_incoming, sidecar_of
from app.errors import NotFound
from app.followup.commitments import erase_followup_in
from app.planning.ids import erased_email_hash, membership_id, parse_uuid
from app.planning.participants import find_participant_by_email
from app.roleplay.erasure import erase_role_plays
from app.text import plural
from db.merge import BOOKKEEPING
from db.models import (
    SYNCED_MODELS,
    Clip,
    ConsentEvent,
    Contribution,
    Participant,
    Reaction,
    WorkshopParticipant,
)
from db.store import Store
from db.sync.engine import ERASURE_TABLES
from db.sync.rows import ERASED_PARTICIPANT
from db.types import utcnow

#: What replaces an erased person's name or e-mail in someone else's free text.
REDACTED = "[erased]"
#: Names shorter than this are not searched for in free text (too many false hits).
_MIN_NAME = 3


@dataclass(frozen=True)
class ErasureResult:
    participant_id: uuid.UUID
    already_erased: bool
    clips_removed: int
    files_deleted: int
    contributions_kept: int
    mentions_removed: int = 0
    takes_discarded: int = 0

    def summary(self) -> str:
        if self.already_erased and not (self.clips_removed or self.files_deleted or self.takes_discarded):
            return f"Participant {self.participant_id} was already erased; nothing was left to remove."
        extra = ""
        if self.mentions_removed:
            extra += f" Their name or e-mail was removed from {plural(self.mentions_removed, 'other record')}."
        if self.takes_discarded:
            n = self.takes_discarded
            extra += f" {plural(n, 'unfinished recording')} of theirs {'was' if n == 1 else 'were'} deleted."
        return (
            f"Erased participant {self.participant_id}: personal data and "
            f"{plural(self.clips_removed, 'clip')} removed here ({plural(self.files_deleted, 'file')} deleted); "
            f"{plural(self.contributions_kept, 'contribution')} {'stays' if self.contributions_kept == 1 else 'stay'}, "
            f"anonymous.{extra} The erasure reaches the "
            "shared store and the other laptops at their next sync."
        )


def find_person(store: Store, text: str | uuid.UUID) -> uuid.UUID:
    """A full id, a unique prefix, or the e-mail address of any participant (erased ones too).

    An erasure or access request usually arrives as an e-mail from the person, so the address
    is accepted.
    """
    try:
        return parse_uuid(text, "participant id")
    except NotFound:
        pass
    if "@" in str(text):
        with store.read() as s:
            person = find_participant_by_email(s, str(text))
            if person is None:
                raise NotFound(
                    f"No participant has the e-mail address “{text}” (erased participants keep no address)."
                )
            return person.id
    bare = str(text).strip().lower().replace("-", "")
    if len(bare) < 4 or any(c not in "0123456789abcdef" for c in bare):
        raise NotFound(f"“{text}” is neither a participant id nor an e-mail address.")
    with store.read() as s:
        ids = [
            i for i in s.scalars(select(Participant.id).execution_options(include_deleted=True))
            if i.hex.startswith(bare)
        ]
    if len(ids) != 1:
        raise NotFound(
            f"There is no participant whose id starts with “{text}”." if not ids
            else f"More than one participant id starts with “{text}”; give more characters."
        )
    return ids[0]


_find = find_person


def describe(store: Store, participant: str | uuid.UUID) -> str:
    """Who an erasure would hit, for the confirmation question ("Rafael Costa <r@…> (3f2a9c1e)")."""
    pid = _find(store, participant)
    with store.read() as s:
        person = s.get(Participant, pid, execution_options={"include_deleted": True})
    if person is None:
        raise NotFound(f"There is no participant with id {pid}.")
    mail = f" <{person.email}>" if person.email else ""
    return f"{person.name}{mail} ({str(pid)[:8]})"


def _all(s: Session, stmt: Any) -> list[Any]:
    return list(s.scalars(stmt.execution_options(include_deleted=True)))


def _scrub_own_rows(s: Session, pid: uuid.UUID, when: Any) -> tuple[set[str], int]:
    """Their clips, contributions, reactions, roster entries and consent events, as erasure
    leaves them; returns the clip fingerprints and how many clips were newly removed."""
    shas: set[str] = set()
    removed = 0
    for clip in _all(s, select(Clip).where(Clip.participant_id == pid)):
        if clip.sha256:
            shas.add(clip.sha256)
        if clip.deleted_at is None:
            clip.deleted_at = when
            removed += 1
        _clear(clip, thumbnail=None, title="", extra=null())
    if shas:
        # Any other clip row claiming one of these files (a crafted file) goes with it.
        for clip in _all(s, select(Clip).where(Clip.sha256.in_(shas), Clip.participant_id != pid)):
            if clip.deleted_at is None:
                clip.deleted_at = when
            _clear(clip, thumbnail=None, title="", extra=null())
    for c in _all(s, select(Contribution).where(Contribution.participant_id == pid)):
        _clear(c, note="", extra=null())
    for model in (Reaction, WorkshopParticipant):
        for row in _all(s, select(model).where(model.participant_id == pid, model.extra.isnot(None))):
            _clear(row, extra=null())
    for event in _all(s, select(ConsentEvent).where(ConsentEvent.participant_id == pid)):
        # Their consent history is about them too: tombstoned, without who recorded it.
        if event.deleted_at is None:
            event.deleted_at = when
        _clear(event, by="", extra=null())
    return shas, removed


def _clear(row: Any, **values: Any) -> None:
    """Set the fields that differ (an unchanged field is not a new edit)."""
    for key, value in values.items():
        current = getattr(row, key)
        if isinstance(value, Null):  # SQL NULL (a JSON column's None would be JSON 'null')
            if current is not None:
                setattr(row, key, value)
        elif current != value:
            setattr(row, key, value)


def erase_participant(
    store: Store, participant: str | uuid.UUID, library: ClipLibrary | None = None,
    *, as_of: datetime | None = None,
) -> ErasureResult:
    """Erase one participant in one transaction, then delete their clip files and unfinished
    takes here, and overwrite the freed space of the store.

    ``as_of``: this is an earlier erasure of the same human, reaching a copy of them under
    another id (app/erased_people.py). The tombstone then keeps that erasure's time, not now:
    "created before the erasure" must keep meaning the first one, or each copy erased would
    move it on and take in someone rightly rostered again since. And free text written after
    that erasure is left alone: it is that new person's, not the erased one's."""
    pid = _find(store, participant)
    with store.write() as s:
        person = s.get(Participant, pid, execution_options={"include_deleted": True})
        if person is None:
            raise NotFound(f"There is no participant with id {pid}.")
        already = person.erased_at is not None
        identifiers = [] if already else [person.name, person.email or ""]
        when = person.erased_at or as_of or utcnow()
        if person.erased_at is None:
            person.erased_at = when
        if person.email and person.erased_email_hash is None:
            # Before the e-mail goes: the same human under another id is recognised later
            # (app.erased_people, app/portable/people.py).
            person.erased_email_hash = erased_email_hash(person.email)
        for key, value in ERASED_PARTICIPANT.items():
            _clear(person, **{key: null() if key == "extra" else value})
        shas, removed = _scrub_own_rows(s, pid, when)
        round_shas, round_clips = erase_role_plays(s, pid, when)  # ratings, markers, round recordings
        shas |= round_shas
        removed += round_clips
        erase_followup_in(s, pid, when)
        mentions = scrub_mentions(s, identifiers, skip={pid}, written_by=as_of)
        if not already:
            person.deleted_at = when
            anonymous = move_to_anonymous_id(s, pid, when)
        else:
            anonymous = pid
        s.flush()
        kept = s.scalar(
            select(func.count()).select_from(Contribution)
            .where(Contribution.participant_id.in_({pid, anonymous}))
        ) or 0
    deleted = takes = 0
    if library is not None:
        for sha in sorted(shas):
            if library.exists(sha):
                library.delete(sha)
                deleted += 1
        takes = discard_takes_of(library, {pid})
    store.reclaim_freed_space(ERASURE_TABLES)
    return ErasureResult(pid, already, removed, deleted, int(kept), mentions, takes)


# ---------------------------------------------------------------- mentions in free text


def _pattern(identifiers: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({i.strip() for i in identifiers if len(i.strip()) >= _MIN_NAME}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.IGNORECASE)


def _redact(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [_redact(v, pattern) for v in value]
    if isinstance(value, dict):
        return {_redact(k, pattern): _redact(v, pattern) for k, v in value.items()}
    return value


def _text_columns(model: Any) -> list[Any]:
    """The columns of a synced table that people or files fill with free text (and JSON);
    short strings are codes (kind, scope, hotkey, fingerprints), not free text."""
    out = []
    for attr in sa_inspect(model).mapper.column_attrs:
        col = attr.columns[0]
        if attr.key in BOOKKEEPING:
            continue
        if isinstance(col.type, Text | JSON) or (
            isinstance(col.type, String) and (col.type.length or 0) > 64
        ):
            out.append(col)
    return out


def scrub_mentions(s: Session, identifiers: Iterable[str], *, skip: frozenset[uuid.UUID] | set[uuid.UUID] = frozenset(),
                   written_by: datetime | None = None) -> int:
    """Replace a name or e-mail wherever it was typed into free text or kept from a file, in
    every synced table (so tables added later are covered too); returns rows changed. The
    edits are ordinary ones: they sync like any other. ``written_by``: only rows created by
    then (an earlier erasure reaching a copy of the person: see :func:`erase_participant`)."""
    pattern = _pattern(identifiers)
    if pattern is None:
        return 0
    changed = 0
    for model in SYNCED_MODELS:
        columns = _text_columns(model)
        if not columns:
            continue
        filled = or_(*(c.isnot(None) if isinstance(c.type, JSON) else c != "" for c in columns))
        if written_by is not None:
            filled = and_(filled, model.created_at <= written_by)
        for row in s.scalars(select(model).where(filled).execution_options(include_deleted=True)):
            if row.id in skip:
                continue
            touched = False
            for col in (c.key for c in columns):
                value = getattr(row, col)
                if value in (None, "", [], {}):
                    continue
                if not pattern.search(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)):
                    continue
                setattr(row, col, _redact(value, pattern))
                touched = True
            changed += touched
    return changed


# ---------------------------------------------------------------- the anonymous id


def _person_columns(model: Any) -> list[str]:
    """The columns of a synced table that point at a participant (found from the foreign keys,
    so tables added later — role plays, commitments — are covered)."""
    table = model.__table__
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "participants"]


def move_to_anonymous_id(s: Session, old: uuid.UUID, when: Any) -> uuid.UUID:
    """Move everything that stays of an erased person to a new random id (see the module's
    docstring); returns it. Ordinary edits: they sync. The old id is left behind in no row
    but the erased tombstone (and consent events, tombstoned and empty)."""
    new = uuid.uuid4()
    s.add(Participant(id=new, erased_at=when, **{k: v for k, v in ERASED_PARTICIPANT.items() if k != "extra"}))
    s.flush()
    for model in SYNCED_MODELS:
        if model in (Participant, ConsentEvent, WorkshopParticipant):
            continue
        texts = [c.key for c in _text_columns(model) if isinstance(c.type, Text)]
        for col in _person_columns(model):
            for row in _all(s, select(model).where(getattr(model, col) == old)):
                setattr(row, col, new)
                # Free text on a row about them or by them (a rating's comment, a marker's
                # note) is theirs too.
                _clear(row, **dict.fromkeys(texts, ""), extra=null())
    # A roster place's id is derived from the person's: a new place, the old one tombstoned.
    for m in _all(s, select(WorkshopParticipant).where(WorkshopParticipant.participant_id == old)):
        s.add(WorkshopParticipant(id=membership_id(m.workshop_id, new), workshop_id=m.workshop_id,
                                  participant_id=new, position=m.position, hotkey=None,
                                  deleted_at=m.deleted_at))
        if m.deleted_at is None:
            m.deleted_at = when
        _clear(m, hotkey=None, extra=null())
    _replace_id_in_json(s, old, new)
    return new


def _replace_id_in_json(s: Session, old: uuid.UUID, new: uuid.UUID) -> None:
    """Ids kept in JSON (a group's members, a role play's cast) move too."""
    forms = {str(old): str(new), old.hex: new.hex}
    for model in SYNCED_MODELS:
        for col in (c for c in _text_columns(model) if isinstance(c.type, JSON)):
            for row in s.scalars(select(model).where(col.isnot(None)).execution_options(include_deleted=True)):
                value = getattr(row, col.key)
                text = json.dumps(value)
                if not any(f in text for f in forms):
                    continue
                for a, b in forms.items():
                    text = text.replace(a, b)
                setattr(row, col.key, json.loads(text))


# ---------------------------------------------------------------- unfinished takes


def discard_takes_of(library: ClipLibrary, people: set[uuid.UUID]) -> int:
    """Delete the booth takes in ``clips/incoming`` that belong to these people (a crash
    left them; they would be offered again at every start); returns how many went."""
    if not library.incoming.exists() or not people:
        return 0
    wanted = {str(p) for p in people}
    gone = 0
    for side in sorted(library.incoming.glob("*.json")):
        try:
            owner = json.loads(side.read_text(encoding="utf-8")).get("participant")
        except (OSError, ValueError, AttributeError):
            continue
        if owner in wanted:
            discard_incoming(side.with_suffix(".mp4"))
            sidecar_of(side.with_suffix(".mp4")).unlink(missing_ok=True)
            gone += 1
    return gone


def discard_takes_of_erased(store: Store, library: ClipLibrary) -> int:
    """After a sync brought erasures made elsewhere: this laptop's unfinished takes of the
    erased people go too."""
    with store.read() as s:
        erased = set(s.scalars(select(Participant.id).where(Participant.erased_at.isnot(None))
                               .execution_options(include_deleted=True)))
    return discard_takes_of(library, erased)
