"""A role play's scenario: created from a card or by hand, edited, duplicated, checked.

One scenario per ``role_play`` agenda item, with an id derived from the item (like a group's),
so two laptops that give the same item a card merge into one scenario instead of two.
Every input is checked before anything is written; a bad one is a :class:`FieldError` that
names the field ("roles", "phases", "rubric", …) and says what is wrong in one sentence.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldError, NotFound
from app.planning.ids import existing_row
from app.roleplay.cards import DEFAULT_PHASES, DEFAULT_RUBRIC, card
from app.roleplay.views import Criterion, Phase, Role, ScenarioView
from db.models import OBSERVER_ROLE, RUBRIC_CHANNELS, AgendaItem, Scenario
from db.store import Store
from db.types import utcnow

_NS = uuid.UUID("4b0d5c1a-9e27-4c61-8f3e-7a1d2c3b4e5f")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_ROLES = 6
MAX_CRITERIA = 12


def scenario_id(agenda_item_id: uuid.UUID) -> uuid.UUID:
    """The scenario of an agenda item: the same id on every laptop."""
    return uuid.uuid5(_NS, f"scenario:{agenda_item_id}")


# ---------------------------------------------------------------- checking


def _text(value: Any, field: str, what: str, *, required: bool = True, limit: int = 0) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldError(field, f"{what} must be text.")
    text = value.strip()
    if required and not text:
        raise FieldError(field, f"{what} is empty.")
    return text[:limit] if limit else text


def check_roles(roles: Iterable[Role | Mapping[str, Any]]) -> tuple[Role, ...]:
    """Roles with unique keys, at least two acting ones, at most one observer."""
    out: list[Role] = []
    for i, raw in enumerate(roles):
        r = _as_mapping(raw, "roles", f"Role {i + 1}")
        key = _text(r.get("key"), "roles", f"The key of role {i + 1}").lower()
        if not _KEY.match(key):
            raise FieldError("roles", f"The role key “{key}” must be a short lower-case word (letters, digits, _).")
        if any(o.key == key for o in out):
            raise FieldError("roles", f"Two roles have the key “{key}”.")
        name = _text(r.get("name") or key.replace("_", " ").capitalize(), "roles", f"The name of role {key}", limit=100)
        out.append(Role(key, name, _text(r.get("public"), "roles", f"The public line of {name}", required=False),
                        _text(r.get("brief"), "roles", f"The brief of {name}", required=False)))
    if len(out) > MAX_ROLES:
        raise FieldError("roles", f"A scenario has at most {MAX_ROLES} roles.")
    if sum(r.acting for r in out) < 2:
        raise FieldError("roles", "A role play needs at least two acting roles (such as seller and customer).")
    return tuple(out)


def check_phases(phases: Iterable[Phase | Mapping[str, Any]]) -> tuple[Phase, ...]:
    out: list[Phase] = []
    for i, raw in enumerate(phases):
        p = _as_mapping(raw, "phases", f"Phase {i + 1}")
        name = _text(p.get("name"), "phases", f"The name of phase {i + 1}", limit=32).lower()
        if any(o.name == name for o in out):
            raise FieldError("phases", f"Two phases are called “{name}”.")
        minutes = p.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0 < minutes <= 120:
            raise FieldError("phases", f"The phase “{name}” needs minutes between 0 and 120.")
        out.append(Phase(name, float(minutes)))
    if not out:
        raise FieldError("phases", "A scenario needs at least one phase.")
    return tuple(out)


def check_rubric(rubric: Iterable[Criterion | Mapping[str, Any]]) -> tuple[Criterion, ...]:
    out: list[Criterion] = []
    for i, raw in enumerate(rubric):
        c = _as_mapping(raw, "rubric", f"Criterion {i + 1}")
        cid = _text(c.get("id"), "rubric", f"The id of criterion {i + 1}").lower()
        if not _KEY.match(cid):
            raise FieldError("rubric", f"The criterion id “{cid}” must be a short lower-case word (letters, digits, _).")
        if any(o.id == cid for o in out):
            raise FieldError("rubric", f"Two criteria have the id “{cid}”.")
        label = _text(c.get("label") or cid.replace("_", " ").capitalize(), "rubric", f"The label of {cid}", limit=100)
        channel = c.get("channel")
        if channel not in RUBRIC_CHANNELS:
            raise FieldError("rubric", f"The criterion “{label}” must be verbal or non_verbal, not “{channel}”.")
        scale = c.get("scale", 5)
        if scale != 5:
            raise FieldError("rubric", f"The criterion “{label}” must use the 1–5 scale.")
        out.append(Criterion(cid, label, str(channel), 5))
    if len(out) > MAX_CRITERIA:
        raise FieldError("rubric", f"A rubric has at most {MAX_CRITERIA} criteria (number keys mark the first nine).")
    return tuple(out)


def _as_mapping(raw: Any, field: str, what: str) -> Mapping[str, Any]:
    if isinstance(raw, Role | Phase | Criterion):
        return raw.__dict__
    if not isinstance(raw, Mapping):
        raise FieldError(field, f"{what} is not a record.")
    return raw


# ---------------------------------------------------------------- rows <-> views


def roles_json(roles: Sequence[Role]) -> list[dict[str, Any]]:
    return [{"key": r.key, "name": r.name, "public": r.public, "brief": r.brief} for r in roles]


def phases_json(phases: Sequence[Phase]) -> list[dict[str, Any]]:
    return [{"name": p.name, "minutes": p.minutes} for p in phases]


def rubric_json(rubric: Sequence[Criterion]) -> list[dict[str, Any]]:
    return [{"id": c.id, "label": c.label, "channel": c.channel, "scale": c.scale} for c in rubric]


def view_of(row: Scenario) -> ScenarioView:
    """The view of a stored scenario (tolerant: rows merged from elsewhere were checked there)."""
    return ScenarioView(
        id=row.id, agenda_item_id=row.agenda_item_id, title=row.title, situation=row.situation,
        roles=tuple(Role(str(r.get("key", "")), str(r.get("name", "")), str(r.get("public", "")),
                         str(r.get("brief", ""))) for r in row.roles or []),
        phases=tuple(Phase(str(p.get("name", "")), float(p.get("minutes", 0) or 0)) for p in row.phases or []),
        rubric=tuple(Criterion(str(c.get("id", "")), str(c.get("label", "")), str(c.get("channel", "verbal")),
                               int(c.get("scale", 5) or 5)) for c in row.rubric or []),
    )


# ---------------------------------------------------------------- use cases


def _role_play_item(s: Session, item_id: uuid.UUID) -> AgendaItem:
    item: AgendaItem = existing_row(s, AgendaItem, item_id, "agenda item")
    if item.kind != "role_play":
        raise FieldError("agenda_item", f"“{item.title}” is not a role play; only role-play items have a scenario.")
    return item


def create_scenario(
    store: Store,
    agenda_item_id: uuid.UUID,
    *,
    from_card: str | None = None,
    title: str | None = None,
    situation: str | None = None,
    roles: Iterable[Role | Mapping[str, Any]] | None = None,
    phases: Iterable[Phase | Mapping[str, Any]] | None = None,
    rubric: Iterable[Criterion | Mapping[str, Any]] | None = None,
) -> uuid.UUID:
    """Give a role-play item its scenario, from a built-in card and/or the fields given
    (fields given win over the card's; phases and rubric default to the standard ones)."""
    base = card(from_card) if from_card else None
    t = _text(title if title is not None else (base.title if base else ""), "title", "The title", limit=200)
    sit = _text(situation if situation is not None else (base.situation if base else ""), "situation",
                "The situation", required=False)
    r = check_roles(roles if roles is not None else (base.roles if base else ()))
    ph = check_phases(phases if phases is not None else (base.phases if base else DEFAULT_PHASES))
    ru = check_rubric(rubric if rubric is not None else (base.rubric if base else DEFAULT_RUBRIC))
    sid = scenario_id(agenda_item_id)
    with store.write() as s:
        _role_play_item(s, agenda_item_id)
        row = s.get(Scenario, sid, execution_options={"include_deleted": True})
        if row is not None and row.deleted_at is None:
            raise FieldError("agenda_item", "This role play already has a scenario; edit it instead.")
        values = {"title": t, "situation": sit, "roles": roles_json(r), "phases": phases_json(ph),
                  "rubric": rubric_json(ru)}
        if row is None:
            s.add(Scenario(id=sid, agenda_item_id=agenda_item_id, **values))
        else:  # given a card again after it was removed: the same row comes back
            row.deleted_at = None
            for key, value in values.items():
                setattr(row, key, value)
    return sid


SCENARIO_FIELDS = ("title", "situation", "roles", "phases", "rubric")


def update_scenario(store: Store, sid: uuid.UUID, **changes: Any) -> ScenarioView:
    """Edit some fields of a scenario; only the fields that really change are written (and
    take the edit's version), so another laptop's edit of another field survives."""
    unknown = set(changes) - set(SCENARIO_FIELDS)
    if unknown:
        raise FieldError(sorted(unknown)[0], f"A scenario has no field “{sorted(unknown)[0]}”.")
    checked: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            checked[key] = _text(value, "title", "The title", limit=200)
        elif key == "situation":
            checked[key] = _text(value, "situation", "The situation", required=False)
        elif key == "roles":
            checked[key] = roles_json(check_roles(value))
        elif key == "phases":
            checked[key] = phases_json(check_phases(value))
        else:
            checked[key] = rubric_json(check_rubric(value))
    with store.write() as s:
        row: Scenario = existing_row(s, Scenario, sid, "scenario")
        for key, value in checked.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        s.flush()
        return view_of(row)


def duplicate_scenario(store: Store, sid: uuid.UUID, target_item_id: uuid.UUID) -> uuid.UUID:
    """Copy a scenario onto another role-play item (of this or another workshop)."""
    source = load_scenario(store, sid)
    if target_item_id == source.agenda_item_id:
        raise FieldError("agenda_item", "Choose another role-play item to copy the scenario to.")
    return create_scenario(store, target_item_id, title=source.title, situation=source.situation,
                           roles=source.roles, phases=source.phases, rubric=source.rubric)


def delete_scenario(store: Store, sid: uuid.UUID) -> None:
    with store.write() as s:
        row: Scenario = existing_row(s, Scenario, sid, "scenario")
        row.deleted_at = utcnow()


def load_scenario(store: Store, sid: uuid.UUID) -> ScenarioView:
    with store.read() as s:
        return view_of(existing_row(s, Scenario, sid, "scenario"))


def scenario_of_item(store: Store, agenda_item_id: uuid.UUID) -> ScenarioView | None:
    """The scenario of a role-play item, or None when it has none yet."""
    with store.read() as s:
        return scenario_of_item_in(s, agenda_item_id)


def scenario_of_item_in(s: Session, agenda_item_id: uuid.UUID) -> ScenarioView | None:
    row = s.get(Scenario, scenario_id(agenda_item_id))
    if row is None:  # one made elsewhere under another id (an imported file)
        row = s.scalars(select(Scenario).where(Scenario.agenda_item_id == agenda_item_id)
                        .order_by(Scenario.created_at, Scenario.id)).first()
    return view_of(row) if row is not None else None


def require_scenario(store: Store, agenda_item_id: uuid.UUID) -> ScenarioView:
    found = scenario_of_item(store, agenda_item_id)
    if found is None:
        raise NotFound("This role play has no scenario yet; give it a card first.")
    return found


__all__ = [
    "OBSERVER_ROLE", "SCENARIO_FIELDS", "check_phases", "check_roles", "check_rubric", "create_scenario",
    "delete_scenario", "duplicate_scenario", "load_scenario", "require_scenario", "scenario_id",
    "scenario_of_item", "update_scenario", "view_of",
]
