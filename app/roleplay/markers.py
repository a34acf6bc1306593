"""Markers: moments in a round's recording, dropped with one key while it records.

The fast path (ARCHITECTURE.md, "A marker"): key → :meth:`MarkerLog.drop` at the recorder's
current offset → one ``Store.append`` transaction, durable on return, like a contribution.
The checks (criterion in the rubric, polarity, offset) are done in memory against the rubric
the log read once, so marking costs one insert. Markers are append-only: removing one is a
tombstone, and two laptops marking the same round never conflict.

The review helpers (:func:`filter_markers`, :func:`next_marker`, :func:`loop_window`) are pure.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.errors import FieldError, NotFound
from app.planning.ids import existing_row
from app.roleplay.rounds import scenario_of_round
from app.roleplay.views import Criterion, MarkerView
from db.models import MARKER_POLARITIES, Marker, Round
from db.store import Store
from db.types import utcnow

NOTE_LIMIT = 500


def marker_for_key(rubric: Sequence[Criterion], key: str, *, shift: bool = False) -> tuple[str | None, str]:
    """(criterion, polarity) for a key: ``1``–``9`` are the rubric's first nine criteria, any
    other key a plain bookmark; Shift marks "to improve" instead of "strength"."""
    polarity = "improve" if shift else "strength"
    if len(key) == 1 and key.isdigit() and key != "0" and int(key) <= len(rubric):
        return rubric[int(key) - 1].id, polarity
    return None, polarity


class MarkerLog:
    """Drops markers on one round. Made once when the round starts recording."""

    def __init__(self, store: Store, round_id: uuid.UUID) -> None:
        self.store = store
        self.round_id = round_id
        self.rubric = scenario_of_round(store, round_id).rubric
        self._criteria = {c.id for c in self.rubric}

    def drop(self, at_s: float, *, criterion: str | None = None, polarity: str = "strength",
             by: uuid.UUID | None = None, note: str = "") -> MarkerView:
        """One marker at ``at_s`` seconds into the recording; on disk when this returns."""
        values = check_marker(at_s, criterion, polarity, note, self._criteria)
        row = self.store.append(Marker, {"round_id": self.round_id, "by_id": by, **values})
        return MarkerView(row["id"], self.round_id, values["at_s"], values["criterion"], values["polarity"], by,
                          values["note"])

    def drop_key(self, at_s: float, key: str, *, shift: bool = False, by: uuid.UUID | None = None) -> MarkerView:
        criterion, polarity = marker_for_key(self.rubric, key, shift=shift)
        return self.drop(at_s, criterion=criterion, polarity=polarity, by=by)


def check_marker(at_s: float, criterion: str | None, polarity: str, note: str,
                 criteria: set[str]) -> dict[str, Any]:
    if isinstance(at_s, bool) or not isinstance(at_s, int | float) or not 0 <= at_s < 24 * 3600:
        raise FieldError("at_s", "A marker's time must be a number of seconds into the recording.")
    if polarity not in MARKER_POLARITIES:
        raise FieldError("polarity", f"A marker is a strength or to improve, not “{polarity}”.")
    if criterion is not None and criterion not in criteria:
        raise FieldError("criterion", f"“{criterion}” is not a criterion of this round's rubric.")
    return {"at_s": round(float(at_s), 3), "criterion": criterion, "polarity": polarity,
            "note": (note or "").strip()[:NOTE_LIMIT]}


def drop_marker(store: Store, round_id: uuid.UUID, at_s: float, *, criterion: str | None = None,
                polarity: str = "strength", by: uuid.UUID | None = None, note: str = "") -> MarkerView:
    """One marker, without a :class:`MarkerLog` (the review screen adding one afterwards)."""
    return MarkerLog(store, round_id).drop(at_s, criterion=criterion, polarity=polarity, by=by, note=note)


def remove_marker(store: Store, marker_id: uuid.UUID) -> None:
    with store.write() as s:
        row: Marker = existing_row(s, Marker, marker_id, "marker")
        row.deleted_at = utcnow()


def markers_of(store: Store, round_id: uuid.UUID) -> list[MarkerView]:
    """A round's markers in time order."""
    with store.read() as s:
        if s.get(Round, round_id) is None:
            raise NotFound(f"There is no round with id {round_id}.")
        rows = s.scalars(select(Marker).where(Marker.round_id == round_id).order_by(Marker.at_s, Marker.id))
        return [MarkerView(m.id, m.round_id, m.at_s, m.criterion, m.polarity, m.by_id, m.note) for m in rows]


# ---------------------------------------------------------------- review (pure)

_ANY = object()


def filter_markers(markers: Sequence[MarkerView], *, criterion: object = _ANY, by: object = _ANY,
                   polarity: str | None = None) -> list[MarkerView]:
    """The markers of one criterion (``None``: bookmarks), observer (``None``: the
    facilitator) and/or polarity; an argument left out does not filter."""
    return [m for m in markers
            if (criterion is _ANY or m.criterion == criterion)
            and (by is _ANY or m.by == by)
            and (polarity is None or m.polarity == polarity)]


def next_marker(markers: Sequence[MarkerView], position_s: float, *, forward: bool = True,
                slack_s: float = 0.25) -> MarkerView | None:
    """The marker after (or before) the player's position; ``slack_s`` skips the one the
    player is sitting on, so pressing the key twice moves on."""
    ordered = sorted(markers, key=lambda m: m.at_s)
    if forward:
        return next((m for m in ordered if m.at_s > position_s + slack_s), None)
    return next((m for m in reversed(ordered) if m.at_s < position_s - slack_s), None)


@dataclass(frozen=True)
class Window:
    start_s: float
    end_s: float


def loop_window(at_s: float, around_s: float, duration_s: float) -> Window:
    """The short loop around a marker: ``around_s`` on each side, inside the clip."""
    start = max(0.0, at_s - around_s)
    end = min(duration_s, at_s + around_s) if duration_s > 0 else at_s + around_s
    return Window(start, max(start, end))
