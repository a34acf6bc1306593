"""Recording in the booth: a take starts only after the consent check, is written crash-safe,
and is then kept as a clip or thrown away; a take a crash cut short is offered back.

A recording is written straight into ``clips/incoming/<id>.mp4`` (fragmented MP4, playable
up to the last fragment) with a small JSON sidecar naming the workshop and the person, so a
recording cut short by a crash is found and offered back at the next start.
"""

from __future__ import annotations

import json
import logging
import math
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.clips.catalogue import ClipView
from app.clips.library import (
    ClipLibrary,
    check_scope,
    check_workshop,
    discard_incoming,
    keep_file,
    require_video_consent,
    sidecar_of,
)
from app.errors import RippleError
from db.models import Clip
from db.store import Store
from db.types import utcnow

if TYPE_CHECKING:
    from media.camera.base import Frame
    from media.recording.recorder import Recorder
    from media.recording.result import RecordingResult

log = logging.getLogger("ripple.clips")


@dataclass(frozen=True)
class Pending:
    """A recording found in ``incoming/`` that was never kept or thrown away (a crash)."""

    path: Path
    workshop_id: uuid.UUID
    participant_id: uuid.UUID
    agenda_item_id: uuid.UUID | None
    started_at: datetime


class Recording:
    """One take in the booth: consent checked, written crash-safe, then kept or retaken.

    ``on_preview``/``on_level`` run on the recorder's capture thread; ``on_finished`` on its
    encoder thread (when the limit is reached or a fault stops it). The UI marshals them.
    """

    def __init__(
        self,
        store: Store,
        library: ClipLibrary,
        workshop_id: uuid.UUID,
        participant_id: uuid.UUID,
        agenda_item_id: uuid.UUID | None,
        *,
        camera: Any,
        audio: Any,
        max_seconds: float = 90.0,
        on_preview: Callable[[Frame], None] | None = None,
        on_level: Callable[[float], None] | None = None,
        on_finished: Callable[[RecordingResult], None] | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.person = require_video_consent(store, participant_id)
        check_workshop(store, workshop_id, agenda_item_id)
        self.workshop_id = workshop_id
        self.participant_id = participant_id
        self.agenda_item_id = agenda_item_id
        self.path = library.new_incoming()
        self.started_at = utcnow()
        self.silent = audio is None  # no microphone from the start: said before Record, not after
        from media.recording.recorder import Recorder

        self.recorder: Recorder = Recorder(
            camera, audio, self.path, max_seconds=max_seconds,
            on_preview=on_preview, on_level=on_level, on_finished=on_finished,
        )

    def warning(self, result: RecordingResult) -> str | None:
        """What to tell the person about the finished take: the recorder's warnings, less
        "No microphone found" when the take had none from the start. The booth said so before
        Record ("this clip will have no sound"), and the trainer may have chosen "No sound":
        saying it again after the take reads as a fault that is not there."""
        from media.recording.recorder import NO_MICROPHONE_WARNING

        text = result.warning
        if text and self.silent:
            text = text.replace(NO_MICROPHONE_WARNING, "").strip() or None
        return text

    def start(self) -> None:
        _write_sidecar(self.path, self.workshop_id, self.participant_id, self.agenda_item_id, self.started_at)
        try:
            self.recorder.start()
        except BaseException:
            discard_incoming(self.path)
            raise

    @property
    def elapsed(self) -> float:
        return self.recorder.elapsed

    def request_stop(self) -> None:
        """End the take now (no frame after this moment is recorded); ``stop()`` finishes the file."""
        self.recorder.request_stop()

    def stop(self) -> RecordingResult:
        return self.recorder.stop()

    def keep(self, scope: str = "room", title: str = "") -> ClipView:
        """Store the take as a clip of its owner (scope chosen by the owner)."""
        check_scope(self.person, scope)
        return keep_file(
            self.store, self.library, self.path, self.workshop_id, self.participant_id,
            self.agenda_item_id, at=self.started_at, scope=scope, title=title,
        )

    def discard(self) -> None:
        """Retake: the take is thrown away, file and sidecar."""
        discard_incoming(self.path)


def take_clock(elapsed: float, limit: float) -> tuple[int, int]:
    """(seconds recorded, seconds left) as the booth shows them: the two always add up to the limit.

    Why: rounding each on its own (elapsed up, time left up) showed 00:08 + 01:23 for a
    90 s limit. Elapsed whole seconds are counted down (a second is shown once it is
    recorded), the time left is the limit minus them.
    """
    shown = max(0, math.floor(elapsed))
    total = math.ceil(limit)
    return min(shown, total), max(0, total - shown)


def _write_sidecar(path: Path, wid: uuid.UUID, pid: uuid.UUID, item: uuid.UUID | None, at: datetime) -> None:
    data = {"workshop": str(wid), "participant": str(pid), "agenda_item": str(item) if item else None,
            "started_at": at.isoformat()}
    side = sidecar_of(path)
    tmp = side.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, side)


# ---------------------------------------------------------------- after a crash


def pending_recordings(library: ClipLibrary) -> list[Pending]:
    """Recordings a crash left behind (playable up to their last fragment)."""
    out: list[Pending] = []
    if not library.incoming.exists():
        return out
    for side in sorted(library.incoming.glob("*.json")):
        mp4 = side.with_suffix(".mp4")
        try:
            data = json.loads(side.read_text(encoding="utf-8"))
            entry = Pending(
                mp4, uuid.UUID(data["workshop"]), uuid.UUID(data["participant"]),
                uuid.UUID(data["agenda_item"]) if data.get("agenda_item") else None,
                datetime.fromisoformat(data["started_at"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("unreadable sidecar %s", side)
            continue
        if mp4.exists() and mp4.stat().st_size > 0:
            out.append(entry)
        else:
            discard_incoming(mp4)
    return out


def recover(store: Store, library: ClipLibrary, pending: Pending) -> ClipView:
    """Keep what an interrupted recording saved (room scope: the owner never chose)."""
    from media.recording.output import salvage

    salvage(pending.path)
    require_video_consent(store, pending.participant_id)
    return keep_file(store, library, pending.path, pending.workshop_id, pending.participant_id,
                     pending.agenda_item_id, at=pending.started_at, scope="room")


def discard_pending(pending: Pending) -> None:
    discard_incoming(pending.path)


# ---------------------------------------------------------------- demo


def demo_clip_recorder(store: Store, library: ClipLibrary, seconds: float = 4.0) -> Callable[..., None]:
    """For ``ripple demo``: short clips from the synthetic camera and tone, encoded as fast
    as the machine allows (not paced in real time)."""
    from media.audio import SyntheticTone
    from media.camera.synthetic import SyntheticCamera

    def record(workshop_id: uuid.UUID, participant_id: uuid.UUID, item_id: uuid.UUID | None, at: datetime) -> None:
        camera = SyntheticCamera(640, 360, 30, realtime=False)
        tone = SyntheticTone(660.0, beep=True, realtime=False)
        take = Recording(store, library, workshop_id, participant_id, item_id, camera=camera, audio=tone,
                         max_seconds=seconds)
        take.start()
        result = take.recorder.wait(timeout=seconds * 20 + 30)
        if result is None:
            result = take.stop()
        camera.close()
        if result.error:
            take.discard()
            raise RippleError(result.error)
        view = keep_file(store, library, take.path, workshop_id, participant_id, item_id, at=at,
                         scope="room", title="Demo clip")
        with store.write() as s:
            row = s.get(Clip, view.id)
            if row is not None:
                row.at = at

    return record
