"""Reading a portable file: JSON or a ``.ripple`` zip, checked whole before anything is written.

The whole document is checked first (every record against the spec, then every reference
and the ``builds_on`` chains), so a bad file changes nothing and the message names the first
bad record and field. Clip files are found by their relative name, never outside the file's
folder (or the zip's temporary folder).
"""

from __future__ import annotations

import json
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.portable import roleplay
from app.portable.spec import (
    CLIPS_DIR,
    FORMAT,
    JSON_NAME,
    SECTIONS,
    VERSION,
    WORKSHOP_SPEC,
    Field,
    PortableError,
    check_record,
    field_value,
)


@dataclass
class Parsed:
    """A checked document: values by column, ready to apply (see ``app.portable.apply``)."""

    workshop: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]]
    clip_files: dict[str, str]  # clip id -> relative file name


def _check_version(doc: Any) -> None:
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


def parse_document(doc: Any) -> Parsed:
    """Check a whole document; raise PortableError naming the first bad record and field."""
    _check_version(doc)
    if not isinstance(doc.get("workshop"), dict):
        raise PortableError("The workshop file has no “workshop” object.")
    known_ws = {s.key for s in WORKSHOP_SPEC}
    workshop = {s.attr: field_value(s, doc["workshop"].get(s.key), "workshop") for s in WORKSHOP_SPEC}
    workshop["extra"] = {k: v for k, v in doc["workshop"].items() if k not in known_ws} or None
    sections: dict[str, list[dict[str, Any]]] = {}
    clip_files: dict[str, str] = {}
    for name, specs in SECTIONS:
        sections[name] = _section(name, specs, doc.get(name, []), clip_files)
    _check_refs(sections)
    roleplay.parse(doc, sections)  # scenarios, rounds, markers, ratings (optional sections)
    return Parsed(workshop, sections, clip_files)


def _section(
    name: str, specs: tuple[Field, ...], raw_list: Any, clip_files: dict[str, str]
) -> list[dict[str, Any]]:
    """The checked records of one section; clip file names are collected in ``clip_files``."""
    if raw_list is None:
        raw_list = []
    if not isinstance(raw_list, list):
        raise PortableError(f"“{name}” must be a list.")
    records = []
    seen: set[uuid.UUID] = set()
    for i, raw in enumerate(raw_list):
        rec = check_record(name, specs, i, raw)
        if rec["id"] in seen:
            raise PortableError(f"{rec['_where']}: the id appears twice in “{name}”.")
        seen.add(rec["id"])
        if name == "participants":
            rec["consent"] = _consent(raw.get("consent"), rec["_where"])
        elif name == "agenda":
            rec["groups"], rec["group_names"] = _groups(raw, rec["_where"])
        elif name == "clips":
            _clip_extras(rec, raw, clip_files)
        elif name == "reactions" and rec["clip_id"] is None and rec["contribution_id"] is None:
            raise PortableError(f"{rec['_where']}: a reaction needs a “clip” or a “contribution”.")
        records.append(rec)
    return records


def _clip_extras(rec: dict[str, Any], raw: dict[str, Any], clip_files: dict[str, str]) -> None:
    if not isinstance(rec["sha256"], str) or len(rec["sha256"]) != 64:
        raise PortableError(f"{rec['_where']}: “sha256” is not a SHA-256 hex digest.")
    rec["sha256"] = rec["sha256"].lower()
    for key, kind in (("width", int), ("height", int), ("has_audio", bool)):
        value = raw.get(key)
        if value is not None and isinstance(value, kind):
            rec[key] = value
    if isinstance(raw.get("file"), str):
        clip_files[str(rec["id"])] = raw["file"]


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
    out["at"] = field_value(Field("at", "at", "time", False), raw.get("at"), where + " consent")
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


# ---------------------------------------------------------------- the file


@contextmanager
def opened(path: Path) -> Iterator[tuple[Any, Callable[[str], Path | None]]]:
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
                        if n.startswith(CLIPS_DIR + "/") and not n.endswith("/") and ".." not in n:
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
