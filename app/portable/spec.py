"""The portable workshop file's spec (``format: "ripple-workshop"``, ``version: 1``).

Export writes a JSON file (clip files in a ``clips/`` folder beside it) or a ``.ripple`` zip
holding both. Every section is a list of records whose fields are declared here once, so
writing, checking and applying a file agree on names, kinds and defaults; a bad field is
reported as a sentence naming the record and the field. Unknown fields are kept in each
row's ``extra`` and written back out.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.errors import RippleError
from db import limits
from db.models import (
    AGENDA_KINDS,
    CLIP_SCOPES,
    CONTRIBUTION_KINDS,
    INITIATIVES,
    REACTION_KINDS,
    WORKSHOP_STATUSES,
)

FORMAT = "ripple-workshop"
VERSION = 1
JSON_NAME = "workshop.json"
#: The folder of clip files, beside the JSON or inside the zip.
CLIPS_DIR = "clips"


class PortableError(RippleError):
    """A portable file that cannot be imported; says which record and field."""


@dataclass(frozen=True)
class Field:
    """One field of a record: its key in the file, its column, and how to check it."""

    key: str
    attr: str
    kind: str  # uuid | str | text | time | number | bool | choice | ref
    required: bool = True
    choices: tuple[str, ...] = ()
    ref: str = ""  # section a ref points into
    default: Any = None
    maximum: float | None = None  # the largest a number may be


WORKSHOP_SPEC = (
    Field("id", "id", "uuid"),
    Field("title", "title", "str"),
    Field("facilitator", "facilitator", "str", False, default=""),
    Field("team", "team", "str", False, default=""),
    Field("started_at", "started_at", "time"),
    Field("location", "location", "str", False, default=""),
    Field("notes", "notes", "text", False, default=""),
    Field("status", "status", "choice", False, WORKSHOP_STATUSES, default="finished"),
)
PARTICIPANT_SPEC = (
    Field("id", "id", "uuid"),
    Field("name", "name", "str"),
    Field("email", "email", "str", False),
    Field("team", "team", "str", False, default=""),
    # When the writing store first had this person (optional: files before it say nothing).
    # An erasure reaches a file person created no later than it, whenever the file was
    # written (app/portable/people.py), as a sync's does (app/erased_people.py).
    Field("created_at", "created_at", "time", False),
)
AGENDA_SPEC = (
    Field("id", "id", "uuid"),
    Field("kind", "kind", "choice", True, AGENDA_KINDS),
    Field("title", "title", "str"),
    Field("instructions", "instructions", "text", False, default=""),
    Field("minutes", "minutes", "number", False, default=10.0, maximum=24 * 60),
)
CONTRIBUTION_SPEC = (
    Field("id", "id", "uuid"),
    Field("at", "at", "time"),
    Field("participant", "participant_id", "ref", ref="participants"),
    Field("agenda_item", "agenda_item_id", "ref", False, ref="agenda"),
    Field("kind", "kind", "choice", True, CONTRIBUTION_KINDS),
    Field("initiative", "initiative", "choice", True, INITIATIVES),
    Field("builds_on", "builds_on_id", "ref", False, ref="contributions"),
    Field("note", "note", "text", False, default=""),
)
CLIP_SPEC = (
    Field("id", "id", "uuid"),
    Field("participant", "participant_id", "ref", ref="participants"),
    Field("agenda_item", "agenda_item_id", "ref", False, ref="agenda"),
    Field("at", "at", "time"),
    Field("seconds", "seconds", "number", False, default=0.0, maximum=24 * 3600),
    Field("scope", "scope", "choice", False, CLIP_SCOPES, default="room"),
    Field("sha256", "sha256", "str"),
    Field("title", "title", "str", False, default=""),
)
REACTION_SPEC = (
    Field("id", "id", "uuid"),
    Field("at", "at", "time"),
    Field("participant", "participant_id", "ref", False, ref="participants"),
    Field("clip", "clip_id", "ref", False, ref="clips"),
    Field("contribution", "contribution_id", "ref", False, ref="contributions"),
    Field("kind", "kind", "choice", True, REACTION_KINDS),
)
# keys handled outside the specs (not "unknown")
EXTRA_KNOWN = {
    "participants": {"consent"},
    "agenda": {"groups", "group_names"},
    "clips": {"file", "width", "height", "has_audio"},
}
SECTIONS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    ("participants", PARTICIPANT_SPEC),
    ("agenda", AGENDA_SPEC),
    ("contributions", CONTRIBUTION_SPEC),
    ("clips", CLIP_SPEC),
    ("reactions", REACTION_SPEC),
)


# ---------------------------------------------------------------- checking one record


def record_label(section: str, index: int, record: Any) -> str:
    rid = record.get("id") if isinstance(record, dict) else None
    return f"{section}[{index}]" + (f" (id {rid})" if isinstance(rid, str) and rid else "")


#: The store table of each section's records (for :mod:`db.limits`).
TABLES = {"workshop": "workshops", "participants": "participants", "agenda": "agenda_items",
          "contributions": "contributions", "clips": "clips", "reactions": "reactions"}


def field_value(spec: Field, raw: Any, where: str, table: str = "") -> Any:
    """The checked value of one field, or a :class:`PortableError` naming ``where`` and the
    field; text is held to the store's limits for ``table`` (:mod:`db.limits`)."""
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
        wrong = limits.problem(table, spec.attr, text)
        if wrong is not None:
            raise PortableError(f"{where}: {name} is refused: {wrong}.")
        return text[:200] if spec.kind == "str" and not table else text
    if spec.kind == "time":
        if not isinstance(raw, str):
            raise PortableError(f"{where}: {name} must be an ISO-8601 time.")
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise PortableError(f"{where}: {name} is not an ISO-8601 time (“{raw}”).") from None
        if value.tzinfo is None:
            raise PortableError(f"{where}: {name} has no time zone (“{raw}”); add one such as +01:00.")
        wrong = limits.instant_problem(value)
        if wrong is not None:
            raise PortableError(f"{where}: {name} (“{raw}”) {wrong}.")
        return value
    if spec.kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise PortableError(f"{where}: {name} must be a number.")
        try:
            number = float(raw)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise PortableError(f"{where}: {name} is too large to be a number Ripple keeps.")
        if number < 0:
            raise PortableError(f"{where}: {name} must not be negative.")
        if spec.maximum is not None and number > spec.maximum:
            raise PortableError(f"{where}: {name} is {number:g}; it may be at most {spec.maximum:g}.")
        return number
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            raise PortableError(f"{where}: {name} must be true or false.")
        return raw
    if spec.kind == "choice":
        if raw not in spec.choices:
            raise PortableError(f"{where}: {name} is “{raw}”; expected one of {', '.join(spec.choices)}.")
        return raw
    raise AssertionError(spec.kind)


def check_record(section: str, specs: tuple[Field, ...], index: int, raw: Any) -> dict[str, Any]:
    """One record's checked values by column, its unknown fields in ``extra``, and ``_where``
    (its label, for the messages of the checks that span records)."""
    return record_checker(section, specs, {})(index, raw)


# ---------------------------------------------------------------- the fast path

#: Raw id text → its UUID, shared by every field of one document: a file names the same
#: person, agenda item or contribution thousands of times, and each is parsed once.
IdCache = dict[str, uuid.UUID]
FieldCheck = Callable[[Any, str], Any]
RecordCheck = Callable[[int, Any], dict[str, Any]]


def field_checker(spec: Field, table: str, ids: IdCache) -> FieldCheck:
    """A check of one field that gives exactly what :func:`field_value` gives: the values a
    well-formed file holds are recognised at once, anything else goes to :func:`field_value`,
    which says what is wrong (so every message stays the same)."""

    def slow(raw: Any, where: str) -> Any:
        return field_value(spec, raw, where, table)

    if spec.kind in ("uuid", "ref"):
        optional, default = not spec.required, spec.default

        def check_id(raw: Any, where: str) -> Any:
            if raw.__class__ is str:
                value = ids.get(raw)
                if value is None:
                    try:
                        value = uuid.UUID(raw)
                    except ValueError:
                        return slow(raw, where)
                    ids[raw] = value
                return value
            if raw is None and optional:
                return default
            return slow(raw, where)
        return check_id
    if spec.kind == "time":
        def check_time(raw: Any, where: str) -> Any:
            if raw.__class__ is str:
                try:
                    value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
                    if value.tzinfo is not None and limits.EARLIEST <= value < limits.LATEST:
                        return value
                except (ValueError, OverflowError):
                    pass
            return slow(raw, where)
        return check_time
    if spec.kind in ("str", "text"):
        return _text_checker(spec, table, slow)
    if spec.kind == "choice":
        choices = frozenset(spec.choices)

        def check_choice(raw: Any, where: str) -> Any:
            return raw if raw.__class__ is str and raw in choices else slow(raw, where)
        return check_choice
    return slow


def _text_checker(spec: Field, table: str, slow: FieldCheck) -> FieldCheck:
    """Printable ASCII within the field's length is taken as it is (what
    :func:`db.limits.problem` lets through without a regex); the rest is checked in full."""
    limit = limits.LIMITS.get(table, {}).get(spec.attr)
    longest = limit.max_len if limit is not None else None
    cut = 200 if spec.kind == "str" and not table else None
    required = spec.required

    def check_text(raw: Any, where: str) -> Any:
        if (raw.__class__ is str and (longest is None or len(raw) <= longest)
                and (not raw or (raw.isascii() and raw.isprintable()))
                and (not required or raw.strip())):
            return raw if cut is None else raw[:cut]
        return slow(raw, where)
    return check_text


def _inline(spec: Field, i: int) -> str:
    """The expression that checks field ``i`` inside :func:`record_checker`'s function; every
    case it does not decide itself goes to ``check_i`` (:func:`field_checker`)."""
    get, call = f"(x{i} := get({spec.key!r}))", f"check_{i}(x{i}, where)"
    if spec.kind in ("uuid", "ref"):
        return f"(known_id(x{i}) if {get}.__class__ is str else None) or {call}"
    if spec.kind == "choice":
        return f"(x{i} if {get}.__class__ is str and x{i} in choices_{i} else {call})"
    return f"check_{i}(get({spec.key!r}), where)"


def record_checker(section: str, specs: tuple[Field, ...], ids: IdCache,
                   own_keys: frozenset[str] = frozenset()) -> RecordCheck:
    """The check of one record of ``section`` (as :func:`check_record`), with every field's
    check made once for the whole section; ``own_keys`` are further keys the caller reads
    itself (not "unknown", so not kept in ``extra``)."""
    table = TABLES.get(section, "")
    known = frozenset(s.key for s in specs) | EXTRA_KNOWN.get(section, set()) | own_keys
    scope: dict[str, Any] = {f"check_{i}": field_checker(s, table, ids) for i, s in enumerate(specs)}
    scope |= {f"choices_{i}": frozenset(s.choices) for i, s in enumerate(specs) if s.kind == "choice"}
    scope |= {"section": section, "known": known, "record_label": record_label, "PortableError": PortableError,
              "known_id": ids.get}
    # One dict display per record, as a dataclass's generated __init__ is, with the commonest
    # cases (an id seen before, a valid choice) decided in place: a loop over the fields and a
    # call for each would cost half of the whole check.
    fields = ", ".join(f"{s.attr!r}: {_inline(s, i)}" for i, s in enumerate(specs))
    source = f"""
def check(index, raw):
    if raw.__class__ is not dict:
        where = record_label(section, index, raw)
        if not isinstance(raw, dict):
            raise PortableError(f"{{where}} is not an object.")
    rid = raw.get("id")
    where = f"{{section}}[{{index}}] (id {{rid}})" if isinstance(rid, str) and rid else f"{{section}}[{{index}}]"
    get = raw.get
    rec = {{{fields}}}
    rec["extra"] = None if known.issuperset(raw) else ({{k: v for k, v in raw.items() if k not in known}} or None)
    rec["_where"] = where
    return rec
"""
    exec(source, scope)  # the source is built from the specs above, never from input
    check: RecordCheck = scope["check"]
    return check
