"""Recording a round with the booth's recorder, and marking it while it records.

The consent gate (PRODUCT.md): everyone who acts in the round must have agreed to video.
Someone without video consent can still play (the round is then not recorded) or observe
(observers are not filmed). The clip belongs to the round's first player (a clip has one
owner); erasing any player of the round removes it (app/erasure.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.clips.catalogue import ClipView
from app.clips.library import ClipLibrary
from app.clips.recording import Recording
from app.errors import RippleError
from app.planning.ids import existing_row
from app.roleplay.markers import MarkerLog
from app.roleplay.rounds import attach_clip, view_of
from app.roleplay.views import MarkerView
from db.models import AgendaItem, Participant, Round, Scenario
from db.store import Store

if TYPE_CHECKING:
    from media.camera.base import Frame
    from media.recording.result import RecordingResult

#: A round is at most the play phase and some slack; the recorder stops itself after this.
MAX_ROUND_SECONDS = 30 * 60


@dataclass(frozen=True)
class RecordingGate:
    """Whether a round may be recorded, and if not, who has not agreed (names, for the sentence)."""

    allowed: bool
    without_consent: tuple[str, ...]
    sentence: str


def recording_gate(store: Store, round_id: uuid.UUID) -> RecordingGate:
    with store.read() as s:
        rnd = view_of(existing_row(s, Round, round_id, "round"))
        people = {p.id: p for p in s.scalars(select(Participant).where(Participant.id.in_(rnd.players)))}
    missing = tuple(sorted(
        people[p].name if p in people else "someone no longer in the store"
        for p in rnd.players if p not in people or not people[p].consent_video or people[p].erased_at is not None
    ))
    if not rnd.players:
        return RecordingGate(False, (), "This round has nobody playing, so there is nothing to record.")
    if missing:
        names = ", ".join(missing)
        return RecordingGate(False, missing, f"{names} {'has' if len(missing) == 1 else 'have'} not agreed to be "
                             "recorded on video: play this round unrecorded, or let them observe.")
    return RecordingGate(True, (), "Everyone playing this round agreed to be recorded.")


class RoundRecording:
    """One recording of a round: the consent gate, the take, and markers at its offset.

    ``on_preview``/``on_level``/``on_finished`` are the recorder's callbacks (capture and
    encoder threads; the UI marshals them)."""

    def __init__(
        self,
        store: Store,
        library: ClipLibrary,
        round_id: uuid.UUID,
        *,
        camera: Any,
        audio: Any,
        max_seconds: float = MAX_ROUND_SECONDS,
        on_preview: Callable[[Frame], None] | None = None,
        on_level: Callable[[float], None] | None = None,
        on_finished: Callable[[RecordingResult], None] | None = None,
    ) -> None:
        gate = recording_gate(store, round_id)
        if not gate.allowed:
            raise RippleError(gate.sentence)
        with store.read() as s:
            row: Round = existing_row(s, Round, round_id, "round")
            scenario: Scenario = existing_row(s, Scenario, row.scenario_id, "scenario")
            item: AgendaItem = existing_row(s, AgendaItem, scenario.agenda_item_id, "agenda item")
            self.title = f"{scenario.title} · round {row.number}"[:200]
            owner = view_of(row).players[0]
            workshop_id = item.workshop_id
        self.store = store
        self.round_id = round_id
        self.markers = MarkerLog(store, round_id)
        self.take = Recording(store, library, workshop_id, owner, item.id, camera=camera, audio=audio,
                              max_seconds=max_seconds, on_preview=on_preview, on_level=on_level,
                              on_finished=on_finished)

    def start(self) -> None:
        self.take.start()

    @property
    def offset_s(self) -> float:
        """Where the recording is now (what a marker dropped now points at)."""
        return self.take.elapsed

    def mark(self, key: str = "", *, shift: bool = False, by: uuid.UUID | None = None) -> MarkerView:
        """The one-key marker: ``1``–``9`` a rubric criterion, any other key a bookmark."""
        return self.markers.drop_key(self.offset_s, key, shift=shift, by=by)

    def stop(self) -> RecordingResult:
        return self.take.stop()

    def keep(self) -> ClipView:
        """Store the recording as a clip (room scope) and make it the round's clip."""
        view = self.take.keep("room", self.title)
        attach_clip(self.store, self.round_id, view.id)
        return view

    def discard(self) -> None:
        self.take.discard()
