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
    where = record_label(section, index, raw)
    if not isinstance(raw, dict):
        raise PortableError(f"{where} is not an object.")
    table = TABLES.get(section, "")
    rec = {s.attr: field_value(s, raw.get(s.key), where, table) for s in specs}
    known = {s.key for s in specs} | EXTRA_KNOWN.get(section, set())
    rec["extra"] = {k: v for k, v in raw.items() if k not in known} or None
    rec["_where"] = where
    return rec

