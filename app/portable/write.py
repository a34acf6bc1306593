"""Writing a workshop out as a portable file: the document, then JSON or a ``.ripple`` zip.

Times are written in the workshop's own zone (as the facilitator read them); only live rows
are exported, erased people stay anonymous, and each row's unknown fields (``extra``) are
written back so a round trip through another tool loses nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import RippleError
from app.platform.inputs import refuse_writing_onto_stores
from app.portable import followup, roleplay
from app.portable.spec import CLIPS_DIR, FORMAT, JSON_NAME, VERSION
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


def _tz(offset_min: int) -> timezone:
    return timezone(timedelta(minutes=offset_min))


def _iso(value: datetime | None, tz: timezone) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def _with_extra(d: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    if extra:
        for k, v in extra.items():
            d.setdefault(k, v)
    return d


def _ref(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


# ---------------------------------------------------------------- one record each


def _workshop(w: Workshop, tz: timezone) -> dict[str, Any]:
    return _with_extra(
        {
            "id": str(w.id),
            "title": w.title,
            "facilitator": w.facilitator,
            "team": w.team,
            "started_at": _iso(w.started_at, tz),
            "location": w.location,
            "notes": w.notes,
            "status": w.status,
        },
        w.extra,
    )


def _participant(p: Participant, tz: timezone) -> dict[str, Any]:
    return _with_extra(
        {
            "id": str(p.id),
            "name": p.name,
            "email": p.email,
            "team": p.team,
            "created_at": _iso(p.created_at, tz),
            "consent": {
                "video": p.consent_video,
                "community": p.consent_community,
                "analytics": p.consent_analytics,
                "at": _iso(p.consent_at, tz),
                "by": p.consent_by,
            },
        },
        p.extra,
    )


def _agenda_item(i: AgendaItem, groups: Sequence[AgendaGroup]) -> dict[str, Any]:
    return _with_extra(
        {
            "id": str(i.id),
            "kind": i.kind,
            "title": i.title,
            "instructions": i.instructions,
            "minutes": i.minutes,
            "groups": [list(g.members or []) for g in groups],
            "group_names": [g.name for g in groups],
        },
        i.extra,
    )


def _contribution(c: Contribution, tz: timezone) -> dict[str, Any]:
    return _with_extra(
        {
            "id": str(c.id),
            "at": _iso(c.at, tz),
            "participant": str(c.participant_id),
            "agenda_item": _ref(c.agenda_item_id),
            "kind": c.kind,
            "initiative": c.initiative,
            "builds_on": _ref(c.builds_on_id),
            **({"note": c.note} if c.note else {}),
        },
        c.extra,
    )


def _clip(c: Clip, tz: timezone) -> dict[str, Any]:
    return _with_extra(
        {
            "id": str(c.id),
            "participant": str(c.participant_id),
            "agenda_item": _ref(c.agenda_item_id),
            "at": _iso(c.at, tz),
            "seconds": round(c.seconds, 3),
            "scope": c.scope,
            "sha256": c.sha256,
            "file": f"{CLIPS_DIR}/{c.id}.mp4",
            "title": c.title,
            "width": c.width,
            "height": c.height,
            "has_audio": c.has_audio,
        },
        c.extra,
    )


def _reaction(r: Reaction, tz: timezone) -> dict[str, Any]:
    return _with_extra(
        {
            "id": str(r.id),
            "at": _iso(r.at, tz),
            "participant": _ref(r.participant_id),
            "clip": _ref(r.clip_id),
            "contribution": _ref(r.contribution_id),
            "kind": r.kind,
        },
        r.extra,
    )


# ---------------------------------------------------------------- the document


def _people(
    s: Session, members: Sequence[WorkshopParticipant], referencing: Sequence[Contribution | Clip | Reaction]
) -> list[Participant]:
    """The roster in order, then everyone referenced who is no longer on it."""
    pids = [m.participant_id for m in members]
    for row in referencing:
        pid = row.participant_id
        if pid is not None and pid not in pids:
            pids.append(pid)
    people = {p.id: p for p in s.scalars(select(Participant).where(Participant.id.in_(pids)))} if pids else {}
    return [people[pid] for pid in pids if pid in people]


def _groups_by_item(s: Session, items: Sequence[AgendaItem]) -> dict[uuid.UUID, list[AgendaGroup]]:
    groups: dict[uuid.UUID, list[AgendaGroup]] = {}
    if items:
        for g in s.scalars(
            select(AgendaGroup)
            .where(AgendaGroup.agenda_item_id.in_([i.id for i in items]))
            .order_by(AgendaGroup.position)
        ):
            groups.setdefault(g.agenda_item_id, []).append(g)
    return groups


def workshop_document(store: Store, workshop_id: uuid.UUID) -> dict[str, Any]:
    """The portable document of one workshop (only live rows; erased people stay anonymous)."""
    with store.read() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise RippleError(f"There is no workshop with id {workshop_id}.")
        tz = _tz(w.utc_offset_min)
        members = list(
            s.scalars(
                select(WorkshopParticipant)
                .where(WorkshopParticipant.workshop_id == w.id)
                .order_by(WorkshopParticipant.position)
            )
        )
        contributions = list(
            s.scalars(select(Contribution).where(Contribution.workshop_id == w.id).order_by(Contribution.at))
        )
        clips = list(s.scalars(select(Clip).where(Clip.workshop_id == w.id).order_by(Clip.at)))
        reactions = list(s.scalars(select(Reaction).where(Reaction.workshop_id == w.id).order_by(Reaction.at)))
        # Everyone referenced is exported, even if no longer on the roster.
        people = _people(s, members, [*contributions, *clips, *reactions])
        items = list(
            s.scalars(select(AgendaItem).where(AgendaItem.workshop_id == w.id).order_by(AgendaItem.position))
        )
        groups = _groups_by_item(s, items)
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": utcnow().astimezone(tz).isoformat(),
            # Later than every version in the file (read after the rows above, from what is
            # committed): a laptop importing it stamps its edits after them (read.py).
            "clock": store.stamp_past_everything(),
            "workshop": _workshop(w, tz),
            "participants": [_participant(p, tz) for p in people],
            "agenda": [_agenda_item(i, groups.get(i.id, [])) for i in items],
            "contributions": [_contribution(c, tz) for c in contributions],
            "clips": [_clip(c, tz) for c in clips],
            "reactions": [_reaction(r, tz) for r in reactions],
            **roleplay.document(s, items, tz),
            **followup.records(s, w.id, tz),
        }
    return _only_exported_refs(doc)


def _only_exported_refs(doc: dict[str, Any]) -> dict[str, Any]:
    """A file Ripple writes always imports: a reference to a row that is not in it (deleted on
    this laptop or another) is dropped. A share whose agenda item was deleted stays, without
    an item (it still counts for the workshop); a share built on a deleted share no longer
    builds on anything (the link pointed at a mis-tap); a reaction to a deleted clip or share
    is left out; a group lists only people in the file."""
    people = {p["id"] for p in doc["participants"]}
    items = {a["id"] for a in doc["agenda"]}
    shares = {c["id"] for c in doc["contributions"]}
    clips = {c["id"] for c in doc["clips"]}
    for a in doc["agenda"]:
        a["groups"] = [[m for m in g if m in people] for g in a["groups"]]
    for c in doc["contributions"]:
        if c["agenda_item"] not in items:
            c["agenda_item"] = None
        if c["builds_on"] not in shares:
            c["builds_on"] = None
    for c in doc["clips"]:
        if c["agenda_item"] not in items:
            c["agenda_item"] = None
    kept = []
    for r in doc["reactions"]:
        if r["clip"] not in clips:
            r["clip"] = None
        if r["contribution"] not in shares:
            r["contribution"] = None
        if r["participant"] not in people:
            r["participant"] = None
        if r["clip"] or r["contribution"]:
            kept.append(r)
    doc["reactions"] = kept
    roleplay.prune(doc)
    followup.only_exported_refs(doc)
    return doc


# ---------------------------------------------------------------- the file


ClipLocator = Callable[[str], Path | None]
"""Finds the file of a clip by its sha256 (None when it is not on this laptop)."""


@dataclass
class ExportResult:
    path: Path
    clips_written: int = 0
    clips_missing: list[str] = field(default_factory=list)


def export_workshop(
    store: Store, workshop_id: uuid.UUID, out: Path, *, clip_path: ClipLocator | None = None
) -> ExportResult:
    """Write the workshop to ``out`` (``.json``, or ``.ripple`` for a zip with the clips).

    Written to a temporary name and renamed, so a full disk never leaves half a file.
    """
    out = out.expanduser()
    refuse_writing_onto_stores(out, store.url)
    doc = workshop_document(store, workshop_id)
    if not out.parent.exists():
        raise RippleError(f"The folder {out.parent} does not exist.")
    result = ExportResult(out)
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    sources: list[tuple[str, Path]] = []
    for clip in doc["clips"]:
        src = clip_path(clip["sha256"]) if clip_path else None
        if src is None or not src.exists():
            result.clips_missing.append(clip["id"])
        else:
            sources.append((clip["file"], src))
    fd, tmp_name = tempfile.mkstemp(prefix=".ripple-export-", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if out.suffix.lower() == ".ripple":
                with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                    zf.writestr(JSON_NAME, data)
                    for name, src in sources:
                        zf.write(src, name, compress_type=zipfile.ZIP_STORED)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if out.suffix.lower() != ".ripple" and sources:
            clips_dir = out.parent / CLIPS_DIR
            clips_dir.mkdir(exist_ok=True)
            for name, src in sources:
                target = out.parent / name
                if not target.exists():
                    shutil.copyfile(src, target)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RippleError(f"The workshop could not be written to {out}: {exc.strerror or exc}.") from None
    result.clips_written = len(sources)
    return result
