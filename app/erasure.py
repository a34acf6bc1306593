"""The right to erasure: a participant's personal data and clips go, everywhere sync reaches.

What stays is anonymous: the participant row (renamed "Erased participant", no e-mail, no
team, no consent) so the workshop's counts do not change, their contributions (without
notes) and reactions pointing at it. Their clips are tombstoned without thumbnail or title
and the files are deleted here; the shared store and every other laptop do the same at their
next sync (db.sync treats an erased participant as beating any older edit, whatever the
clocks say, and scrubs what an out-of-date laptop sends).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from app.clips.library import ClipLibrary
from app.errors import NotFound
from app.followup.commitments import erase_followup_in
from app.planning.ids import parse_uuid
from app.planning.participants import find_participant_by_email
from app.roleplay.erasure import erase_role_plays
from app.text import plural
from db.models import Clip, ConsentEvent, Contribution, Participant
from db.store import Store
from db.sync.rows import ERASED_PARTICIPANT
from db.types import utcnow


@dataclass(frozen=True)
class ErasureResult:
    participant_id: uuid.UUID
    already_erased: bool
    clips_removed: int
    files_deleted: int
    contributions_kept: int

    def summary(self) -> str:
        if self.already_erased and not (self.clips_removed or self.files_deleted):
            return f"Participant {self.participant_id} was already erased; nothing was left to remove."
        return (
            f"Erased participant {self.participant_id}: personal data and "
            f"{plural(self.clips_removed, 'clip')} removed here ({plural(self.files_deleted, 'file')} deleted); "
            f"{plural(self.contributions_kept, 'contribution')} {'stays' if self.contributions_kept == 1 else 'stay'}, anonymous. The erasure reaches the "
            "shared store and the other laptops at their next sync."
        )


def _find(store: Store, text: str | uuid.UUID) -> uuid.UUID:
    """A full id, a unique prefix, or the e-mail address of any participant (erased ones too).

    An erasure request usually arrives as an e-mail from the person, so the address is accepted.
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


def describe(store: Store, participant: str | uuid.UUID) -> str:
    """Who an erasure would hit, for the confirmation question ("Rafael Costa <r@…> (3f2a9c1e)")."""
    pid = _find(store, participant)
    with store.read() as s:
        person = s.get(Participant, pid, execution_options={"include_deleted": True})
    if person is None:
        raise NotFound(f"There is no participant with id {pid}.")
    mail = f" <{person.email}>" if person.email else ""
    return f"{person.name}{mail} ({str(pid)[:8]})"


def erase_participant(
    store: Store, participant: str | uuid.UUID, library: ClipLibrary | None = None
) -> ErasureResult:
    """Erase one participant in one transaction, then delete their clip files here."""
    pid = _find(store, participant)
    with store.write() as s:
        person = s.get(Participant, pid, execution_options={"include_deleted": True})
        if person is None:
            raise NotFound(f"There is no participant with id {pid}.")
        already = person.erased_at is not None
        when = person.erased_at or utcnow()
        if person.erased_at is None:
            person.erased_at = when
        for key, value in ERASED_PARTICIPANT.items():
            if getattr(person, key) != value:
                setattr(person, key, value)
        shas: set[str] = set()
        removed = 0
        for clip in s.scalars(
            select(Clip).where(Clip.participant_id == pid).execution_options(include_deleted=True)
        ):
            if clip.sha256:
                shas.add(clip.sha256)
            if clip.deleted_at is None:
                clip.deleted_at = when
                removed += 1
            if clip.thumbnail is not None:
                clip.thumbnail = None
            if clip.title:
                clip.title = ""
        for c in s.scalars(
            select(Contribution)
            .where(Contribution.participant_id == pid, Contribution.note != "")
            .execution_options(include_deleted=True)
        ):
            c.note = ""
        for event in s.scalars(
            select(ConsentEvent).where(ConsentEvent.participant_id == pid).execution_options(include_deleted=True)
        ):
            # Their consent history is about them too: tombstoned, without who recorded it.
            if event.deleted_at is None:
                event.deleted_at = when
            if event.by:
                event.by = ""
        round_shas, round_clips = erase_role_plays(s, pid, when)  # ratings, markers, round recordings
        shas |= round_shas
        removed += round_clips
        erase_followup_in(s, pid, when)
        s.flush()
        kept = s.scalar(
            select(func.count()).select_from(Contribution).where(Contribution.participant_id == pid)
        ) or 0
        still_used = set(
            s.scalars(select(Clip.sha256).where(Clip.sha256.in_(shas), Clip.deleted_at.is_(None)))
        ) if shas else set()
    deleted = 0
    if library is not None:
        for sha in sorted(shas - still_used):
            if library.exists(sha):
                library.delete(sha)
                deleted += 1
    return ErasureResult(pid, already, removed, deleted, int(kept))
