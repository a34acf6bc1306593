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

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.portable.spec import Field, PortableError
from db.merge import OLDEST
from db.store import Store

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

NoteKept = Callable[[Any, dict[str, Any], str], None]
Keep = Callable[[Connection, list[dict[str, Any]]], list[dict[str, Any]]]
NewRows = list[tuple[str, Any, list[dict[str, Any]], Keep]]


def new_rows(
    store: Store, workshop_id: uuid.UUID, sections: dict[str, list[dict[str, Any]]],
    pid_of: Callable[[uuid.UUID | None], uuid.UUID | None], have: dict[str, dict[uuid.UUID, Any]],
    fields: Callable[[dict[str, Any], tuple[Field, ...]], dict[str, Any]], note_kept: NoteKept,
) -> NewRows:
    """The file's commitments and check-ins this store does not have, decided before the
    write lock (at the oldest version), each section with what its chunks check again under
    the lock (:func:`app.portable.bulk.insert_new`). A person who already has another
    commitment in this workshop keeps theirs; the file's check-ins on it join it. An erased
    person's commitment is never brought back."""
    from db.models import CheckIn, Commitment

    pids = {pid_of(c["participant_id"]) for c in sections.get("commitments", [])}
    pids |= {pid_of(c["buddy_id"]) for c in sections.get("commitments", [])}
    with store.read() as s:
        conn = s.connection()
        erased = _erased(conn, pids)
        theirs = _commitments_of(conn, workshop_id)
    local_id: dict[uuid.UUID, uuid.UUID] = {}
    commitments: list[dict[str, Any]] = []
    for c in sections.get("commitments", []):
        pid = pid_of(c["participant_id"])
        if pid is None or pid in erased:
            continue  # an erased person's commitment is never brought back by an old file
        existing = next((i for i in theirs.get(pid, ()) if i != c["id"]), None)
        if existing is not None:
            local_id[c["id"]] = existing
            continue
        buddy = pid_of(c["buddy_id"])
        values = fields(c, COMMITMENT_SPEC) | {"workshop_id": workshop_id, "participant_id": pid,
                                               "buddy_id": None if buddy in erased else buddy,
                                               "check_ins_due": c["check_ins_due"]}
        local_id[c["id"]] = c["id"]
        if (row := have["commitments"].get(c["id"])) is not None:
            note_kept(row, values, "commitments")
        else:
            commitments.append({"id": c["id"], "hlc": OLDEST, **values})
    check_ins: list[dict[str, Any]] = []
    for k in sections.get("check_ins", []):
        if k["commitment_id"] not in local_id:
            continue  # on an erased person's commitment
        values = fields(k, CHECK_IN_SPEC) | {"commitment_id": local_id[k["commitment_id"]], "rating": k["rating"]}
        if (row := have["check-ins"].get(k["id"])) is not None:
            note_kept(row, values, "check-ins")
        else:
            check_ins.append({"id": k["id"], "hlc": OLDEST, **values})

    def still_new(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Under the lock: someone erased, or given a commitment here, since the read.
        gone = _erased(conn, {r["participant_id"] for r in rows})
        now = _commitments_of(conn, workshop_id, {r["participant_id"] for r in rows})
        return [r for r in rows if r["participant_id"] not in gone
                and not any(i != r["id"] for i in now.get(r["participant_id"], ()))]

    owner = {c["id"]: c["participant_id"] for c in commitments}

    def on_a_commitment(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Under the lock: a check-in whose commitment was left out above joins the one the
        # person has here now (none if they were erased).
        t = Commitment.__table__
        ids = sorted({r["commitment_id"] for r in rows})
        here = {i for k in range(0, len(ids), 500)
                for i in conn.scalars(select(t.c.id).where(t.c.id.in_(ids[k : k + 500])))}
        missing = {r["commitment_id"] for r in rows} - here
        if not missing:
            return rows
        gone = _erased(conn, {owner[i] for i in missing})
        now = _commitments_of(conn, workshop_id, {owner[i] for i in missing} - gone)
        out = []
        for r in rows:
            if r["commitment_id"] in missing:
                theirs_now = now.get(owner[r["commitment_id"]], [])
                if not theirs_now:
                    continue
                r["commitment_id"] = theirs_now[0]
            out.append(r)
        return out

    return [("commitments", Commitment, commitments, still_new), ("check-ins", CheckIn, check_ins, on_a_commitment)]


def _erased(conn: Connection, pids: set[uuid.UUID | None]) -> set[uuid.UUID]:
    from db.models import Participant

    p = Participant.__table__
    ids = sorted(i for i in pids if i is not None)
    return {i for k in range(0, len(ids), 500)
            for i in conn.scalars(select(p.c.id).where(p.c.id.in_(ids[k : k + 500]), p.c.erased_at.isnot(None)))}


def _commitments_of(conn: Connection, workshop_id: uuid.UUID,
                    pids: set[uuid.UUID] | None = None) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Participant (of ``pids``, or anyone) → the ids of their commitments in the workshop
    (tombstones too)."""
    from db.models import Commitment

    t = Commitment.__table__
    out: dict[uuid.UUID, list[uuid.UUID]] = {}
    query = select(t.c.id, t.c.participant_id).where(t.c.workshop_id == workshop_id)
    ids = sorted(pids) if pids is not None else None
    for k in range(0, len(ids), 500) if ids is not None else (0,):
        q = query.where(t.c.participant_id.in_(ids[k : k + 500])) if ids is not None else query
        for cid, pid in conn.execute(q):
            out.setdefault(pid, []).append(cid)
    return out
