"""The one "the store changed" notification (after Anki's ``operation_did_execute``).

Whatever writes to the store from the UI — a planner edit, a tap in the console, a reaction in
the gallery, a sync that brought other laptops' rows — announces *what* it touched with
:func:`announce`. Screens listen to :attr:`ChangeHub.sig_changed` (``ui.kit.page.Page`` does it
for them): a screen that is on show refreshes at once, a hidden one marks itself stale and
refreshes when it is shown next. So no screen needs to know which other screens exist.

The announcement carries the initiator as well, so the screen that made the edit (and is
already up to date) does not reload itself under the user's fingers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

WORKSHOPS = "workshops"
"""A workshop's plan: details, status, agenda, groups, participants, consent, keys."""
CONTRIBUTIONS = "contributions"
"""What was logged during a workshop: contributions and the agenda timers."""
CLIPS = "clips"
"""Clips and the room's reactions to them."""
KINDS: frozenset[str] = frozenset({WORKSHOPS, CONTRIBUTIONS, CLIPS})


@dataclass(frozen=True)
class Changes:
    """What a write touched: which kinds of rows, in which workshops (``None``: any workshop,
    e.g. after a sync, when listing them would cost more than refreshing)."""

    kinds: frozenset[str] = KINDS
    workshops: frozenset[uuid.UUID] | None = None

    @classmethod
    def of(cls, *kinds: str, workshop: uuid.UUID | None = None) -> Changes:
        unknown = set(kinds) - KINDS
        if unknown:
            raise ValueError(f"unknown kinds of change: {sorted(unknown)}")
        return cls(frozenset(kinds), None if workshop is None else frozenset({workshop}))

    @classmethod
    def everything(cls) -> Changes:
        """Anything may have changed (a sync brought rows from other laptops)."""
        return cls()

    def touches(self, kinds: Iterable[str], workshop: uuid.UUID | None = None) -> bool:
        """Whether a screen that shows ``kinds`` (of ``workshop``, or of every workshop when
        ``None``) has to refresh."""
        if not self.kinds & frozenset(kinds):
            return False
        return workshop is None or self.workshops is None or workshop in self.workshops


class ChangeHub(QObject):
    """The application's one store-changed signal."""

    sig_changed = Signal(object, object)
    """(changes: Changes, initiator: object | None) — rows were written to the store; the
    initiator is the screen or controller that wrote them (already up to date), or ``None``."""


_hub: ChangeHub | None = None


def hub() -> ChangeHub:
    """The hub (made on first use, on the UI thread: its signal is delivered there)."""
    global _hub
    if _hub is None:
        _hub = ChangeHub()
    return _hub


def announce(changes: Changes, initiator: object | None = None) -> None:
    """Tell every screen that ``changes`` were written (call on the UI thread)."""
    hub().sig_changed.emit(changes, initiator)
