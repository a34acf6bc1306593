"""The allow-list: the one place where workshop state becomes what the room may see.

:func:`room_view` copies, field by field, only what the projector may show: the workshop's
title and status, the current item's kind, title and instructions (the public text the
trainer wrote for the room), the timer, the groups with their members' names, a role play's
scenario, situation, round, cast (role names and their public lines) and phase, a clip's
owner and reactions, and recognition. Anything not named here — the workshop's notes,
contributions and their notes, e-mails, consent, a role's brief, ratings, markers and their
notes, influence figures — cannot reach the room, because no other code makes a RoomView.

The role-play part reads any object shaped like :class:`RoundSource` (``app/roleplay`` is
being built beside this; an adapter from its round to this protocol is all it needs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.live import LiveWorkshop
from app.planning.views import TimerState
from app.room.view import (
    RoomCastMember,
    RoomClip,
    RoomGroup,
    RoomItem,
    RoomRecognition,
    RoomRolePlay,
    RoomTimer,
    RoomView,
)
from app.vocabulary import AGENDA_LABELS


class RoleSource(Protocol):
    """A role of a scenario card; only ``name`` and ``public`` are read (``brief`` is private)."""

    @property
    def name(self) -> str: ...
    @property
    def public(self) -> str: ...


class CastSource(Protocol):
    @property
    def role(self) -> RoleSource: ...
    @property
    def person(self) -> str: ...


class RoundSource(Protocol):
    """What a running role-play round offers; ratings, markers and briefs may be there too,
    and are never read."""

    @property
    def scenario(self) -> str: ...
    @property
    def situation(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def cast(self) -> Sequence[CastSource]: ...
    @property
    def phase(self) -> str: ...
    @property
    def phase_timer(self) -> TimerState | None: ...


def room_view(
    live: LiveWorkshop,
    *,
    roleplay: RoundSource | None = None,
    clip: RoomClip | None = None,
    recognition: RoomRecognition | None = None,
) -> RoomView:
    """What the room sees of ``live`` right now (from memory: no store query)."""
    plan = live.plan
    item = live.current_item
    agenda = list(plan.agenda)
    names = {p.id: p.name for p in plan.participants}
    room_item = None
    groups: tuple[RoomGroup, ...] = ()
    next_title = ""
    if item is not None:
        place = next((i for i, a in enumerate(agenda) if a.id == item.id), 0)
        room_item = RoomItem(AGENDA_LABELS.get(item.kind, item.kind), item.title, item.instructions,
                             place + 1, len(agenda))
        groups = tuple(
            RoomGroup(g.name or f"Group {i + 1}", tuple(names[m] for m in g.members if m in names))
            for i, g in enumerate(item.groups)
        )
        next_title = agenda[place + 1].title if place + 1 < len(agenda) else ""
    return RoomView(
        title=plan.title,
        status=plan.status,
        item=room_item,
        timer=RoomTimer.of(live.timer()),
        groups=groups,
        next_title=next_title,
        roleplay=_roleplay(roleplay) if roleplay is not None else None,
        clip=clip,
        recognition=recognition,
    )


def _roleplay(r: RoundSource) -> RoomRolePlay:
    return RoomRolePlay(
        scenario=r.scenario,
        situation=r.situation,
        group=r.group,
        round=r.number,
        cast=tuple(RoomCastMember(c.role.name, c.person, c.role.public) for c in r.cast),
        phase=r.phase,
        phase_timer=RoomTimer.of(r.phase_timer) if r.phase_timer is not None else None,
    )


__all__ = ["CastSource", "RoleSource", "RoundSource", "room_view"]
