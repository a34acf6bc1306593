"""The follow-up sections of the portable file: ``commitments`` and ``check_ins``.

PRODUCT.md ("After the workshop")::

    "commitments": [{"id", "participant", "text", "buddy", "check_ins_due": ["YYYY-MM-DD"], "at"}],
    "check_ins":   [{"id", "commitment", "at", "rating", "note"}]

Both sections are optional (a file without them is still version 1). Kept here, beside the
spec, read, write and apply modules that call it, so those stay about the core sections.
Applying follows the same rule as every section: what is new is inserted at the oldest
version, what the store has is never changed by a file (app/portable/apply.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.portable.spec import Field, PortableError

COMMITMENT_SPEC = (
    Field("id", "id", "uuid"),
    Field("participant", "participant_id", "ref", ref="participants"),
    Field("text", "text", "text"),
    Field("buddy", "buddy_id", "ref", False, ref="participants"),
    Field("at", "at", "time"),
)
CHECK_IN_SPEC = (
    Field("id", "id", "uuid"),
    Field("commitment", "commitment_id", "ref", ref="commitments"),
    Field("at", "at", "time"),
    Field("note", "note", "text", False, default=""),
)
#: Checked here, not by the generic field kinds.
EXTRA_KNOWN = {"commitments": {"check_ins_due"}, "check_ins": {"rating"}}
SECTIONS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    ("commitments", COMMITMENT_SPEC),
    ("check_ins", CHECK_IN_SPEC),
)


# ---------------------------------------------------------------- reading


def check_extras(name: str, rec: dict[str, Any], raw: dict[str, Any]) -> None:
    """The fields of a follow-up record the generic kinds do not cover (a list of dates, a
    rating 1–10), checked into ``rec``; a :class:`PortableError` names the record."""
    where = rec["_where"]
    extra = {k: v for k, v in (rec.get("extra") or {}).items() if k not in EXTRA_KNOWN[name]}
    rec["extra"] = extra or None
    if name == "commitments":
        due = raw.get("check_ins_due", [])
        if not isinstance(due, list):
            raise PortableError(f"{where}: “check_ins_due” must be a list of dates like 2026-12-01.")
        days = []
        for d in due:
            try:
                days.append(date.fromisoformat(d).isoformat() if isinstance(d, str) and len(d) == 10 else None)
            except ValueError:
                days.append(None)
            if days[-1] is None:
                raise PortableError(f"{where}: “check_ins_due” holds “{d}”, which is not a date like 2026-12-01.")
        rec["check_ins_due"] = sorted(set(days))
        if rec["buddy_id"] is not None and rec["buddy_id"] == rec["participant_id"]:
            raise PortableError(f"{where}: “buddy” is the participant themselves.")
    elif name == "check_ins":
        rating = raw.get("rating")
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 10:
            raise PortableError(f"{where}: “rating” must be a whole number from 1 to 10, not {rating!r}.")
        rec["rating"] = rating


def check_one_per_person(commitments: list[dict[str, Any]]) -> None:
    seen: dict[uuid.UUID, str] = {}
    for c in commitments:
        if c["participant_id"] in seen:
            raise PortableError(f"{c['_where']}: the participant already has a commitment ({seen[c['participant_id']]}).")
        seen[c["participant_id"]] = c["_where"]


# ---------------------------------------------------------------- writing


def records(s: Session, workshop_id: uuid.UUID, tz: timezone) -> dict[str, list[dict[str, Any]]]:
    """The live commitments of a workshop and their live check-ins, as file records."""
    from db.models import CheckIn, Commitment

    def iso(v: Any) -> str:
        return str(v.astimezone(tz).isoformat())

    def with_extra(d: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
        for k, v in (extra or {}).items():
            d.setdefault(k, v)
        return d

    rows = list(s.scalars(select(Commitment).where(Commitment.workshop_id == workshop_id, Commitment.text != "")
                          .order_by(Commitment.at, Commitment.id)))
    checks = list(s.scalars(select(CheckIn).where(CheckIn.commitment_id.in_([c.id for c in rows]))
                            .order_by(CheckIn.at, CheckIn.id))) if rows else []
    return {
        "commitments": [with_extra({
            "id": str(c.id), "participant": str(c.participant_id), "text": c.text,
            "buddy": str(c.buddy_id) if c.buddy_id else None, "check_ins_due": sorted(c.check_ins_due or []),
            "at": iso(c.at),
        }, c.extra) for c in rows],
        "check_ins": [with_extra({
            "id": str(k.id), "commitment": str(k.commitment_id), "at": iso(k.at), "rating": k.rating, "note": k.note,
        }, k.extra) for k in checks],
    }


def only_exported_refs(doc: dict[str, Any]) -> None:
    """A commitment of someone not in the file is left out (with its check-ins); a buddy not
    in the file is dropped."""
    people = {p["id"] for p in doc["participants"]}
    doc["commitments"] = [c for c in doc.get("commitments", []) if c["participant"] in people]
    for c in doc["commitments"]:
        if c["buddy"] not in people:
            c["buddy"] = None
    kept = {c["id"] for c in doc["commitments"]}
    doc["check_ins"] = [k for k in doc.get("check_ins", []) if k["commitment"] in kept]


# ---------------------------------------------------------------- applying

Upsert = Callable[[Session, Any, uuid.UUID, dict[str, Any], str, str], Any]


def apply_sections(
    s: Session, workshop_id: uuid.UUID, sections: dict[str, list[dict[str, Any]]],
    pid_of: Callable[[uuid.UUID | None], uuid.UUID | None], upsert: Upsert,
    fields: Callable[[dict[str, Any], tuple[Field, ...]], dict[str, Any]],
) -> None:
    """Insert the file's commitments and check-ins this store does not have (at the oldest
    version). A person who already has another commitment in this workshop keeps theirs;
    the file's check-ins on it join it."""
    from db.models import CheckIn, Commitment, Participant

    def erased(pid: uuid.UUID | None) -> bool:
        row = s.get(Participant, pid, execution_options={"include_deleted": True}) if pid else None
        return row is not None and row.erased_at is not None

    local_id: dict[uuid.UUID, uuid.UUID] = {}
    for c in sections.get("commitments", []):
        pid = pid_of(c["participant_id"])
        if erased(pid):
            continue  # an erased person's commitment is never brought back by an old file
        existing = s.scalars(select(Commitment.id).where(
            Commitment.workshop_id == workshop_id, Commitment.participant_id == pid, Commitment.id != c["id"])
            .execution_options(include_deleted=True)).first()
        if existing is not None:
            local_id[c["id"]] = existing
            continue
        values = fields(c, COMMITMENT_SPEC) | {"workshop_id": workshop_id, "participant_id": pid,
                                               "buddy_id": None if erased(pid_of(c["buddy_id"])) else pid_of(c["buddy_id"]),
                                               "check_ins_due": c["check_ins_due"]}
        upsert(s, Commitment, c["id"], values, "commitments", c["_where"])
        local_id[c["id"]] = c["id"]
    for k in sections.get("check_ins", []):
        if k["commitment_id"] not in local_id:
            continue  # on an erased person's commitment
        values = fields(k, CHECK_IN_SPEC) | {"commitment_id": local_id[k["commitment_id"]],
                                             "rating": k["rating"]}
        upsert(s, CheckIn, k["id"], values, "check-ins", k["_where"])
