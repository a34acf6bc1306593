"""A workshop's agenda: its items in order, their timers, and the groups of each item.

Every function takes the open :class:`db.store.Store` and works in one transaction, so a
failure leaves nothing half-done. Positions are kept dense (0, 1, 2, …) after every insert,
move and delete, so the planner and the console agree on the order without sorting ties.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select

from app.errors import RippleError
from app.limits import checked
from app.planning.ids import check_fields, existing_row, group_id, set_changed
from app.planning.views import AgendaItemView, GroupView, TimerState
from db.models import AGENDA_KINDS, AgendaGroup, AgendaItem, Workshop, agenda_order
from db.store import Store
from db.types import utcnow


class TimerFields(Protocol):
    """The timer anchors an agenda item keeps in the store (and the live console mirrors)."""

    @property
    def minutes(self) -> float: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def running_since(self) -> datetime | None: ...
    @property
    def elapsed_s(self) -> float: ...
    @property
    def extra_s(self) -> float: ...
    @property
    def finished_at(self) -> datetime | None: ...


def timer_of(item: TimerFields, now: datetime | None = None) -> TimerState:
    """The timer as it stands at ``now``: only anchors are stored, so a crash loses nothing."""
    now = now or utcnow()
    elapsed = item.elapsed_s
    if item.running_since is not None:
        elapsed += max(0.0, (now - item.running_since).total_seconds())
    return TimerState(
        planned_s=item.minutes * 60.0,
        extra_s=item.extra_s,
        elapsed_s=elapsed,
        running=item.running_since is not None,
        started=item.started_at is not None,
        finished=item.finished_at is not None,
    )


def item_view(item: AgendaItem, groups: Sequence[AgendaGroup]) -> AgendaItemView:
    return AgendaItemView(
        id=item.id,
        position=item.position,
        kind=item.kind,
        title=item.title,
        instructions=item.instructions,
        minutes=item.minutes,
        groups=tuple(
            GroupView(g.id, g.name, tuple(uuid.UUID(m) for m in g.members or ()))
            for g in sorted(groups, key=lambda g: (g.position, g.created_at, g.id.hex))
        ),
        timer=timer_of(item),
    )


# ---------------------------------------------------------------- items


def _check_kind(kind: str) -> str:
    if kind not in AGENDA_KINDS:
        raise RippleError(
            f"“{kind}” is not an agenda item kind; use one of {', '.join(AGENDA_KINDS)}."
        )
    return kind


def _check_minutes(minutes: float) -> float:
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise RippleError(f"Planned minutes must be a number, not “{minutes}”.") from None
    if not 0 <= value <= 24 * 60:
        raise RippleError("Planned minutes must be between 0 and 1440.")
    return value


def add_agenda_item(
    store: Store,
    workshop_id: uuid.UUID,
    kind: str,
    title: str,
    *,
    instructions: str = "",
    minutes: float = 10,
    position: int | None = None,
) -> uuid.UUID:
    with store.write() as s:
        existing_row(s, Workshop, workshop_id, "workshop")
        items = list(
            s.scalars(
                select(AgendaItem)
                .where(AgendaItem.workshop_id == workshop_id)
                .order_by(*agenda_order(AgendaItem))
            )
        )
        item = AgendaItem(
            workshop_id=workshop_id,
            kind=_check_kind(kind),
            title=checked("agenda_items", "title", (title or kind.replace("_", " ").capitalize()).strip()),
            instructions=checked("agenda_items", "instructions", instructions),
            minutes=_check_minutes(minutes),
        )
        pos = len(items) if position is None else max(0, min(position, len(items)))
        items.insert(pos, item)
        s.add(item)
        _renumber(items)
        s.flush()
        return item.id


def _renumber(items: Sequence[AgendaItem]) -> None:
    for i, it in enumerate(items):
        if it.position != i:
            it.position = i


AGENDA_FIELDS = ("kind", "title", "instructions", "minutes")


def update_agenda_item(store: Store, item_id: uuid.UUID, **changes: Any) -> None:
    check_fields(changes, AGENDA_FIELDS, "agenda item")
    with store.write() as s:
        item = existing_row(s, AgendaItem, item_id, "agenda item")
        if "kind" in changes:
            changes["kind"] = _check_kind(changes["kind"])
        if "minutes" in changes:
            changes["minutes"] = _check_minutes(changes["minutes"])
        if "title" in changes:
            changes["title"] = checked("agenda_items", "title", (changes["title"] or "").strip()) or item.title
        if "instructions" in changes:
            changes["instructions"] = checked("agenda_items", "instructions", changes["instructions"])
        set_changed(item, changes)


def move_agenda_item(store: Store, item_id: uuid.UUID, new_position: int) -> None:
    with store.write() as s:
        item = existing_row(s, AgendaItem, item_id, "agenda item")
        items = [
            i
            for i in s.scalars(
                select(AgendaItem)
                .where(AgendaItem.workshop_id == item.workshop_id)
                .order_by(*agenda_order(AgendaItem))
            )
            if i.id != item.id
        ]
        items.insert(max(0, min(new_position, len(items))), item)
        _renumber(items)


def delete_agenda_item(store: Store, item_id: uuid.UUID) -> None:
    with store.write() as s:
        item = existing_row(s, AgendaItem, item_id, "agenda item")
        item.deleted_at = utcnow()
        for g in s.scalars(select(AgendaGroup).where(AgendaGroup.agenda_item_id == item.id)):
            g.deleted_at = item.deleted_at
        w = s.get(Workshop, item.workshop_id)
        if w is not None and w.current_item_id == item.id:
            w.current_item_id = None
        rest = list(
            s.scalars(
                select(AgendaItem)
                .where(AgendaItem.workshop_id == item.workshop_id, AgendaItem.id != item.id)
                .order_by(*agenda_order(AgendaItem))
            )
        )
        _renumber(rest)


# ---------------------------------------------------------------- groups


def balanced_groups(
    participant_ids: Sequence[uuid.UUID],
    *,
    count: int | None = None,
    size: int | None = None,
    seed: int | None = None,
) -> list[list[uuid.UUID]]:
    """Random groups whose sizes differ by at most one."""
    people = list(participant_ids)
    if not people:
        return []
    if count is None:
        if not size or size < 1:
            raise RippleError("Give a number of groups or a group size.")
        count = max(1, round(len(people) / size))
    if count < 1:
        raise RippleError("There must be at least one group.")
    count = min(count, len(people))
    random.Random(seed).shuffle(people)
    return [people[i::count] for i in range(count)]


def set_groups(
    store: Store,
    item_id: uuid.UUID,
    groups: Iterable[Sequence[uuid.UUID]],
    names: Sequence[str] | None = None,
) -> None:
    """Replace an agenda item's groups (manual or from :func:`balanced_groups`)."""
    chosen = [list(g) for g in groups if g]
    seen: set[uuid.UUID] = set()
    for members in chosen:
        for pid in members:
            if pid in seen:
                raise RippleError("A participant can be in only one group per agenda item.")
            seen.add(pid)
    with store.write() as s:
        existing_row(s, AgendaItem, item_id, "agenda item")
        now = utcnow()
        existing = list(
            s.scalars(
                select(AgendaGroup)
                .where(AgendaGroup.agenda_item_id == item_id)
                .order_by(*agenda_order(AgendaGroup))
            )
        )
        for i, members in enumerate(chosen):
            name = names[i] if names and i < len(names) else f"Group {i + 1}"
            text_members = [str(m) for m in members]
            if i < len(existing):
                group = existing[i]
                if group.members != text_members:
                    group.members = text_members
                if group.name != name:
                    group.name = name
            else:
                # A group's id is its item and place (ids.group_id): a second laptop planning
                # the same groups, or a file, merges with this one instead of doubling it.
                gid = group_id(item_id, i)
                again = s.get(AgendaGroup, gid, execution_options={"include_deleted": True})
                if again is None:
                    s.add(AgendaGroup(id=gid, agenda_item_id=item_id, position=i, name=name,
                                      members=text_members))
                else:
                    again.deleted_at, again.position, again.name, again.members = None, i, name, text_members
        for stale in existing[len(chosen):]:
            stale.deleted_at = now
