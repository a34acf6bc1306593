"""Reading a portable file: JSON or a ``.ripple`` zip, checked whole before anything is written.

The whole document is checked first (every record against the spec, then every reference
and the ``builds_on`` chains), so a bad file changes nothing and the message names the first
bad record and field. Clip files are found by their relative name, never outside the file's
folder (or the zip's temporary folder).
"""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from app.errors import RippleError
from app.platform.gc_pause import paused
from app.platform.inputs import MB, read_regular, regular_file
from app.platform.leftovers import make_import_dir
from app.portable import roleplay
from app.portable.followup import EXTRA_KNOWN as FOLLOWUP_EXTRA
from app.portable.followup import SECTIONS as FOLLOWUP_SECTIONS
from app.portable.followup import check_extras, check_one_per_person
from app.portable.spec import (
    CLIPS_DIR,
    FORMAT,
    JSON_NAME,
    SECTIONS,
    VERSION,
    WORKSHOP_SPEC,
    Field,
    IdCache,
    PortableError,
    field_value,
    record_checker,
)
from db import limits
from db.hlc import is_stamp


@dataclass
class Parsed:
    """A checked document: values by column, ready to apply (see ``app.portable.apply``)."""

    workshop: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]]
    clip_files: dict[str, str]  # clip id -> relative file name
    #: when the file was written (None: it does not say): an erasure here after it means the
    #: file's copy of that person is older than the erasure (app/portable/people.py)
    exported_at: datetime | None = None
    #: the writing store's clock when it wrote the file, later than every version in it
    #: (None: it does not say; then ``exported_at`` stands in)
    clock: str | None = None


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
    workshop = {s.attr: field_value(s, doc["workshop"].get(s.key), "workshop", "workshops")
                for s in WORKSHOP_SPEC}
    workshop["extra"] = {k: v for k, v in doc["workshop"].items() if k not in known_ws} or None
    sections: dict[str, list[dict[str, Any]]] = {}
    clip_files: dict[str, str] = {}
    ids: IdCache = {}
    with paused():  # a few hundred thousand dicts and no cycles: each collection would walk them all
        for name, specs in (*SECTIONS, *FOLLOWUP_SECTIONS):
            sections[name] = _section(name, specs, doc.get(name, []), clip_files, ids)
        _check_refs(sections)
        roleplay.parse(doc, sections, ids)  # scenarios, rounds, markers, ratings (optional sections)
    check_one_per_person(sections["commitments"])
    exported_at = field_value(_EXPORTED_AT, doc.get("exported_at"), "The file")
    clock = doc.get("clock")
    if clock is not None and not is_stamp(clock):
        raise PortableError(f"The file: “clock” is not a Ripple version stamp (“{str(clock)[:60]}”).")
    return Parsed(workshop, sections, clip_files, exported_at, clock)


_EXPORTED_AT = Field("exported_at", "exported_at", "time", required=False)


def _record_extras(name: str, clip_files: dict[str, str]) -> Callable[[dict[str, Any], dict[str, Any]], None] | None:
    """What a section checks of a record beyond its fields (None: nothing)."""
    if name == "participants":
        def consent(rec: dict[str, Any], raw: dict[str, Any]) -> None:
            rec["consent"] = _consent(raw.get("consent"), rec["_where"])
        return consent
    if name == "agenda":
        def groups(rec: dict[str, Any], raw: dict[str, Any]) -> None:
            rec["groups"], rec["group_names"] = _groups(raw, rec["_where"])
        return groups
    if name == "clips":
        return lambda rec, raw: _clip_extras(rec, raw, clip_files)
    if name == "reactions":
        def target(rec: dict[str, Any], _raw: dict[str, Any]) -> None:
            if rec["clip_id"] is None and rec["contribution_id"] is None:
                raise PortableError(f"{rec['_where']}: a reaction needs a “clip” or a “contribution”.")
        return target
    if name in FOLLOWUP_EXTRA:
        return lambda rec, raw: check_extras(name, rec, raw)
    return None


def _section(
    name: str, specs: tuple[Field, ...], raw_list: Any, clip_files: dict[str, str], ids: IdCache
) -> list[dict[str, Any]]:
    """The checked records of one section; clip file names are collected in ``clip_files``."""
    if raw_list is None:
        raw_list = []
    if not isinstance(raw_list, list):
        raise PortableError(f"“{name}” must be a list.")
    records: list[dict[str, Any]] = []
    seen: set[int] = set()  # ids as numbers: a UUID's own hash is Python code, an int's is not
    check, extras = record_checker(name, specs, ids), _record_extras(name, clip_files)
    for i, raw in enumerate(raw_list):
        rec = check(i, raw)
        seen.add(rec["id"].int)
        if len(seen) == i:
            raise PortableError(f"{rec['_where']}: the id appears twice in “{name}”.")
        if extras is not None:
            extras(rec, raw)
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
    out["by"] = str(by)
    wrong = limits.problem("consent_events", "by", out["by"])
    if wrong is not None:
        raise PortableError(f"{where}: “consent.by” is refused: {wrong}.")
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
    for gi, n in enumerate(names):
        wrong = limits.problem("agenda_groups", "name", str(n))
        if wrong is not None:
            raise PortableError(f"{where}: “group_names[{gi}]” is refused: {wrong}.")
    return out, [str(n) for n in names]


def _check_refs(sections: dict[str, list[dict[str, Any]]]) -> None:
    ids = {name: {r["id"].int for r in recs} for name, recs in sections.items()}
    if any(_dangling(sections, name, specs, ids) for name, specs in (*SECTIONS, *FOLLOWUP_SECTIONS)):
        _name_dangling(sections, ids)
    _check_chains(sections["contributions"])


def _dangling(sections: dict[str, list[dict[str, Any]]], name: str, specs: tuple[Field, ...],
              ids: dict[str, set[int]]) -> bool:
    """Whether any reference of section ``name`` points at no record: the fast test, over the
    distinct values of each field (a file names few people many times)."""
    records = sections[name]
    for spec in specs:
        if spec.kind == "ref":
            used = {u.int for u in map(itemgetter(spec.attr), records) if u is not None}
            if not used <= ids[spec.ref]:
                return True
    if name == "agenda":
        named = {pid.int for rec in records for g in rec["groups"] for pid in g}
        return not named <= ids["participants"]
    return False


def _name_dangling(sections: dict[str, list[dict[str, Any]]], ids: dict[str, set[int]]) -> None:
    """Raise for the first record (in file order) with a reference that points at nothing."""
    for name, specs in (*SECTIONS, *FOLLOWUP_SECTIONS):
        refs = [(spec, ids[spec.ref]) for spec in specs if spec.kind == "ref"]
        for rec in sections[name]:
            for spec, known in refs:
                value = rec[spec.attr]
                if value is not None and value.int not in known:
                    raise PortableError(
                        f"{rec['_where']}: “{spec.key}” refers to {value}, which is not in “{spec.ref}”."
                    )
            if name == "agenda":
                for gi, g in enumerate(rec["groups"]):
                    for pid in g:
                        if pid.int not in ids["participants"]:
                            raise PortableError(
                                f"{rec['_where']}: “groups[{gi}]” names {pid}, which is not in “participants”."
                            )


def _check_chains(contributions: list[dict[str, Any]]) -> None:
    """No ``builds_on`` loop, in time linear in the file: every contribution is walked once,
    a chain stops at the first contribution an earlier walk has passed (that one ends without
    a loop), and meeting one this walk has passed is a loop."""
    place = {c["id"].int: n for n, c in enumerate(contributions)}
    if all(b is None or place.get(b.int, -1) < n for n, b in enumerate(map(itemgetter("builds_on_id"), contributions))):
        return  # each builds on one before it (as files are written): no loop can close
    then = {c["id"].int: (b.int if (b := c["builds_on_id"]) is not None else None) for c in contributions}
    walked: dict[int, int] = {}  # contribution → the walk that passed it
    for n, c in enumerate(contributions):
        cur: int | None = c["id"].int
        while cur is not None and cur not in walked:
            walked[cur] = n
            cur = then.get(cur)
        if cur is not None and walked[cur] == n:
            raise PortableError(f"{c['_where']}: “builds_on” forms a loop.")


# ---------------------------------------------------------------- the file


#: The largest workshop JSON read (a 200,000-contribution workshop is about 60 MB).
MAX_JSON_BYTES = 256 * MB
#: The largest clip file taken from a ``.ripple`` (a 90 s 1080p clip is a few tens of MB).
MAX_CLIP_BYTES = 512 * MB
_READ_BLOCK = 1024 * 1024


@contextmanager
def opened(path: Path) -> Iterator[tuple[Any, Callable[[str], Path | None]]]:
    """Yield the parsed JSON and a function that finds a clip file by its relative name.

    Only ordinary files are read (never a device or a pipe); nothing is inflated beyond its
    limit, whatever the zip's headers claim; a clip file is unpacked only when asked for (a
    clip the document references), into a temporary folder removed afterwards (or, after a
    kill, at the next start: :mod:`app.platform.leftovers`)."""
    try:
        path = regular_file(path, "a Ripple workshop file")
    except PortableError:
        raise
    except RippleError as exc:
        raise PortableError(str(exc)) from None
    if zipfile.is_zipfile(path):
        tmp = make_import_dir()
        try:
            with _zip(path) as zf:
                doc = _loads(_inflate(zf, _json_entry(zf, path), MAX_JSON_BYTES, path), path)
                yield doc, lambda rel: _extract(zf, rel, tmp, path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        try:
            data = read_regular(path, "a Ripple workshop file", max_bytes=MAX_JSON_BYTES)
        except RippleError as exc:
            raise PortableError(str(exc)) from None
        doc = _loads(data, path)
        yield doc, lambda rel: _safe(path.parent, rel)


@contextmanager
def _zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(path) as zf:
            yield zf
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise PortableError(f"{path.name} is a damaged .ripple file ({exc}).") from None
    except OSError as exc:
        raise PortableError(f"{path.name} could not be read ({exc.strerror or exc}).") from None


def _json_entry(zf: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    names = zf.namelist()
    name = JSON_NAME if JSON_NAME in names else next((n for n in names if n.endswith(".json")), None)
    if name is None:
        raise PortableError(f"{path.name} holds no workshop JSON.")
    return zf.getinfo(name)


def _check_entry(info: zipfile.ZipInfo, path: Path) -> None:
    if info.flag_bits & 0x1:
        raise PortableError(
            f"{path.name} is protected by a password ({info.filename}); export it again without one."
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PortableError(
            f"{path.name} is compressed in a way Ripple does not read ({info.filename}, method "
            f"{info.compress_type}); zip it again with ordinary (deflate) compression."
        )


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, path: Path) -> bytes:
    """The entry's bytes, read a block at a time and stopped past ``limit`` (a zip bomb's
    headers may claim anything)."""
    _check_entry(info, path)
    if info.file_size > limit:
        raise PortableError(f"{path.name}: {info.filename} is larger than Ripple reads ({limit // MB} MB).")
    out = bytearray()
    with zf.open(info) as fh:
        while block := fh.read(_READ_BLOCK):
            out += block
            if len(out) > limit:
                raise PortableError(
                    f"{path.name}: {info.filename} unpacks to more than Ripple reads ({limit // MB} MB)."
                )
    return bytes(out)


def _extract(zf: zipfile.ZipFile, rel: str, root: Path, path: Path) -> Path | None:
    """Unpack one clip file (streamed, at most :data:`MAX_CLIP_BYTES`) and return where it is;
    None when the zip has no such file or the name points outside ``clips/``."""
    name = rel.replace("\\", "/")
    parts = name.split("/")
    if not name.startswith(CLIPS_DIR + "/") or any(p in ("", ".", "..") for p in parts):
        return None
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    _check_entry(info, path)
    if info.file_size > MAX_CLIP_BYTES:
        raise PortableError(f"{path.name}: {name} is larger than a clip can be ({MAX_CLIP_BYTES // MB} MB).")
    target = root / uuid.uuid4().hex / parts[-1]  # the file's own name, for messages
    target.parent.mkdir()
    written = 0
    try:
        with zf.open(info) as src, target.open("wb") as dst:
            while block := src.read(_READ_BLOCK):
                written += len(block)
                if written > MAX_CLIP_BYTES:
                    raise PortableError(
                        f"{path.name}: {name} unpacks to more than a clip can be ({MAX_CLIP_BYTES // MB} MB)."
                    )
                dst.write(block)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise PortableError(f"{path.name} is a damaged .ripple file ({exc}).") from None
    except OSError as exc:
        raise PortableError(f"{name} could not be unpacked from {path.name} ({exc.strerror or exc}).") from None
    return target


def _safe(root: Path, rel: str) -> Path | None:
    candidate = (root / rel).resolve()
    if root.resolve() not in candidate.parents:
        return None
    return candidate if candidate.is_file() else None


def _refuse_constant(name: str) -> Any:
    raise PortableError(f"holds {name}, which is not a number JSON allows")


def _loads(data: bytes, path: Path) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PortableError(f"{path.name} is not a text file in UTF-8.") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except PortableError as exc:
        raise PortableError(f"{path.name} {exc}.") from None
    except json.JSONDecodeError as exc:
        raise PortableError(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    except RecursionError:
        raise PortableError(f"{path.name} nests brackets too deep to be a workshop file.") from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise PortableError(f"{path.name} is not a workshop file ({exc}).") from None
