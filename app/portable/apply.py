"""Applying a read portable file to the store: idempotent and all-or-nothing.

Ids are kept, so a second import changes nothing (not even a sync sequence number); the
whole file lands in one transaction, and clip files added before a failure are removed
again. The same e-mail already known under another id is the same person; an erased
person is never brought back by an old file; the workshop's live state on this laptop is
newer than any file's idea of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.planning.ids import membership_id
from app.planning.participants import find_participant_by_email
from app.planning.views import Changes
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
from db.types import utcnow


@dataclass
class ImportResult:
    workshop_id: uuid.UUID
    title: str
    changes: Changes
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
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


def _set(row: Any, values: dict[str, Any]) -> bool:
    """Set what differs (the same instant in another zone is not a change); True if anything did."""
    changed = False
    for key, value in values.items():
        current = getattr(row, key)
        if isinstance(value, datetime) and isinstance(current, datetime):
            same = value.astimezone(UTC) == current.astimezone(UTC)
        else:
            same = current == value
        if not same:
            setattr(row, key, value)
            changed = True
    if getattr(row, "deleted_at", None) is not None:
        row.deleted_at = None
        changed = True
    return changed


def _upsert(
    s: Session, model: Any, ident: uuid.UUID, values: dict[str, Any], what: str, changes: Changes,
    where: str = "",
) -> Any:
    row = s.get(model, ident, execution_options={"include_deleted": True})
    owner = values.get("workshop_id")
    if row is not None and owner is not None and getattr(row, "workshop_id", owner) != owner:
        raise PortableError(f"{where}: this id already belongs to another workshop in this store.")
    if row is None:
        row = model(id=ident, **values)
        s.add(row)
        changes.add(what)
    elif _set(row, values):
        changes.add(what, "updated")
    return row


def _fields(rec: dict[str, Any], specs: tuple[Field, ...]) -> dict[str, Any]:
    return {s.attr: rec[s.attr] for s in specs if s.attr != "id"} | {"extra": rec["extra"]}


# ---------------------------------------------------------------- sections


def _write(store: Store, parsed: Parsed) -> ImportResult:
    changes = Changes()
    w = parsed.workshop
    with store.write() as s:
        _write_workshop(s, w, changes)
        remap = _write_people(s, w["id"], parsed.sections["participants"], changes)

        def pid_of(value: uuid.UUID | None) -> uuid.UUID | None:
            return remap.get(value, value) if value is not None else None

        _write_agenda(s, w["id"], parsed.sections["agenda"], pid_of, changes)
        for c in parsed.sections["contributions"]:
            values = _fields(c, CONTRIBUTION_SPEC) | {"workshop_id": w["id"]}
            values["participant_id"] = pid_of(values["participant_id"])
            _upsert(s, Contribution, c["id"], values, "contributions", changes, c["_where"])
        for c in parsed.sections["clips"]:
            values = _fields(c, CLIP_SPEC) | {"workshop_id": w["id"]}
            values["participant_id"] = pid_of(values["participant_id"])
            for key in ("width", "height", "has_audio"):
                if key in c:
                    values[key] = c[key]
            _upsert(s, Clip, c["id"], values, "clips", changes, c["_where"])
        for r in parsed.sections["reactions"]:
            values = _fields(r, REACTION_SPEC) | {"workshop_id": w["id"]}
            values["participant_id"] = pid_of(values["participant_id"])
            _upsert(s, Reaction, r["id"], values, "reactions", changes, r["_where"])
    return ImportResult(w["id"], w["title"], changes)


def _write_workshop(s: Session, w: dict[str, Any], changes: Changes) -> None:
    off = w["started_at"].utcoffset() or timedelta(0)
    ws_values = _fields(w, WORKSHOP_SPEC) | {"utc_offset_min": int(off.total_seconds() // 60)}
    existing_ws = s.get(Workshop, w["id"], execution_options={"include_deleted": True})
    if existing_ws is not None:
        # The live state on this laptop is newer than any file's idea of it.
        ws_values.pop("status")
    _upsert(s, Workshop, w["id"], ws_values, "workshop", changes)


def _write_people(
    s: Session, workshop_id: uuid.UUID, people: list[dict[str, Any]], changes: Changes
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
        values = _fields(p, PARTICIPANT_SPEC)
        c = p["consent"]
        values |= {
            "consent_video": c["video"],
            "consent_community": c["community"],
            "consent_analytics": c["analytics"],
            "consent_at": c["at"],
            "consent_by": c["by"],
        }
        if row is not None and row.erased_at is not None:
            continue  # an erased person is never brought back by an old file
        _upsert(s, Participant, pid, values, "participants", changes)
        mid = membership_id(workshop_id, pid)
        m = s.get(WorkshopParticipant, mid, execution_options={"include_deleted": True})
        if m is None:
            s.add(WorkshopParticipant(id=mid, workshop_id=workshop_id, participant_id=pid, position=i))
        elif m.deleted_at is not None:
            m.deleted_at = None
    return remap


def _write_agenda(
    s: Session,
    workshop_id: uuid.UUID,
    agenda: list[dict[str, Any]],
    pid_of: Callable[[uuid.UUID | None], uuid.UUID | None],
    changes: Changes,
) -> None:
    for i, a in enumerate(agenda):
        _upsert(s, AgendaItem, a["id"], _fields(a, AGENDA_SPEC) | {"workshop_id": workshop_id, "position": i},
                "agenda items", changes, a["_where"])
        existing = list(
            s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id == a["id"]).order_by(AgendaGroup.position))
        )
        for gi, members in enumerate(a["groups"]):
            text = [str(pid_of(m)) for m in members]
            name = a["group_names"][gi]
            if gi < len(existing):
                if _set(existing[gi], {"members": text, "name": name}):
                    changes.add("groups", "updated")
            else:
                s.add(AgendaGroup(agenda_item_id=a["id"], position=gi, name=name, members=text))
                changes.add("groups")
        for g in existing[len(a["groups"]):]:
            g.deleted_at = utcnow()
            changes.add("groups", "updated")
