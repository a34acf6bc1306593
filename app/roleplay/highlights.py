"""Highlight reels: the marked moments of a recorded round, a few seconds around each marker,
cut into one short H.264/AAC MP4 that plays everywhere (``ripple roleplay highlights``).

Overlapping moments are merged into one stretch, so two markers a second apart never show
the same seconds twice. The cutting itself is :func:`media.reel.cut_reel`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.clips.library import ClipLibrary
from app.errors import FieldError, RippleError
from app.planning.ids import existing_row
from app.roleplay.files import checked_out
from app.roleplay.markers import markers_of
from app.roleplay.rounds import scenario_of_round
from app.roleplay.views import MarkerView
from db.models import Clip, Round
from db.store import Store

DEFAULT_AROUND_S = 3.0
MAX_AROUND_S = 30.0


def stretches(markers: Sequence[MarkerView], duration_s: float, around_s: float) -> list[tuple[float, float]]:
    """``around_s`` before and after each marker, inside the clip, overlaps merged, in order."""
    spans: list[tuple[float, float]] = []
    for m in sorted(markers, key=lambda m: m.at_s):
        if m.at_s > duration_s:
            continue  # a marker past the end (a recording cut short) shows nothing
        start, end = max(0.0, m.at_s - around_s), min(duration_s, m.at_s + around_s)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        elif end > start:
            spans.append((start, end))
    return spans


@dataclass(frozen=True)
class Reel:
    path: Path
    moments: int
    seconds: float


def cut_highlights(store: Store, library: ClipLibrary, round_id: uuid.UUID, out: str | Path, *,
                   criterion: str | None = None, around_s: float = DEFAULT_AROUND_S) -> Reel:
    """Write the reel of a round's markers (only one criterion's, if given) to ``out``."""
    from media.reel import cut_reel

    if not 0 < around_s <= MAX_AROUND_S:
        raise FieldError("around", f"--around must be between 0 and {MAX_AROUND_S:g} seconds.")
    path = checked_out(out, ".mp4")
    with store.read() as s:
        rnd: Round = existing_row(s, Round, round_id, "round")
        clip = s.get(Clip, rnd.clip_id) if rnd.clip_id else None
        if clip is None:
            raise RippleError("This round was not recorded (or its recording was deleted); there is nothing to cut.")
        sha, duration = clip.sha256, clip.seconds
    if criterion is not None and scenario_of_round(store, round_id).criterion(criterion) is None:
        raise FieldError("criterion", f"“{criterion}” is not a criterion of this round's rubric.")
    marks = [m for m in markers_of(store, round_id) if criterion is None or m.criterion == criterion]
    if not marks:
        raise RippleError("This round has no markers" + (f" on {criterion}" if criterion else "") + " to cut a reel from.")
    source = library.path_if_present(sha)
    if source is None:
        raise RippleError("The recording of this round is not on this laptop; sync to fetch it first.")
    spans = stretches(marks, duration or float("inf"), around_s)
    info = cut_reel(source, path, spans)
    return Reel(path, len(spans), info.duration_s)
