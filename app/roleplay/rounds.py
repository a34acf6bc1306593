"""Rounds in the store: the rotation stored, hand swaps, latecomers, and the phase clock.

A round's id is its scenario, group and number (like a group's id), so the same rotation
stored on two laptops merges instead of doubling. Started and finished rounds are never
re-planned: a swap, a latecomer or a leaver only changes the rounds still to play.

The phase clock keeps anchors only (when each phase began, minutes added), like an agenda
item's timer, so a crash or a second laptop resumes it where it was; :func:`phase_clock`
computes what a display shows at one instant, colour states included (SessionLab-style:
a warning at 20 % left, urgent at 5 %, then overtime).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldError, RippleError
from app.planning.agenda import set_groups
from app.planning.ids import existing_row
from app.roleplay.rotation import (
    GroupRotation,
    PlannedRound,
    continue_rotation,
    plan_rotation,
    swap_people,
)
from app.roleplay.scenarios import require_scenario, scenario_of_item_in
from app.roleplay.views import CastEntry, RoundView, ScenarioView
from db.models import (
    AgendaGroup,
    AgendaItem,
    Clip,
    Participant,
    Round,
    Scenario,
    WorkshopParticipant,
    agenda_order,
)
from db.store import Store
from db.types import utcnow

_NS = uuid.UUID("9d3e2f4a-1b6c-4d7e-8f90-a1b2c3d4e5f6")


def round_id(scenario_id: uuid.UUID, group: int, number: int) -> uuid.UUID:
    return uuid.uuid5(_NS, f"round:{scenario_id}:{group}:{number}")


def cast_json(cast: Sequence[CastEntry]) -> list[dict[str, str]]:
    return [{"role": c.role, "participant": str(c.participant_id)} for c in cast]


def view_of(row: Round) -> RoundView:
    starts: dict[str, datetime] = {}
    for name, text in (row.phase_starts or {}).items():
        try:
            starts[str(name)] = datetime.fromisoformat(str(text))
        except ValueError:
            continue
    return RoundView(
        id=row.id, scenario_id=row.scenario_id, group=row.group_index, number=row.number,
        cast=tuple(CastEntry(str(c.get("role", "")), uuid.UUID(str(c["participant"])))
                   for c in row.casting or [] if c.get("participant")),
        started_at=row.started_at, phase=row.phase, phase_starts=starts, extra_s=row.extra_s,
        finished_at=row.finished_at, clip_id=row.clip_id,
    )


# ---------------------------------------------------------------- groups and plans


def item_groups_in(s: Session, item_id: uuid.UUID) -> list[list[uuid.UUID]]:
    """The item's groups (members in order), or the whole roster as one group when it has none."""
    item: AgendaItem = existing_row(s, AgendaItem, item_id, "agenda item")
    groups = list(s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id == item_id)
                            .order_by(*agenda_order(AgendaGroup))))
    erased = set(s.scalars(select(Participant.id).where(Participant.erased_at.isnot(None))))
    if groups:
        return [[uuid.UUID(m) for m in g.members or [] if uuid.UUID(m) not in erased] for g in groups]
    roster = s.scalars(select(WorkshopParticipant.participant_id)
                       .where(WorkshopParticipant.workshop_id == item.workshop_id)
                       .order_by(WorkshopParticipant.position))
    return [[p for p in roster if p not in erased]]


def propose_rotation(store: Store, item_id: uuid.UUID, *, split: bool = False) -> list[GroupRotation]:
    """The rotation Ripple proposes for every group of a role-play item (nothing is stored)."""
    scenario = require_scenario(store, item_id)
    with store.read() as s:
        groups = item_groups_in(s, item_id)
    return plan_rotation(groups, scenario.acting_roles, split=split)


def apply_split(store: Store, item_id: uuid.UUID) -> list[GroupRotation]:
    """Split the groups the proposal would split (stored as the item's groups) and return
    the rotation over the new groups."""
    plans = propose_rotation(store, item_id, split=True)
    set_groups(store, item_id, [list(p.members) for p in plans])
    return plans


def store_rotation(store: Store, scenario_id: uuid.UUID, plans: Sequence[GroupRotation]) -> list[uuid.UUID]:
    """Store the planned rounds; rounds already started are kept as they are, rounds still
    to play that the plan no longer has are removed."""
    wanted = [r for p in plans for r in p.rounds]
    return _replace_unstarted(store, scenario_id, wanted, groups={p.group for p in plans}, all_groups=True)


def _replace_unstarted(store: Store, scenario_id: uuid.UUID, wanted: Sequence[PlannedRound], *,
                       groups: set[int], all_groups: bool = False) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    with store.write() as s:
        existing_row(s, Scenario, scenario_id, "scenario")
        rows = {(r.group_index, r.number): r for r in s.scalars(
            select(Round).where(Round.scenario_id == scenario_id).execution_options(include_deleted=True))}
        keep: set[uuid.UUID] = set()
        for planned in wanted:
            row = rows.get((planned.group, planned.number))
            cast = cast_json(planned.cast)
            if row is None:
                row = Round(id=round_id(scenario_id, planned.group, planned.number), scenario_id=scenario_id,
                            group_index=planned.group, number=planned.number, casting=cast, phase_starts={})
                s.add(row)
            elif row.started_at is None or row.deleted_at is not None:
                if row.deleted_at is not None:
                    row.deleted_at, row.started_at, row.phase, row.phase_starts = None, None, "", {}
                    row.finished_at, row.clip_id, row.extra_s = None, None, 0.0
                if row.casting != cast:
                    row.casting = cast
            keep.add(row.id)
            ids.append(row.id)
        now = utcnow()
        for row in rows.values():
            if row.id in keep or row.deleted_at is not None or row.started_at is not None:
                continue
            if all_groups or row.group_index in groups:
                row.deleted_at = now
    return ids


def rounds_of(store: Store, scenario_id: uuid.UUID) -> list[RoundView]:
    with store.read() as s:
        return rounds_in(s, scenario_id)


def rounds_in(s: Session, scenario_id: uuid.UUID) -> list[RoundView]:
    rows = s.scalars(select(Round).where(Round.scenario_id == scenario_id)
                     .order_by(Round.group_index, Round.number))
    return [view_of(r) for r in rows]


@dataclass(frozen=True)
class ItemRounds:
    """What ``ripple roleplay rotation`` shows: the stored rounds, or the proposal if none."""

    scenario: ScenarioView
    stored: bool
    rounds: tuple[PlannedRound | RoundView, ...]
    notes: tuple[str, ...]


def rounds_of_item(store: Store, item_id: uuid.UUID) -> ItemRounds:
    with store.read() as s:
        existing_row(s, AgendaItem, item_id, "agenda item")
        scenario = scenario_of_item_in(s, item_id)
        if scenario is None:
            raise FieldError("agenda_item", "This role play has no scenario yet; give it a card first.")
        stored = rounds_in(s, scenario.id)
    if stored:
        return ItemRounds(scenario, True, tuple(stored), ())
    plans = propose_rotation(store, item_id)
    return ItemRounds(scenario, False, tuple(r for p in plans for r in p.rounds), tuple(p.note for p in plans))


def _planned(r: RoundView) -> PlannedRound:
    return PlannedRound(r.group, r.number, r.cast)


def update_attendance(store: Store, scenario_id: uuid.UUID, group: int,
                      people: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Latecomers and leavers: re-plan the group's rounds still to play over ``people``,
    keeping every started round as it was."""
    scenario = _scenario(store, scenario_id)
    rounds = [r for r in rounds_of(store, scenario_id) if r.group == group]
    done = [_planned(r) for r in rounds if r.started]
    rest = continue_rotation(done, list(people), scenario.acting_roles, group=group)
    return _replace_unstarted(store, scenario_id, rest, groups={group})


def swap(store: Store, scenario_id: uuid.UUID, group: int, a: uuid.UUID, b: uuid.UUID,
         *, from_number: int = 1) -> None:
    """Swap two people by hand in the group's rounds from ``from_number`` on (not yet started)."""
    rounds = [r for r in rounds_of(store, scenario_id) if r.group == group]
    if not any(r.role_of(a) for r in rounds):
        raise FieldError("participant", "That person is in none of this group's rounds.")
    if any(r.started and r.number >= from_number for r in rounds):
        raise FieldError("round", "Rounds that have started keep their cast; swap from the next round on.")
    swapped = swap_people([_planned(r) for r in rounds], a, b, from_number=from_number)
    _replace_unstarted(store, scenario_id, [r for r in swapped if r.number >= from_number], groups=set())


def _scenario(store: Store, scenario_id: uuid.UUID) -> ScenarioView:
    from app.roleplay.scenarios import load_scenario

    return load_scenario(store, scenario_id)


# ---------------------------------------------------------------- running a round


def load_round(store: Store, rid: uuid.UUID) -> RoundView:
    with store.read() as s:
        return view_of(existing_row(s, Round, rid, "round"))


def start_round(store: Store, rid: uuid.UUID, *, now: datetime | None = None) -> RoundView:
    """Begin the round's first phase."""
    now = now or utcnow()
    with store.write() as s:
        row: Round = existing_row(s, Round, rid, "round")
        if row.started_at is not None:
            raise RippleError("This round has already started.")
        scenario = _scenario_in(s, row)
        first = scenario.phases[0].name if scenario.phases else "play"
        row.started_at, row.phase, row.phase_starts, row.extra_s = now, first, {first: now.isoformat()}, 0.0
        s.flush()
        return view_of(row)


def advance_phase(store: Store, rid: uuid.UUID, *, now: datetime | None = None) -> RoundView:
    """The next phase (its start time recorded), or the round finished after the last one."""
    now = now or utcnow()
    with store.write() as s:
        row: Round = existing_row(s, Round, rid, "round")
        if row.started_at is None:
            raise RippleError("Start the round before moving to the next phase.")
        if row.finished_at is not None:
            raise RippleError("This round is already over.")
        names = [p.name for p in _scenario_in(s, row).phases]
        at = names.index(row.phase) if row.phase in names else len(names) - 1
        if at + 1 >= len(names):
            row.finished_at = now
        else:
            nxt = names[at + 1]
            row.phase, row.phase_starts, row.extra_s = nxt, {**(row.phase_starts or {}), nxt: now.isoformat()}, 0.0
        s.flush()
        return view_of(row)


def add_time(store: Store, rid: uuid.UUID, seconds: float = 60.0) -> RoundView:
    """"+1 min": more time for the current phase."""
    if not 0 < seconds <= 3600:
        raise FieldError("seconds", "Add between 1 second and an hour.")
    with store.write() as s:
        row: Round = existing_row(s, Round, rid, "round")
        if row.started_at is None or row.finished_at is not None:
            raise RippleError("Only a running round's phase can get more time.")
        row.extra_s = (row.extra_s or 0.0) + seconds
        s.flush()
        return view_of(row)


def attach_clip(store: Store, rid: uuid.UUID, clip_id: uuid.UUID | None) -> None:
    """The round's recording (None: detach it)."""
    with store.write() as s:
        row: Round = existing_row(s, Round, rid, "round")
        if clip_id is not None:
            existing_row(s, Clip, clip_id, "clip")
        if row.clip_id != clip_id:
            row.clip_id = clip_id


def _scenario_in(s: Session, row: Round) -> ScenarioView:
    from app.roleplay.scenarios import view_of as scenario_view

    return scenario_view(existing_row(s, Scenario, row.scenario_id, "scenario"))


@dataclass(frozen=True)
class PhaseClock:
    """What a phase timer shows at one instant. ``state``: ``waiting`` (not started),
    ``normal``, ``warning`` (≤ 20 % left), ``urgent`` (≤ 5 % left), ``over`` (overtime),
    ``done`` (round finished)."""

    phase: str
    planned_s: float
    elapsed_s: float
    state: str

    @property
    def remaining_s(self) -> float:
        return self.planned_s - self.elapsed_s

    @property
    def overtime_s(self) -> float:
        return max(0.0, -self.remaining_s)

    @property
    def due(self) -> bool:
        """Auto-advance moves on now."""
        return self.state == "over"


WARNING_LEFT, URGENT_LEFT = 0.20, 0.05
#: Every :attr:`PhaseClock.state` (labels: ``app.vocabulary.CLOCK_STATE_LABELS``).
CLOCK_STATES = ("waiting", "normal", "warning", "urgent", "over", "done")


def phase_clock(rnd: RoundView, scenario: ScenarioView, now: datetime | None = None) -> PhaseClock:
    now = now or utcnow()
    if rnd.finished:
        return PhaseClock(rnd.phase, 0.0, 0.0, "done")
    if not rnd.started:
        first = scenario.phases[0] if scenario.phases else None
        return PhaseClock(first.name if first else "", (first.minutes * 60) if first else 0.0, 0.0, "waiting")
    phase = next((p for p in scenario.phases if p.name == rnd.phase), None)
    planned = (phase.minutes * 60 if phase else 0.0) + rnd.extra_s
    began = rnd.phase_starts.get(rnd.phase, rnd.started_at)
    elapsed = max(0.0, (now - began).total_seconds()) if began else 0.0
    left = (planned - elapsed) / planned if planned > 0 else -1.0
    state = "over" if left < 0 else "urgent" if left <= URGENT_LEFT else "warning" if left <= WARNING_LEFT else "normal"
    return PhaseClock(rnd.phase, planned, elapsed, state)


def scenario_of_round(store: Store, rid: uuid.UUID) -> ScenarioView:
    with store.read() as s:
        return _scenario_in(s, existing_row(s, Round, rid, "round"))



# ---------------------------------------------------------------- ids as people type them


def resolve_round(store: Store, text: str | uuid.UUID) -> uuid.UUID:
    """A round's full id or a unique prefix of it (as ``ripple roleplay rotation`` shows them)."""
    if isinstance(text, uuid.UUID):
        return text
    bare = text.strip().lower().replace("-", "")
    if len(bare) < 4 or any(c not in "0123456789abcdef" for c in bare):
        raise FieldError("round", f"“{text}” is not a round id; `ripple roleplay rotation` shows them.")
    with store.read() as s:
        found = [i for i in s.scalars(select(Round.id)) if i.hex.startswith(bare)]
    if len(found) != 1:
        raise FieldError("round", f"There is no round whose id starts with “{text}”." if not found
                         else f"More than one round id starts with “{text}”; give more characters.")
    return found[0]


def resolve_role_play_item(store: Store, workshop_id: uuid.UUID, text: str) -> uuid.UUID:
    """A role-play item of the workshop by id (or unique prefix) or by its title."""
    wanted = text.strip().lower()
    with store.read() as s:
        items = list(s.scalars(select(AgendaItem).where(AgendaItem.workshop_id == workshop_id,
                                                        AgendaItem.kind == "role_play")))
    bare = wanted.replace("-", "")
    matches = [i for i in items if i.title.strip().lower() == wanted] or [
        i for i in items if len(bare) >= 4 and i.id.hex.startswith(bare)]
    if len(matches) != 1:
        raise FieldError("item", f"“{text}” does not name one role-play item of this workshop"
                         + (" (none of its items is a role play)." if not items else "."))
    return matches[0].id
