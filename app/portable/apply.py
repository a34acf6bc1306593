"""Applying a read portable file to the store: idempotent and all-or-nothing.

Ids are kept, so a second import changes nothing (not even a sync sequence number); the
whole file lands in one transaction, and clip files added before a failure are removed
again. The same e-mail already known under another id is the same person.

A file is old content, never a new edit (PRODUCT.md, trust rules): what is new is inserted
at the oldest version, so any edit made anywhere, before or after, wins over it at the next
sync; a row this store already has is never changed by a file, nor brought back once it
was deleted here, nor an erased person revived. The result says what was kept and why.
Consent in a file becomes consent events that may grant consent to someone never asked
here, or withdraw it, but never undo a withdrawal (db/consent.py).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.planning.ids import group_id, membership_id
from app.planning.participants import find_participant_by_email, record_consent_in
from app.planning.views import Changes
from app.portable import roleplay
from app.portable.followup import apply_sections as apply_followup
from app.portable.read import Parsed, opened, parse_document
from app.portable.spec import (
    AGENDA_SPEC,
    CLIP_SPEC,
    CONTRIBUTION_SPEC,
    PARTICIPANT_SPEC,
    REACTION_SPEC,
    WORKSHOP_SPEC,
    Field,
    PortableError,
)
from app.text import plural
from db.merge import OLDEST
from db.models import (
    AgendaGroup,
    AgendaItem,
    Clip,
    Contribution,
    Participant,
    Reaction,
    Workshop,
    WorkshopParticipant,
)
from db.store import Store


@dataclass
class ImportResult:
    workshop_id: uuid.UUID
    title: str
    changes: Changes
    warnings: list[str] = field(default_factory=list)
    #: (what, field) of rows this store has whose value here was kept over the file's
    kept: list[tuple[str, str]] = field(default_factory=list)
    #: what the file has that was deleted here (kept deleted)
    deleted_here: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        return self._changes() + self._kept()

    def _kept(self) -> str:
        out = ""
        if self.kept:
            shown = ", ".join(f"{what} {name}" for what, name in self.kept[:3])
            more = f" and {len(self.kept) - 3} more" if len(self.kept) > 3 else ""
            out += (f" Kept {plural(len(self.kept), 'value')} this store already had over the file's "
                    f"(an import never rewinds an edit): {shown}{more}.")
        if self.deleted_here:
            out += " Left deleted here: " + ", ".join(
                f"{n} {what}" for what, n in sorted(self.deleted_here.items())) + "."
        return out

    def _changes(self) -> str:
        if not self.changes.total:
            return f"“{self.title}” was already up to date; nothing changed."
        parts = [f"{n} {what}" for what, n in sorted(self.changes.created.items())]
        updated = [f"{n} {what}" for what, n in sorted(self.changes.updated.items())]
        text = f"Imported “{self.title}”"
        if parts:
            text += ": added " + ", ".join(parts)
        if updated:
            text += ("; " if parts else ": ") + "updated " + ", ".join(updated)
        return text + "."


ClipAdder = Callable[[Path, str], bool]
"""Stores a clip file under its sha256; returns True if it was newly added. Raises
PortableError when the file's content does not match the sha256."""


def import_workshop(
    store: Store,
    path: Path,
    *,
    add_clip: ClipAdder | None = None,
    remove_clip: Callable[[str], None] | None = None,
    has_clip: Callable[[str], bool] | None = None,
) -> ImportResult:
    with opened(path) as (doc, find):
        parsed = parse_document(doc)
        warnings: list[str] = []
        added: list[str] = []
        try:
            for clip in parsed.sections["clips"]:
                sha = clip["sha256"]
                rel = parsed.clip_files.get(str(clip["id"]))
                src = find(rel) if rel else None
                if src is None:
                    if not (has_clip and has_clip(sha)):
                        warnings.append(f"The file of clip {clip['id']} is not in the import; it shows as missing.")
                    continue
                if add_clip is not None and add_clip(src, sha):
                    added.append(sha)
            result = _write(store, parsed)
        except BaseException:
            if remove_clip is not None:
                for sha in added:
                    remove_clip(sha)
            raise
        result.warnings = warnings
        return result


# ---------------------------------------------------------------- rows


def _differs(current: Any, value: Any) -> bool:
    """The same instant in another zone is not a difference."""
    if isinstance(value, datetime) and isinstance(current, datetime):
        return value.astimezone(UTC) != current.astimezone(UTC)
    return bool(current != value)


def _upsert(
    s: Session, model: Any, ident: uuid.UUID, values: dict[str, Any], what: str, result: ImportResult,
    where: str = "",
) -> Any:
    """Insert a row the store does not have, at the oldest version; leave one it has as it
    is, noting the fields whose value here was kept over the file's."""
    row = s.get(model, ident, execution_options={"include_deleted": True})
    owner = values.get("workshop_id")
    if row is not None and owner is not None and getattr(row, "workshop_id", owner) != owner:
        raise PortableError(f"{where}: this id already belongs to another workshop in this store.")
    if row is None:
        row = model(id=ident, hlc=OLDEST, **values)
        s.add(row)
        result.changes.add(what)
    elif row.deleted_at is not None:
        result.deleted_here[what] += 1
    else:
        for key, value in values.items():
            if key != "extra" and _differs(getattr(row, key), value):
                result.kept.append((_SINGULAR.get(what, what), key.replace("_id", "").replace("_", " ")))
    return row


_SINGULAR = {"workshop": "workshop", "participants": "participant's", "agenda items": "agenda item's",
             "contributions": "contribution's", "clips": "clip's", "reactions": "reaction's",
             "commitments": "commitment's", "check-ins": "check-in's"}


def _fields(rec: dict[str, Any], specs: tuple[Field, ...]) -> dict[str, Any]:
    return {s.attr: rec[s.attr] for s in specs if s.attr != "id"} | {"extra": rec["extra"]}


# ---------------------------------------------------------------- sections


def _write(store: Store, parsed: Parsed) -> ImportResult:
    w = parsed.workshop
    result = ImportResult(w["id"], w["title"], Changes())
    with store.write(keep_versions=True) as s:
        _write_workshop(s, w, result)
        remap = _write_people(s, w["id"], parsed.sections["participants"], result)

        def pid_of(value: uuid.UUID | None) -> uuid.UUID | None:
            return remap.get(value, value) if value is not None else None

        _write_agenda(s, w["id"], parsed.sections["agenda"], pid_of, result)
        for c in parsed.sections["contributions"]:
            values = _fields(c, CONTRIBUTION_SPEC) | {"workshop_id": w["id"]}
            values["participant_id"] = pid_of(values["participant_id"])
            _upsert(s, Contribution, c["id"], values, "contributions", result, c["_where"])
        for c in parsed.sections["clips"]:
            values = _fields(c, CLIP_SPEC) | {"workshop_id": w["id"]}
            values["participant_id"] = pid_of(values["participant_id"])
            for key in ("width", "height", "has_audio"):
                if key in c:
                    values[key] = c[key]
            _upsert(s, Clip, c["id"], values, "clips", result, c["_where"])
        for r in parsed.sections["reactions"]:
            values = _fields(r, REACTION_SPEC) | {"workshop_id": w["id"]}
            values["participant_id"] = pid_of(values["participant_id"])
            _upsert(s, Reaction, r["id"], values, "reactions", result, r["_where"])
        roleplay.apply(s, parsed.sections, pid_of, _upsert, result)
        apply_followup(s, w["id"], parsed.sections, pid_of,
                       lambda s_, m, i, v, what, where: _upsert(s_, m, i, v, what, result, where), _fields)
    return result


def _write_workshop(s: Session, w: dict[str, Any], result: ImportResult) -> None:
    off = w["started_at"].utcoffset() or timedelta(0)
    ws_values = _fields(w, WORKSHOP_SPEC) | {"utc_offset_min": int(off.total_seconds() // 60)}
    existing_ws = s.get(Workshop, w["id"], execution_options={"include_deleted": True})
    if existing_ws is not None:
        # The live state on this laptop is newer than any file's idea of it.
        ws_values.pop("status")
        ws_values.pop("utc_offset_min")
    _upsert(s, Workshop, w["id"], ws_values, "workshop", result)


def _write_people(
    s: Session, workshop_id: uuid.UUID, people: list[dict[str, Any]], result: ImportResult
) -> dict[uuid.UUID, uuid.UUID]:
    """People and their memberships; returns file id → local id for people known by e-mail."""
    # People: the same e-mail already known under another id is the same person.
    remap: dict[uuid.UUID, uuid.UUID] = {}
    for i, p in enumerate(people):
        pid = p["id"]
        if s.get(Participant, pid, execution_options={"include_deleted": True}) is None and p["email"]:
            known = find_participant_by_email(s, p["email"])
            if known is not None:
                remap[pid] = known.id
                pid = known.id
        row = s.get(Participant, pid, execution_options={"include_deleted": True})
        if row is not None and row.erased_at is not None:
            continue  # an erased person is never brought back by an old file
        person = _upsert(s, Participant, pid, _fields(p, PARTICIPANT_SPEC), "participants", result)
        c = p["consent"]
        if c["at"] is not None or c["video"] or c["community"] or c["analytics"]:
            at = c["at"] or s.get(Workshop, workshop_id).started_at  # type: ignore[union-attr]
            record_consent_in(s, person, video=c["video"], community=c["community"], analytics=c["analytics"],
                              at=at, by=c["by"], seen=frozenset(), source="file")
        mid = membership_id(workshop_id, pid)
        m = s.get(WorkshopParticipant, mid, execution_options={"include_deleted": True})
        if m is None:
            s.add(WorkshopParticipant(id=mid, workshop_id=workshop_id, participant_id=pid, position=i,
                                      hlc=OLDEST))
        elif m.deleted_at is not None:
            result.deleted_here["roster entries"] += 1
    return remap


def _write_agenda(
    s: Session,
    workshop_id: uuid.UUID,
    agenda: list[dict[str, Any]],
    pid_of: Callable[[uuid.UUID | None], uuid.UUID | None],
    result: ImportResult,
) -> None:
    for i, a in enumerate(agenda):
        _upsert(s, AgendaItem, a["id"], _fields(a, AGENDA_SPEC) | {"workshop_id": workshop_id, "position": i},
                "agenda items", result, a["_where"])
        existing = {
            g.position: g for g in s.scalars(
                select(AgendaGroup).where(AgendaGroup.agenda_item_id == a["id"])
                .execution_options(include_deleted=True))
        }
        for gi, members in enumerate(a["groups"]):
            # A group is its item and its place: the same id on every laptop that imports
            # the file or plans it (app/planning/agenda.py), so groups never double.
            if gi in existing:
                continue
            text = [str(pid_of(m)) for m in members]
            s.add(AgendaGroup(id=group_id(a["id"], gi), agenda_item_id=a["id"], position=gi,
                              name=a["group_names"][gi], members=text, hlc=OLDEST))
            result.changes.add("groups")
