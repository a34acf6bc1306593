"""What the room sees: plain frozen dataclasses, built only by :func:`app.room.build.room_view`.

Nothing in here can hold a trainer's note, a private brief, a rating, a marker's note or an
influence figure: the types have no field for them. The audience window paints a
:class:`RoomView` and nothing else.

The timer's colours are decided here for the console and the room alike (SessionLab-style):
calm, then *soon* at 20 % of the time left, *last* at 5 % left, then *over*.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.planning.views import TimerState
from app.text import clock

SOON_FRACTION = 0.20
"""The timer turns amber when this share of the item's time is left."""
LAST_FRACTION = 0.05
"""The timer turns red when this share of the item's time is left."""

TONES = ("idle", "calm", "soon", "last", "over")
"""A timer's tone: not running, plenty left, 20 % left, 5 % left, overtime."""


def timer_tone(state: TimerState | None) -> str:
    """The one rule for the timer's colour (console and room)."""
    if state is None:
        return "idle"
    if state.overtime:
        return "over"
    if not state.running:
        return "idle"
    left = state.remaining_s / state.total_s if state.total_s > 0 else 0.0
    if left <= LAST_FRACTION:
        return "last"
    if left <= SOON_FRACTION:
        return "soon"
    return "calm"


@dataclass(frozen=True)
class RoomTimer:
    """The big clock: ``text`` is what it reads (``+01:20`` in overtime)."""

    text: str
    tone: str  # one of TONES
    running: bool
    fraction_left: float  # 0..1, 0 in overtime

    @classmethod
    def of(cls, state: TimerState | None) -> RoomTimer:
        if state is None:
            return cls("--:--", "idle", False, 0.0)
        text = "+" + clock(-state.remaining_s) if state.overtime else clock(state.remaining_s)
        frac = max(0.0, min(1.0, state.remaining_s / state.total_s)) if state.total_s > 0 else 0.0
        return cls(text, timer_tone(state), state.running, frac)


@dataclass(frozen=True)
class RoomGroup:
    name: str
    members: tuple[str, ...]  # names, as the room knows them anyway


@dataclass(frozen=True)
class RoomCastMember:
    role: str  # the role's public name ("Customer")
    person: str
    public: str = ""  # what everyone may know about the role (never its brief)


@dataclass(frozen=True)
class RoomRolePlay:
    """A role play's round as the room may see it: situation, round, cast, phase."""

    scenario: str
    situation: str
    group: str
    round: int
    cast: tuple[RoomCastMember, ...]
    phase: str  # "prepare", "play", "feedback"
    phase_timer: RoomTimer | None = None


@dataclass(frozen=True)
class RoomClip:
    """A clip on air: full screen while it plays, then the owner's name and the reactions."""

    clip_id: str
    path: str  # the local file ("" when it is not on this laptop yet)
    owner: str
    title: str
    has_audio: bool
    reactions: tuple[tuple[str, int], ...] = ()  # (label, count), in a fixed order
    ended: bool = False


@dataclass(frozen=True)
class Starter:
    """One person whose share set others off, and one line on what they started."""

    name: str
    line: str


@dataclass(frozen=True)
class RoomRecognition:
    heading: str
    scope: str  # "today" or the agenda item's title
    starters: tuple[Starter, ...]  # alphabetical: recognition, never a ranking


@dataclass(frozen=True)
class RoomItem:
    kind: str  # the agenda kind's label ("Challenge")
    title: str
    instructions: str
    number: int  # 1-based place in the agenda
    of: int


@dataclass(frozen=True)
class RoomView:
    """Everything the audience window shows, at one instant."""

    title: str
    status: str  # planned | live | finished
    item: RoomItem | None
    timer: RoomTimer
    groups: tuple[RoomGroup, ...] = ()
    next_title: str = ""
    roleplay: RoomRolePlay | None = None
    clip: RoomClip | None = None
    recognition: RoomRecognition | None = None

    @property
    def mode(self) -> str:
        """What fills the screen: the recognition, a clip, or the stage (item and timer)."""
        if self.recognition is not None:
            return "recognition"
        if self.clip is not None:
            return "clip"
        return "stage"


__all__ = [
    "LAST_FRACTION", "SOON_FRACTION", "TONES", "RoomCastMember", "RoomClip", "RoomGroup", "RoomItem",
    "RoomRecognition", "RoomRolePlay", "RoomTimer", "RoomView", "Starter", "timer_tone",
]
