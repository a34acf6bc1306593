"""The role-play sections of the portable file: ``scenarios``, ``rounds``, ``markers``,
``ratings`` (PRODUCT.md, "Role plays"). Optional on read: a file without them is still
version 1. Kept in a module of their own so the rest of ``app/portable`` only calls in:
:func:`parse` after the other sections are checked, :func:`document` when writing,
:func:`new_rows` after the reactions are written.

Checks follow the rest of the file: every bad field and every dangling id is one sentence
naming the record and the field ("rounds[0] (id …): “scenario” refers to …, which is not
in “scenarios”."), and the whole file is checked before anything is written. Applying
inserts what is new at the oldest version and never changes what the store has (an import
never rewinds an edit), like every other section.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldError
from app.portable.spec import Field, IdCache, PortableError, record_checker
from app.roleplay.scenarios import check_phases, check_roles, check_rubric
from db.merge import OLDEST
from db.models import MARKER_POLARITIES, OBSERVER_ROLE, AgendaItem, Marker, Rating, Round, Scenario

SECTION_NAMES = ("scenarios", "rounds", "markers", "ratings")

SCENARIO_SPEC = (
    Field("id", "id", "uuid"),
    Field("agenda_item", "agenda_item_id", "ref", ref="agenda"),
    Field("title", "title", "str"),
    Field("situation", "situation", "text", False, default=""),
)
ROUND_SPEC = (
    Field("id", "id", "uuid"),
    Field("scenario", "scenario_id", "ref", ref="scenarios"),
    Field("started_at", "started_at", "time", False),
    Field("clip", "clip_id", "ref", False, ref="clips"),
)
MARKER_SPEC = (
    Field("id", "id", "uuid"),
    Field("round", "round_id", "ref", ref="rounds"),
    Field("at_s", "at_s", "number"),
    Field("criterion", "criterion", "str", False),
    Field("polarity", "polarity", "choice", False, MARKER_POLARITIES, default="strength"),
    Field("by", "by_id", "ref", False, ref="participants"),
    Field("note", "note", "text", False, default=""),
)
RATING_SPEC = (
    Field("id", "id", "uuid"),
    Field("round", "round_id", "ref", ref="rounds"),
    Field("rater", "rater_id", "ref", False, ref="participants"),
    Field("player", "player_id", "ref", ref="participants"),
    Field("criterion", "criterion", "str"),
    Field("comment", "comment", "text", False, default=""),
)
_SPECS = {"scenarios": SCENARIO_SPEC, "rounds": ROUND_SPEC, "markers": MARKER_SPEC, "ratings": RATING_SPEC}
#: Keys checked here rather than by the field specs (so they are not "unknown" extras).
_OWN_KEYS = {"scenarios": {"roles", "phases", "rubric"}, "rounds": {"group", "number", "cast"},
             "markers": set(), "ratings": {"score"}}


# ---------------------------------------------------------------- reading


def parse(doc: dict[str, Any], sections: dict[str, list[dict[str, Any]]], ids: IdCache | None = None) -> None:
    """Check the four sections of ``doc`` and add them to ``sections`` (the others are
    already checked there, so references into them can be followed); ``ids`` is the
    document's id cache (:data:`app.portable.spec.IdCache`)."""
    ids = {} if ids is None else ids
    for name in SECTION_NAMES:
        raw_list = doc.get(name)
        if raw_list is None:
            raw_list = []
        if not isinstance(raw_list, list):
            raise PortableError(f"“{name}” must be a list.")
        seen: set[uuid.UUID] = set()
        records = []
        check = record_checker(name, _SPECS[name], ids, frozenset(_OWN_KEYS[name]))
        for i, raw in enumerate(raw_list):
            rec = check(i, raw)
            if rec["id"] in seen:
                raise PortableError(f"{rec['_where']}: the id appears twice in “{name}”.")
            seen.add(rec["id"])
            rec["_raw"] = raw
            records.append(rec)
        sections[name] = records
    _check_refs(sections)
    for s in sections["scenarios"]:
        _scenario_lists(s, s["_raw"])
    scenarios = {s["id"]: s for s in sections["scenarios"]}
    people = {p["id"] for p in sections["participants"]}
    for r in sections["rounds"]:
        _round_fields(r, r["_raw"], scenarios[r["scenario_id"]], people)
    rounds = {r["id"]: r for r in sections["rounds"]}
    for m in sections["markers"]:
        if m["criterion"] is not None:
            _criterion(m, scenarios[rounds[m["round_id"]]["scenario_id"]])
    for g in sections["ratings"]:
        _rating_fields(g, g["_raw"], scenarios[rounds[g["round_id"]]["scenario_id"]])


def _check_refs(sections: dict[str, list[dict[str, Any]]]) -> None:
    wanted = {spec.ref for name in SECTION_NAMES for spec in _SPECS[name] if spec.kind == "ref"}
    ids = {name: {r["id"] for r in sections.get(name, [])} for name in wanted}
    for name in SECTION_NAMES:
        for rec in sections[name]:
            for spec in _SPECS[name]:
                value = rec[spec.attr]
                if spec.kind == "ref" and value is not None and value not in ids[spec.ref]:
                    raise PortableError(
                        f"{rec['_where']}: “{spec.key}” refers to {value}, which is not in “{spec.ref}”.")
    kinds = {a["id"]: a["kind"] for a in sections["agenda"]}
    for s in sections["scenarios"]:
        if kinds[s["agenda_item_id"]] != "role_play":
            raise PortableError(f"{s['_where']}: “agenda_item” refers to {s['agenda_item_id']}, which is not a role play.")


def _scenario_lists(rec: dict[str, Any], raw: dict[str, Any]) -> None:
    for key, check in (("roles", check_roles), ("phases", check_phases), ("rubric", check_rubric)):
        value = raw.get(key)
        if not isinstance(value, list):
            raise PortableError(f"{rec['_where']}: “{key}” must be a list.")
        try:
            rec[key] = [dict(v.__dict__) for v in check(value)]
        except FieldError as exc:
            raise PortableError(f"{rec['_where']}: “{key}”: {exc}") from None


def _whole(raw: Any, rec: dict[str, Any], key: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise PortableError(f"{rec['_where']}: “{key}” must be a whole number from {low} to {high}.")
    return raw


def _round_fields(rec: dict[str, Any], raw: dict[str, Any], scenario: dict[str, Any], people: set[uuid.UUID]) -> None:
    rec["group_index"] = _whole(raw.get("group", 0), rec, "group", 0, 999)
    rec["number"] = _whole(raw.get("number"), rec, "number", 1, 999)
    cast = raw.get("cast") or []
    if not isinstance(cast, list):
        raise PortableError(f"{rec['_where']}: “cast” must be a list of {{role, participant}}.")
    roles = {r["key"] for r in scenario["roles"]} | {OBSERVER_ROLE}
    out = []
    for ci, entry in enumerate(cast):
        where = f"{rec['_where']}: “cast[{ci}]”"
        if not isinstance(entry, dict):
            raise PortableError(f"{where} is not an object.")
        role = entry.get("role")
        if role not in roles:
            raise PortableError(f"{where} plays “{role}”, which is not a role of scenario {scenario['id']}.")
        try:
            pid = uuid.UUID(str(entry.get("participant")))
        except ValueError:
            raise PortableError(f"{where}: “participant” is not an id (“{entry.get('participant')}”).") from None
        if pid not in people:
            raise PortableError(f"{where}: “participant” refers to {pid}, which is not in “participants”.")
        out.append({"role": role, "participant": pid})
    rec["cast"] = out


def _criterion(rec: dict[str, Any], scenario: dict[str, Any]) -> None:
    if rec["criterion"] not in {c["id"] for c in scenario["rubric"]}:
        raise PortableError(f"{rec['_where']}: “criterion” is “{rec['criterion']}”, which is not in the rubric "
                            f"of scenario {scenario['id']}.")


def _rating_fields(rec: dict[str, Any], raw: dict[str, Any], scenario: dict[str, Any]) -> None:
    _criterion(rec, scenario)
    rec["score"] = _whole(raw.get("score"), rec, "score", 1, 5)


# ---------------------------------------------------------------- writing


def _iso(value: Any, tz: timezone) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def _ref(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def _with_extra(d: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    for k, v in (extra or {}).items():
        d.setdefault(k, v)
    return d


def document(s: Session, items: Sequence[AgendaItem], tz: timezone) -> dict[str, list[dict[str, Any]]]:
    """The four sections for a workshop's (live) agenda items."""
    play_items = [i.id for i in items if i.kind == "role_play"]
    scenarios = list(s.scalars(select(Scenario).where(Scenario.agenda_item_id.in_(play_items))
                               .order_by(Scenario.created_at, Scenario.id))) if play_items else []
    sids = [x.id for x in scenarios]
    rounds = list(s.scalars(select(Round).where(Round.scenario_id.in_(sids))
                            .order_by(Round.scenario_id, Round.group_index, Round.number))) if sids else []
    rids = [r.id for r in rounds]
    markers = list(s.scalars(select(Marker).where(Marker.round_id.in_(rids))
                             .order_by(Marker.round_id, Marker.at_s, Marker.id))) if rids else []
    ratings = list(s.scalars(select(Rating).where(Rating.round_id.in_(rids))
                             .order_by(Rating.round_id, Rating.created_at, Rating.id))) if rids else []
    return {
        "scenarios": [_with_extra({"id": str(x.id), "agenda_item": str(x.agenda_item_id), "title": x.title,
                                   "situation": x.situation, "roles": x.roles, "phases": x.phases,
                                   "rubric": x.rubric}, x.extra) for x in scenarios],
        "rounds": [_with_extra({"id": str(r.id), "scenario": str(r.scenario_id), "group": r.group_index,
                                "number": r.number, "cast": list(r.casting or []),
                                "started_at": _iso(r.started_at, tz), "clip": _ref(r.clip_id)}, r.extra)
                   for r in rounds],
        "markers": [_with_extra({"id": str(m.id), "round": str(m.round_id), "at_s": m.at_s,
                                 "criterion": m.criterion, "polarity": m.polarity, "by": _ref(m.by_id),
                                 "note": m.note}, m.extra) for m in markers],
        "ratings": [_with_extra({"id": str(g.id), "round": str(g.round_id), "rater": _ref(g.rater_id),
                                 "player": str(g.player_id), "criterion": g.criterion, "score": g.score,
                                 "comment": g.comment}, g.extra) for g in ratings],
    }


def prune(doc: dict[str, Any]) -> None:
    """A file Ripple writes always imports: references to rows not in it are dropped (a
    round's deleted clip, a marker by someone no longer exported), and ratings of a player
    who is not in the file are left out."""
    people = {p["id"] for p in doc["participants"]}
    clips = {c["id"] for c in doc["clips"]}
    for r in doc["rounds"]:
        r["cast"] = [c for c in r["cast"] if c.get("participant") in people]
        if r["clip"] not in clips:
            r["clip"] = None
    for m in doc["markers"]:
        if m["by"] not in people:
            m["by"] = None
    for g in doc["ratings"]:
        if g["rater"] not in people:
            g["rater"] = None
    doc["ratings"] = [g for g in doc["ratings"] if g["player"] in people]


# ---------------------------------------------------------------- applying


def forget_erased_casts(sections: dict[str, list[dict[str, Any]]], erased: set[uuid.UUID]) -> set[uuid.UUID]:
    """A file written before an erasure casts the erased person under their old id (derived
    from their e-mail; the erasure moved what stays of them to a random one, and no row says
    which). On import their cast slot is dropped, and the recording of every round they
    played leaves the file's rows, as the erasure tombstoned it here (app/roleplay/erasure.py):
    returns those clips' ids, whose files the import must not add. A round this store already
    has keeps its own cast (a file never changes a row), so nothing else is lost."""
    gone: set[uuid.UUID] = set()
    if not erased:
        return gone
    for r in sections.get("rounds", []):
        if any(c["participant"] in erased for c in r["cast"]):
            r["cast"] = [c for c in r["cast"] if c["participant"] not in erased]
            if r["clip_id"] is not None:
                gone.add(r["clip_id"])
                r["clip_id"] = None
    if gone:
        sections["clips"] = [c for c in sections["clips"] if c["id"] not in gone]
        for name in ("reactions", "rounds"):
            for rec in sections.get(name, []):
                if rec.get("clip_id") in gone:
                    rec["clip_id"] = None
    return gone

NoteKept = Callable[[Any, dict[str, Any], str], None]
"""Told of a row this store has already (row, the file's values, the section): it stays."""
NewRows = list[tuple[str, Any, list[dict[str, Any]]]]


def new_rows(sections: dict[str, list[dict[str, Any]]], pid_of: Callable[[uuid.UUID | None], uuid.UUID | None],
             have: dict[str, dict[uuid.UUID, Any]], note_kept: NoteKept) -> NewRows:
    """The rows of the four sections this store did not have when it was read (``have``:
    section → id → row), decided before the write lock, parents first; a row it has is
    only noted. The import inserts them in short chunks (app/portable/bulk.py), which leave
    out any id the store has gained meanwhile."""
    out: NewRows = []

    def add(name: str, model: Any, rec: dict[str, Any], values: dict[str, Any]) -> dict[str, Any] | None:
        row = have[name].get(rec["id"])
        if row is not None:
            note_kept(row, values, name)
            return None
        return {"id": rec["id"], "hlc": OLDEST, **values}

    for name, model, make in (("scenarios", Scenario, _scenario), ("rounds", Round, _round),
                              ("markers", Marker, _marker), ("ratings", Rating, _rating)):
        rows = [x for rec in sections.get(name, []) if (x := add(name, model, rec, make(rec, pid_of))) is not None]
        out.append((name, model, rows))
    for r in out[1][2]:
        # The file keeps no phase clock: a round that was played is over.
        r |= {"finished_at": r["started_at"], "phase_starts": {}}
    return out


Pid = Callable[[uuid.UUID | None], uuid.UUID | None]


def _scenario(x: dict[str, Any], pid_of: Pid) -> dict[str, Any]:
    return {"agenda_item_id": x["agenda_item_id"], "title": x["title"], "situation": x["situation"],
            "roles": x["roles"], "phases": x["phases"], "rubric": x["rubric"], "extra": x["extra"]}


def _round(r: dict[str, Any], pid_of: Pid) -> dict[str, Any]:
    return {"scenario_id": r["scenario_id"], "group_index": r["group_index"], "number": r["number"],
            "casting": [{"role": c["role"], "participant": str(pid_of(c["participant"]))} for c in r["cast"]],
            "started_at": r["started_at"], "clip_id": r["clip_id"], "extra": r["extra"]}


def _marker(m: dict[str, Any], pid_of: Pid) -> dict[str, Any]:
    return {"round_id": m["round_id"], "at_s": m["at_s"], "criterion": m["criterion"],
            "polarity": m["polarity"], "by_id": pid_of(m["by_id"]), "note": m["note"], "extra": m["extra"]}


def _rating(g: dict[str, Any], pid_of: Pid) -> dict[str, Any]:
    return {"round_id": g["round_id"], "rater_id": pid_of(g["rater_id"]), "player_id": pid_of(g["player_id"]),
            "criterion": g["criterion"], "score": g["score"], "comment": g["comment"], "extra": g["extra"]}
