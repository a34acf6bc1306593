"""A subject access export: everything the store holds about one person, as a zip of readable
JSON files, their clip files and a README.txt that says what each file is.

Sections are plain functions in :data:`SECTIONS` (name, what it holds, how to read it from a
session), so a feature that adds data about people adds its section here in a few lines —
role plays (ratings and markers about the person) and commitments are looked up when their
tables exist (:func:`_rows_about`), so they show up without this module changing. Other
people appear only as ids (their names are theirs, not the requester's).
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.clips.library import ClipLibrary
from app.errors import NotFound, RippleError
from db import models
from db.consent import decide
from db.consent import events_of as consent_events_of
from db.models import (
    AgendaItem,
    CheckIn,
    Clip,
    Commitment,
    Contribution,
    ExportRecord,
    Participant,
    Reaction,
    Workshop,
    WorkshopParticipant,
)
from db.store import Store
from db.types import utcnow

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Section:
    """One JSON file of the export."""

    name: str  # the file is ``<name>.json``
    about: str  # one line for the README
    read: Callable[[Session, uuid.UUID], Rows | dict[str, Any]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _row(obj: Any, *columns: str) -> dict[str, Any]:
    return {c: _plain(getattr(obj, c)) for c in columns}


def _profile(s: Session, pid: uuid.UUID) -> dict[str, Any]:
    p = s.get(Participant, pid, execution_options={"include_deleted": True})
    assert p is not None
    out = _row(p, "id", "name", "email", "team", "consent_video", "consent_community", "consent_analytics",
               "consent_at", "consent_by", "created_at", "updated_at", "erased_at")
    out["kept_from_files"] = p.extra
    return out


def _consent(s: Session, pid: uuid.UUID) -> Rows:
    events = consent_events_of(s.connection(), [pid])[pid]
    deciding = {decide(events, scope).event for scope in ("video", "community", "analytics")}
    return [{"scope": e.scope, "granted": e.granted, "at": _plain(e.at), "recorded_by": e.by,
             "decides_today": e in deciding} for e in sorted(events, key=lambda e: (e.at, str(e.id)))]


def _workshops(s: Session, pid: uuid.UUID) -> Rows:
    rows = s.execute(select(Workshop, WorkshopParticipant).join(
        WorkshopParticipant, WorkshopParticipant.workshop_id == Workshop.id).where(
        WorkshopParticipant.participant_id == pid))
    return [_row(w, "id", "title", "facilitator", "team", "started_at", "location") | {"hotkey": m.hotkey}
            for w, m in rows]


def _contributions(s: Session, pid: uuid.UUID) -> Rows:
    items = {i.id: i.title for i in s.scalars(select(AgendaItem))}
    out = []
    for c in s.scalars(select(Contribution).where(Contribution.participant_id == pid).order_by(Contribution.at)):
        row = _row(c, "id", "workshop_id", "at", "kind", "initiative", "builds_on_id", "note")
        row["agenda_item"] = items.get(c.agenda_item_id) if c.agenda_item_id else None
        row["kept_from_files"] = c.extra
        out.append(row)
    return out


def _clips(s: Session, pid: uuid.UUID) -> Rows:
    return [
        _row(c, "id", "workshop_id", "at", "seconds", "scope", "title", "sha256", "width", "height")
        | {"file": f"clips/{c.id}.mp4", "kept_from_files": c.extra}
        for c in s.scalars(select(Clip).where(Clip.participant_id == pid).order_by(Clip.at))
    ]


def _reactions(s: Session, pid: uuid.UUID) -> dict[str, Any]:
    mine_clips = select(Clip.id).where(Clip.participant_id == pid)
    mine_shares = select(Contribution.id).where(Contribution.participant_id == pid)
    given = [_row(r, "id", "at", "kind", "clip_id", "contribution_id")
             for r in s.scalars(select(Reaction).where(Reaction.participant_id == pid))]
    received = [_row(r, "at", "kind", "clip_id", "contribution_id") for r in s.scalars(
        select(Reaction).where(or_(Reaction.clip_id.in_(mine_clips), Reaction.contribution_id.in_(mine_shares))))]
    return {"given": given, "received_on_their_clips_and_shares": received}


def _rows_about(model_names: tuple[str, ...], columns: tuple[str, ...]) -> Callable[[Session, uuid.UUID], Rows]:
    """Rows of tables other features add (role plays, commitments) that point at the person
    through any of ``columns``; nothing while the table does not exist yet."""

    def read(s: Session, pid: uuid.UUID) -> Rows:
        out: Rows = []
        for name in model_names:
            model = getattr(models, name, None)
            if model is None:
                continue
            cols = [getattr(model, c) for c in columns if hasattr(model, c)]
            if not cols:
                continue
            for row in s.scalars(select(model).where(or_(*(c == pid for c in cols)))):
                fields = [a.key for a in row.__mapper__.column_attrs
                          if a.key not in ("hlc", "origin", "seq", "versions", "deleted_at")]
                out.append({"table": model.__tablename__, **_row(row, *fields)})
        return out

    return read


def _rounds(s: Session, pid: uuid.UUID) -> Rows:
    """Role-play rounds they were cast in (``casting`` holds ids as text), with the markers
    dropped in them (moments of their play, whoever dropped them)."""
    round_model, marker_model = getattr(models, "Round", None), getattr(models, "Marker", None)
    if round_model is None:
        return []
    out: Rows = []
    for r in s.scalars(select(round_model)):
        cast = [c for c in (r.casting or []) if isinstance(c, dict) and c.get("participant") in (str(pid), pid.hex)]
        if not cast:
            continue
        markers = [] if marker_model is None else [
            _row(m, "at_s", "criterion", "polarity", "note")
            for m in s.scalars(select(marker_model).where(marker_model.round_id == r.id))]
        out.append({"round": str(r.id), "number": r.number, "roles": [c.get("role") for c in cast],
                    "started_at": _plain(r.started_at), "clip_id": _plain(r.clip_id), "markers": markers})
    return out


def _commitments(s: Session, pid: uuid.UUID) -> Rows:
    """Their commitments with every check-in on them, and the commitments that name them as
    buddy (someone else's words, but about them)."""
    out: Rows = []
    for c in s.scalars(select(Commitment).where(or_(Commitment.participant_id == pid, Commitment.buddy_id == pid))
                       .order_by(Commitment.at)):
        check_ins = [_row(k, "at", "rating", "note")
                     for k in s.scalars(select(CheckIn).where(CheckIn.commitment_id == c.id).order_by(CheckIn.at))]
        out.append(_row(c, "id", "workshop_id", "at", "text", "buddy_id", "check_ins_due")
                   | {"theirs": c.participant_id == pid, "check_ins": check_ins})
    return out


def _exports(s: Session, pid: uuid.UUID) -> Rows:
    out = []
    for r in s.scalars(select(ExportRecord).order_by(ExportRecord.at)):
        included = (r.filters or {}).get("included") or []
        if pid.hex in included:
            filters = {k: v for k, v in (r.filters or {}).items() if k != "included"}
            out.append(_row(r, "at", "by", "format", "rows", "target") | {"filters": filters})
    return out


SECTIONS: list[Section] = [
    Section("profile", "who they are here: name, e-mail, team, consent now, fields kept from files", _profile),
    Section("consent_history", "every recorded change of their consent: what, when, by whom", _consent),
    Section("workshops", "the workshops they were on the roster of", _workshops),
    Section("contributions", "every share logged for them, with the trainer's note", _contributions),
    Section("clips", "their clips (the files are in clips/)", _clips),
    Section("reactions", "reactions they gave, and those their clips and shares received", _reactions),
    Section("role_play_rounds", "role-play rounds they played in, with the markers dropped in them", _rounds),
    Section("role_play_ratings", "ratings and markers about them or by them",
            _rows_about(("Rating", "Marker"), ("player_id", "rater_id", "by_id"))),
    Section("commitments", "their commitments with their check-ins, and commitments naming them as buddy",
            _commitments),
    Section("exports", "the L&D exports that listed them (who ran them, when, with which filters)", _exports),
]

README = """Everything Ripple's store holds about one person (a subject access export).

Person: {name} ({pid})
Made: {made} from the store {store}

Each file is JSON (UTF-8), one per kind of data:
{files}
  clips/           the clip files themselves (MP4, H.264 + AAC)

Other people appear only by their ids. Times are ISO-8601 with their time zone.
"kept_from_files" are fields a portable workshop file carried that this Ripple does not use.
Influence scores are not stored: they are computed from the contributions above when an
export or a screen asks, and only for people who consented to analytics.
"""


def export_person(store: Store, pid: uuid.UUID, out: Path, library: ClipLibrary | None = None) -> Path:
    """Write the subject access zip for ``pid`` to ``out`` (a temporary name, then renamed)."""
    out = out.expanduser()
    if not out.parent.is_dir():
        raise RippleError(f"The folder {out.parent} does not exist.")
    with store.read() as s:
        person = s.get(Participant, pid, execution_options={"include_deleted": True})
        if person is None:
            raise NotFound(f"There is no participant with id {pid}.")
        data = {sec.name: sec.read(s, pid) for sec in SECTIONS}
    files = "\n".join(f"  {sec.name + '.json':<17}{sec.about}" for sec in SECTIONS)
    readme = README.format(name=person.name, pid=pid, made=utcnow().isoformat(timespec="seconds"),
                           store=store.masked_url, files=files)
    fd, tmp_name = tempfile.mkstemp(prefix=".ripple-access-", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("README.txt", readme)
            for name, value in data.items():
                zf.writestr(f"{name}.json", json.dumps(value, ensure_ascii=False, indent=2, default=_plain))
            clips: Rows = data["clips"]  # type: ignore[assignment]
            for clip in clips:
                src = library.path_if_present(clip["sha256"]) if library else None
                if src is not None:
                    zf.write(src, clip["file"], compress_type=zipfile.ZIP_STORED)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RippleError(f"The export could not be written to {out}: {exc.strerror or exc}.") from None
    return out
