"""The portable workshop file (``format: "ripple-workshop"``, ``version: 1``).

Export writes a JSON file (clip files in a ``clips/`` folder beside it) or a ``.ripple`` zip
holding both. Import is idempotent (ids are kept, a second import changes nothing) and
all-or-nothing (the whole file is checked before one transaction writes it; a bad file
changes nothing and the message names the record and the field). Unknown fields are kept in
each row's ``extra`` and written back out.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import RippleError
from app.planning.views import Changes
from app.planning.workshops import find_participant_by_email, membership_id
from db.models import (
    AGENDA_KINDS,
    CLIP_SCOPES,
    CONTRIBUTION_KINDS,
    INITIATIVES,
    REACTION_KINDS,
    WORKSHOP_STATUSES,
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

FORMAT = "ripple-workshop"
VERSION = 1
JSON_NAME = "workshop.json"


class PortableError(RippleError):
    """A portable file that cannot be imported; says which record and field."""


# ---------------------------------------------------------------- field specs


@dataclass(frozen=True)
class F:
    key: str
    attr: str
    kind: str  # uuid | str | text | time | number | bool | choice | ref
    required: bool = True
    choices: tuple[str, ...] = ()
    ref: str = ""  # section a ref points into
    default: Any = None


WORKSHOP_SPEC = (
    F("id", "id", "uuid"),
    F("title", "title", "str"),
    F("facilitator", "facilitator", "str", False, default=""),
    F("team", "team", "str", False, default=""),
    F("started_at", "started_at", "time"),
    F("location", "location", "str", False, default=""),
    F("notes", "notes", "text", False, default=""),
    F("status", "status", "choice", False, WORKSHOP_STATUSES, default="finished"),
)
PARTICIPANT_SPEC = (
    F("id", "id", "uuid"),
    F("name", "name", "str"),
    F("email", "email", "str", False),
    F("team", "team", "str", False, default=""),
)
AGENDA_SPEC = (
    F("id", "id", "uuid"),
    F("kind", "kind", "choice", True, AGENDA_KINDS),
    F("title", "title", "str"),
    F("instructions", "instructions", "text", False, default=""),
    F("minutes", "minutes", "number", False, default=10.0),
)
CONTRIBUTION_SPEC = (
    F("id", "id", "uuid"),
    F("at", "at", "time"),
    F("participant", "participant_id", "ref", ref="participants"),
    F("agenda_item", "agenda_item_id", "ref", False, ref="agenda"),
    F("kind", "kind", "choice", True, CONTRIBUTION_KINDS),
    F("initiative", "initiative", "choice", True, INITIATIVES),
    F("builds_on", "builds_on_id", "ref", False, ref="contributions"),
    F("note", "note", "text", False, default=""),
)
CLIP_SPEC = (
    F("id", "id", "uuid"),
    F("participant", "participant_id", "ref", ref="participants"),
    F("agenda_item", "agenda_item_id", "ref", False, ref="agenda"),
    F("at", "at", "time"),
    F("seconds", "seconds", "number", False, default=0.0),
    F("scope", "scope", "choice", False, CLIP_SCOPES, default="room"),
    F("sha256", "sha256", "str"),
    F("title", "title", "str", False, default=""),
)
REACTION_SPEC = (
    F("id", "id", "uuid"),
    F("at", "at", "time"),
    F("participant", "participant_id", "ref", False, ref="participants"),
    F("clip", "clip_id", "ref", False, ref="clips"),
    F("contribution", "contribution_id", "ref", False, ref="contributions"),
    F("kind", "kind", "choice", True, REACTION_KINDS),
)
# keys handled outside the specs (not "unknown")
EXTRA_KNOWN = {
    "participants": {"consent"},
    "agenda": {"groups", "group_names"},
    "clips": {"file", "width", "height", "has_audio"},
}
SECTIONS: tuple[tuple[str, tuple[F, ...]], ...] = (
    ("participants", PARTICIPANT_SPEC),
    ("agenda", AGENDA_SPEC),
    ("contributions", CONTRIBUTION_SPEC),
    ("clips", CLIP_SPEC),
    ("reactions", REACTION_SPEC),
)


# ---------------------------------------------------------------- export


def _tz(offset_min: int) -> timezone:
    return timezone(timedelta(minutes=offset_min))


def _iso(value: datetime | None, tz: timezone) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def _with_extra(d: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    if extra:
        for k, v in extra.items():
            d.setdefault(k, v)
    return d


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
        pids = [m.participant_id for m in members]
        referencing: list[Contribution | Clip | Reaction] = [*contributions, *clips, *reactions]
        for row in referencing:
            pid = row.participant_id
            if pid is not None and pid not in pids:
                pids.append(pid)
        people = {p.id: p for p in s.scalars(select(Participant).where(Participant.id.in_(pids)))} if pids else {}
        items = list(
            s.scalars(select(AgendaItem).where(AgendaItem.workshop_id == w.id).order_by(AgendaItem.position))
        )
        groups: dict[uuid.UUID, list[AgendaGroup]] = {}
        if items:
            for g in s.scalars(
                select(AgendaGroup)
                .where(AgendaGroup.agenda_item_id.in_([i.id for i in items]))
                .order_by(AgendaGroup.position)
            ):
                groups.setdefault(g.agenda_item_id, []).append(g)

        def participant(p: Participant) -> dict[str, Any]:
            return _with_extra(
                {
                    "id": str(p.id),
                    "name": p.name,
                    "email": p.email,
                    "team": p.team,
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

        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": utcnow().astimezone(tz).isoformat(),
            "workshop": _with_extra(
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
            ),
            "participants": [participant(people[pid]) for pid in pids if pid in people],
            "agenda": [
                _with_extra(
                    {
                        "id": str(i.id),
                        "kind": i.kind,
                        "title": i.title,
                        "instructions": i.instructions,
                        "minutes": i.minutes,
                        "groups": [list(g.members or []) for g in groups.get(i.id, [])],
                        "group_names": [g.name for g in groups.get(i.id, [])],
                    },
                    i.extra,
                )
                for i in items
            ],
            "contributions": [
                _with_extra(
                    {
                        "id": str(c.id),
                        "at": _iso(c.at, tz),
                        "participant": str(c.participant_id),
                        "agenda_item": str(c.agenda_item_id) if c.agenda_item_id else None,
                        "kind": c.kind,
                        "initiative": c.initiative,
                        "builds_on": str(c.builds_on_id) if c.builds_on_id else None,
                        **({"note": c.note} if c.note else {}),
                    },
                    c.extra,
                )
                for c in contributions
            ],
            "clips": [
                _with_extra(
                    {
                        "id": str(c.id),
                        "participant": str(c.participant_id),
                        "agenda_item": str(c.agenda_item_id) if c.agenda_item_id else None,
                        "at": _iso(c.at, tz),
                        "seconds": round(c.seconds, 3),
                        "scope": c.scope,
                        "sha256": c.sha256,
                        "file": f"clips/{c.id}.mp4",
                        "title": c.title,
                        "width": c.width,
                        "height": c.height,
                        "has_audio": c.has_audio,
                    },
                    c.extra,
                )
                for c in clips
            ],
            "reactions": [
                _with_extra(
                    {
                        "id": str(r.id),
                        "at": _iso(r.at, tz),
                        "participant": str(r.participant_id) if r.participant_id else None,
                        "clip": str(r.clip_id) if r.clip_id else None,
                        "contribution": str(r.contribution_id) if r.contribution_id else None,
                        "kind": r.kind,
                    },
                    r.extra,
                )
                for r in reactions
            ],
        }


ClipLocator = Callable[[str], Path | None]


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
    doc = workshop_document(store, workshop_id)
    out = out.expanduser()
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
            clips_dir = out.parent / "clips"
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


# ---------------------------------------------------------------- reading and checking


def _label(section: str, index: int, record: Any) -> str:
    rid = record.get("id") if isinstance(record, dict) else None
    return f"{section}[{index}]" + (f" (id {rid})" if isinstance(rid, str) and rid else "")


def _value(spec: F, raw: Any, where: str) -> Any:
    name = f"“{spec.key}”"
    if raw is None or (isinstance(raw, str) and not raw.strip() and spec.kind in ("uuid", "ref", "time")):
        if spec.required:
            raise PortableError(f"{where}: the field {name} is missing.")
        return spec.default
    if spec.kind in ("uuid", "ref"):
        try:
            return uuid.UUID(str(raw))
        except ValueError:
            raise PortableError(f"{where}: {name} is not an id (“{raw}”).") from None
    if spec.kind in ("str", "text"):
        if not isinstance(raw, str | int | float):
            raise PortableError(f"{where}: {name} must be text.")
        text = str(raw)
        if spec.required and not text.strip():
            raise PortableError(f"{where}: the field {name} is empty.")
        return text[:200] if spec.kind == "str" else text
    if spec.kind == "time":
        if not isinstance(raw, str):
            raise PortableError(f"{where}: {name} must be an ISO-8601 time.")
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise PortableError(f"{where}: {name} is not an ISO-8601 time (“{raw}”).") from None
        if value.tzinfo is None:
            raise PortableError(f"{where}: {name} has no time zone (“{raw}”); add one such as +01:00.")
        return value
    if spec.kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise PortableError(f"{where}: {name} must be a number.")
        if raw < 0:
            raise PortableError(f"{where}: {name} must not be negative.")
        return float(raw)
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            raise PortableError(f"{where}: {name} must be true or false.")
        return raw
    if spec.kind == "choice":
        if raw not in spec.choices:
            raise PortableError(f"{where}: {name} is “{raw}”; expected one of {', '.join(spec.choices)}.")
        return raw
    raise AssertionError(spec.kind)


def _record(section: str, specs: tuple[F, ...], index: int, raw: Any) -> dict[str, Any]:
    where = _label(section, index, raw)
    if not isinstance(raw, dict):
        raise PortableError(f"{where} is not an object.")
    rec = {s.attr: _value(s, raw.get(s.key), where) for s in specs}
    known = {s.key for s in specs} | EXTRA_KNOWN.get(section, set())
    rec["extra"] = {k: v for k, v in raw.items() if k not in known} or None
    rec["_where"] = where
    return rec


@dataclass
class Parsed:
    workshop: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]]
    clip_files: dict[str, str]  # clip id -> relative file name


def parse_document(doc: Any) -> Parsed:
    """Check a whole document; raise PortableError naming the first bad record and field."""
    if not isinstance(doc, dict):
        raise PortableError("This is not a Ripple workshop file (the top level is not an object).")
    if doc.get("format") != FORMAT:
        raise PortableError(
            f"This is not a Ripple workshop file (“format” is {doc.get('format')!r}, expected {FORMAT!r})."
        )
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PortableError("The workshop file has no valid “version”.")
    if version > VERSION:
        raise PortableError(
            f"This workshop file is version {version}, written by a newer Ripple; update Ripple to import it."
        )
    if version < 1:
        raise PortableError(f"Workshop file version {version} is not supported.")
    if not isinstance(doc.get("workshop"), dict):
        raise PortableError("The workshop file has no “workshop” object.")
    known_ws = {s.key for s in WORKSHOP_SPEC}
    workshop = {s.attr: _value(s, doc["workshop"].get(s.key), "workshop") for s in WORKSHOP_SPEC}
    workshop["extra"] = {k: v for k, v in doc["workshop"].items() if k not in known_ws} or None
    sections: dict[str, list[dict[str, Any]]] = {}
    clip_files: dict[str, str] = {}
    for name, specs in SECTIONS:
        raw_list = doc.get(name, [])
        if raw_list is None:
            raw_list = []
        if not isinstance(raw_list, list):
            raise PortableError(f"“{name}” must be a list.")
        records = []
        seen: set[uuid.UUID] = set()
        for i, raw in enumerate(raw_list):
            rec = _record(name, specs, i, raw)
            if rec["id"] in seen:
                raise PortableError(f"{rec['_where']}: the id appears twice in “{name}”.")
            seen.add(rec["id"])
            if name == "participants":
                rec["consent"] = _consent(raw.get("consent"), rec["_where"])
            elif name == "agenda":
                rec["groups"], rec["group_names"] = _groups(raw, rec["_where"])
            elif name == "clips":
                if not isinstance(rec["sha256"], str) or len(rec["sha256"]) != 64:
                    raise PortableError(f"{rec['_where']}: “sha256” is not a SHA-256 hex digest.")
                rec["sha256"] = rec["sha256"].lower()
                for key, kind in (("width", int), ("height", int), ("has_audio", bool)):
                    value = raw.get(key)
                    if value is not None and isinstance(value, kind):
                        rec[key] = value
                if isinstance(raw.get("file"), str):
                    clip_files[str(rec["id"])] = raw["file"]
            elif name == "reactions" and rec["clip_id"] is None and rec["contribution_id"] is None:
                raise PortableError(f"{rec['_where']}: a reaction needs a “clip” or a “contribution”.")
            records.append(rec)
        sections[name] = records
    _check_refs(sections)
    return Parsed(workshop, sections, clip_files)


def _consent(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {"video": False, "community": False, "analytics": False, "at": None, "by": ""}
    if not isinstance(raw, dict):
        raise PortableError(f"{where}: “consent” must be an object.")
    out: dict[str, Any] = {}
    for scope in ("video", "community", "analytics"):
        value = raw.get(scope, False)
        if not isinstance(value, bool):
            raise PortableError(f"{where}: “consent.{scope}” must be true or false.")
        out[scope] = value
    out["at"] = _value(F("at", "at", "time", False), raw.get("at"), where + " consent")
    by = raw.get("by") or ""
    out["by"] = str(by)[:200]
    return out


def _groups(raw: dict[str, Any], where: str) -> tuple[list[list[uuid.UUID]], list[str]]:
    groups = raw.get("groups") or []
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise PortableError(f"{where}: “groups” must be a list of lists of participant ids.")
    out = []
    for gi, g in enumerate(groups):
        members = []
        for pid in g:
            try:
                members.append(uuid.UUID(str(pid)))
            except ValueError:
                raise PortableError(f"{where}: “groups[{gi}]” holds “{pid}”, which is not an id.") from None
        out.append(members)
    names = raw.get("group_names")
    if not isinstance(names, list) or len(names) != len(out):
        names = [f"Group {i + 1}" for i in range(len(out))]
    return out, [str(n)[:100] for n in names]


def _check_refs(sections: dict[str, list[dict[str, Any]]]) -> None:
    ids = {name: {r["id"] for r in recs} for name, recs in sections.items()}
    for name, specs in SECTIONS:
        for rec in sections[name]:
            for spec in specs:
                if spec.kind == "ref" and rec[spec.attr] is not None and rec[spec.attr] not in ids[spec.ref]:
                    raise PortableError(
                        f"{rec['_where']}: “{spec.key}” refers to {rec[spec.attr]}, which is not in “{spec.ref}”."
                    )
            if name == "agenda":
                for gi, g in enumerate(rec["groups"]):
                    for pid in g:
                        if pid not in ids["participants"]:
                            raise PortableError(
                                f"{rec['_where']}: “groups[{gi}]” names {pid}, which is not in “participants”."
                            )
    by_id = {c["id"]: c for c in sections["contributions"]}
    for c in sections["contributions"]:
        seen = {c["id"]}
        cur = c
        while cur["builds_on_id"] is not None:
            if cur["builds_on_id"] in seen:
                raise PortableError(f"{c['_where']}: “builds_on” forms a loop.")
            seen.add(cur["builds_on_id"])
            cur = by_id[cur["builds_on_id"]]


# ---------------------------------------------------------------- import


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


@contextmanager
def _opened(path: Path) -> Iterator[tuple[Any, Callable[[str], Path | None]]]:
    """Yield the parsed JSON and a function that finds a clip file by its relative name."""
    path = path.expanduser()
    if not path.exists():
        raise PortableError(f"There is no file {path}.")
    if zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="ripple-import-") as tmp:
            try:
                with zipfile.ZipFile(path) as zf:
                    names = zf.namelist()
                    json_name = JSON_NAME if JSON_NAME in names else next(
                        (n for n in names if n.endswith(".json")), None
                    )
                    if json_name is None:
                        raise PortableError(f"{path.name} holds no workshop JSON.")
                    doc = _loads(zf.read(json_name), path)
                    root = Path(tmp)
                    for n in names:
                        if n.startswith("clips/") and not n.endswith("/") and ".." not in n:
                            zf.extract(n, root)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise PortableError(f"{path.name} is a damaged .ripple file ({exc}).") from None
            yield doc, lambda rel: _safe(root, rel)
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PortableError(f"Ripple cannot read {path}: {exc.strerror or exc}.") from None
        doc = _loads(data, path)
        yield doc, lambda rel: _safe(path.parent, rel)


def _safe(root: Path, rel: str) -> Path | None:
    candidate = (root / rel).resolve()
    if root.resolve() not in candidate.parents:
        return None
    return candidate if candidate.is_file() else None


def _loads(data: bytes, path: Path) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PortableError(f"{path.name} is not a text file in UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise PortableError(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None


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
    with _opened(path) as (doc, find):
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


def _set(row: Any, values: dict[str, Any]) -> bool:
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


def _fields(rec: dict[str, Any], specs: tuple[F, ...]) -> dict[str, Any]:
    return {s.attr: rec[s.attr] for s in specs if s.attr != "id"} | {"extra": rec["extra"]}


def _write(store: Store, parsed: Parsed) -> ImportResult:
    changes = Changes()
    with store.write() as s:
        w = parsed.workshop
        off = w["started_at"].utcoffset() or timedelta(0)
        ws_values = _fields(w, WORKSHOP_SPEC) | {"utc_offset_min": int(off.total_seconds() // 60)}
        existing_ws = s.get(Workshop, w["id"], execution_options={"include_deleted": True})
        if existing_ws is not None:
            # The live state on this laptop is newer than any file's idea of it.
            ws_values.pop("status")
        _upsert(s, Workshop, w["id"], ws_values, "workshop", changes)

        # People: the same e-mail already known under another id is the same person.
        remap: dict[uuid.UUID, uuid.UUID] = {}
        for i, p in enumerate(parsed.sections["participants"]):
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
            mid = membership_id(w["id"], pid)
            m = s.get(WorkshopParticipant, mid, execution_options={"include_deleted": True})
            if m is None:
                s.add(WorkshopParticipant(id=mid, workshop_id=w["id"], participant_id=pid, position=i))
            elif m.deleted_at is not None:
                m.deleted_at = None

        def pid_of(value: uuid.UUID | None) -> uuid.UUID | None:
            return remap.get(value, value) if value is not None else None

        for i, a in enumerate(parsed.sections["agenda"]):
            _upsert(s, AgendaItem, a["id"], _fields(a, AGENDA_SPEC) | {"workshop_id": w["id"], "position": i},
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
