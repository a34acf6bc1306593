"""Clips: recording, importing, keeping, hiding and reacting to peer-shared lesson clips.

Files live under the data directory by sha256 (``media.storage.ClipFiles``); the store holds
the metadata (owner, agenda item, length, scope, poster frame). This module joins the two
and is where consent is enforced: no video consent, no recording, no import, no showing.

A recording is written straight into ``clips/incoming/<id>.mp4`` (fragmented MP4, playable
up to the last fragment) with a small JSON sidecar naming the workshop and the person, so a
recording cut short by a crash is found and offered back at the next start.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from app.errors import NotFound, RippleError
from app.platform.paths import clips_dir
from db.models import (
    CLIP_SCOPES,
    REACTION_KINDS,
    AgendaItem,
    Clip,
    Contribution,
    Participant,
    Reaction,
    Workshop,
)
from db.store import Store
from db.types import utcnow

if TYPE_CHECKING:
    from media.camera.base import Frame
    from media.recording.recorder import Recorder
    from media.recording.result import RecordingResult

log = logging.getLogger("ripple.clips")


class ClipLibrary:
    """The clip files of this laptop, as the use cases need them."""

    def __init__(self, root: Path) -> None:
        from media.storage import ClipFiles

        self.root = root
        self.files = ClipFiles(root)
        self.incoming = root / "incoming"

    def path_if_present(self, sha: str) -> Path | None:
        return self.files.path_for(sha) if sha and self.files.exists(sha) else None

    def exists(self, sha: str) -> bool:
        return bool(sha) and self.files.exists(sha)

    def add_checked(self, src: Path, sha: str) -> bool:
        """Store ``src`` under ``sha`` after checking its content; True if newly added."""
        from media.storage import ClipFiles

        actual = ClipFiles.sha256_of(src)
        if actual != sha:
            raise RippleError(
                f"The clip file {src.name} does not match its checksum; the import was stopped "
                "and nothing was changed."
            )
        if self.files.exists(sha):
            return False
        self.files.add(src, move=False)
        return True

    def delete(self, sha: str) -> None:
        self.files.delete(sha)

    def new_incoming(self) -> Path:
        self.incoming.mkdir(parents=True, exist_ok=True)
        return self.incoming / f"{uuid.uuid4()}.mp4"


def clip_files(root: Path | None = None) -> ClipLibrary:
    return ClipLibrary(root or clips_dir())


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class ClipView:
    id: uuid.UUID
    workshop_id: uuid.UUID
    agenda_item_id: uuid.UUID | None
    agenda_title: str
    participant_id: uuid.UUID
    owner: str
    at: datetime
    seconds: float
    scope: str
    sha256: str
    width: int
    height: int
    has_audio: bool
    title: str
    thumbnail: bytes | None
    reactions: dict[str, int] = field(default_factory=dict)
    hidden: bool = False
    hidden_reason: str = ""


@dataclass(frozen=True)
class Pending:
    """A recording found in ``incoming/`` that was never kept or thrown away (a crash)."""

    path: Path
    workshop_id: uuid.UUID
    participant_id: uuid.UUID
    agenda_item_id: uuid.UUID | None
    started_at: datetime


# ---------------------------------------------------------------- consent


def require_video_consent(store: Store, participant_id: uuid.UUID) -> Participant:
    with store.read() as s:
        p = s.get(Participant, participant_id)
        if p is None:
            raise NotFound(f"There is no participant with id {participant_id}.")
        if p.erased_at is not None:
            raise RippleError("This participant was erased; nothing can be recorded for them.")
        if not p.consent_video:
            raise RippleError(
                f"{p.name} has not agreed to be recorded on video, so Ripple will not record or "
                "import a clip for them. Record their consent in the planner first."
            )
        return p


def _check_scope(p: Participant, scope: str) -> str:
    if scope not in CLIP_SCOPES:
        raise RippleError(f"“{scope}” is not a clip scope; use room or community.")
    if scope == "community" and not p.consent_community:
        raise RippleError(
            f"{p.name} has not agreed to share clips beyond the room; keep the clip for this room only."
        )
    return scope


def _check_workshop(store: Store, workshop_id: uuid.UUID, agenda_item_id: uuid.UUID | None) -> None:
    with store.read() as s:
        if s.get(Workshop, workshop_id) is None:
            raise NotFound(f"There is no workshop with id {workshop_id}.")
        if agenda_item_id is not None:
            item = s.get(AgendaItem, agenda_item_id)
            if item is None or item.workshop_id != workshop_id:
                raise NotFound("That agenda item is not part of this workshop.")


# ---------------------------------------------------------------- recording


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
        _check_workshop(store, workshop_id, agenda_item_id)
        self.workshop_id = workshop_id
        self.participant_id = participant_id
        self.agenda_item_id = agenda_item_id
        self.path = library.new_incoming()
        self.started_at = utcnow()
        from media.recording.recorder import Recorder

        self.recorder: Recorder = Recorder(
            camera, audio, self.path, max_seconds=max_seconds,
            on_preview=on_preview, on_level=on_level, on_finished=on_finished,
        )

    def start(self) -> None:
        _write_sidecar(self.path, self.workshop_id, self.participant_id, self.agenda_item_id, self.started_at)
        try:
            self.recorder.start()
        except BaseException:
            _remove(self.path)
            raise

    @property
    def elapsed(self) -> float:
        return self.recorder.elapsed

    def stop(self) -> RecordingResult:
        return self.recorder.stop()

    def keep(self, scope: str = "room", title: str = "") -> ClipView:
        """Store the take as a clip of its owner (scope chosen by the owner)."""
        _check_scope(self.person, scope)
        return keep_file(
            self.store, self.library, self.path, self.workshop_id, self.participant_id,
            self.agenda_item_id, at=self.started_at, scope=scope, title=title,
        )

    def discard(self) -> None:
        """Retake: the take is thrown away, file and sidecar."""
        _remove(self.path)


def _sidecar(path: Path) -> Path:
    return path.with_suffix(".json")


def _write_sidecar(path: Path, wid: uuid.UUID, pid: uuid.UUID, item: uuid.UUID | None, at: datetime) -> None:
    data = {"workshop": str(wid), "participant": str(pid), "agenda_item": str(item) if item else None,
            "started_at": at.isoformat()}
    tmp = _sidecar(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, _sidecar(path))


def _remove(path: Path) -> None:
    for p in (path, _sidecar(path)):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def keep_file(
    store: Store,
    library: ClipLibrary,
    path: Path,
    workshop_id: uuid.UUID,
    participant_id: uuid.UUID,
    agenda_item_id: uuid.UUID | None,
    *,
    at: datetime,
    scope: str = "room",
    title: str = "",
) -> ClipView:
    """Move a finished MP4 into the clip store and record it (metadata + poster frame)."""
    from media.errors import MediaError
    from media.probe import probe
    from media.thumbnails import poster_frame

    info = probe(path)
    try:
        thumb: bytes | None = poster_frame(path)
    except MediaError:
        thumb = None
    sha = library.files.add(path, move=True)
    _remove(path)
    cid = uuid.uuid4()
    try:
        with store.write() as s:
            s.add(Clip(
                id=cid, workshop_id=workshop_id, agenda_item_id=agenda_item_id, participant_id=participant_id,
                at=at, seconds=round(info.duration_s, 3), scope=scope, sha256=sha, width=info.width,
                height=info.height, has_audio=info.has_audio, thumbnail=thumb, title=title.strip()[:200],
            ))
    except BaseException:
        if not _sha_in_use(store, sha):
            library.delete(sha)
        raise
    view = clip(store, cid)
    assert view is not None
    return view


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
            _remove(mp4)
    return out


def recover(store: Store, library: ClipLibrary, pending: Pending) -> ClipView:
    """Keep what an interrupted recording saved (room scope: the owner never chose)."""
    from media.recording.output import salvage

    salvage(pending.path)
    require_video_consent(store, pending.participant_id)
    return keep_file(store, library, pending.path, pending.workshop_id, pending.participant_id,
                     pending.agenda_item_id, at=pending.started_at, scope="room")


def discard_pending(pending: Pending) -> None:
    _remove(pending.path)


# ---------------------------------------------------------------- import


def import_clip(
    store: Store,
    library: ClipLibrary,
    src: Path,
    workshop_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    agenda_item_id: uuid.UUID | None = None,
    scope: str = "room",
    title: str = "",
    on_progress: Callable[[float], None] | None = None,
) -> ClipView:
    """Bring in a phone clip: transcoded to H.264/AAC MP4, upright, at most 1080p.

    Consent and ids are checked before any work; a broken or non-video file stores nothing.
    """
    from media.transcode import import_video

    person = require_video_consent(store, participant_id)
    _check_scope(person, scope)
    _check_workshop(store, workshop_id, agenda_item_id)
    src = Path(src).expanduser()
    if not src.is_file():
        raise RippleError(f"There is no video file {src}.")
    target = library.new_incoming()
    try:
        import_video(src, target, on_progress=on_progress)
        return keep_file(store, library, target, workshop_id, participant_id, agenda_item_id,
                         at=utcnow(), scope=scope, title=title or src.stem)
    finally:
        _remove(target)


# ---------------------------------------------------------------- reading


def _hidden(p: Participant | None) -> tuple[bool, str]:
    if p is None:
        return True, "owner unknown"
    if p.erased_at is not None:
        return True, "owner erased"
    if not p.consent_video:
        return True, f"{p.name} withdrew video consent"
    return False, ""


def list_clips(
    store: Store, workshop_id: uuid.UUID | None = None, *, include_hidden: bool = False
) -> list[ClipView]:
    """Clips (newest first) with owner, agenda item and reactions; hidden ones only on request."""
    with store.read() as s:
        q = select(Clip).order_by(Clip.at.desc())
        if workshop_id is not None:
            q = q.where(Clip.workshop_id == workshop_id)
        clips = list(s.scalars(q))
        if not clips:
            return []
        owners = {p.id: p for p in s.scalars(select(Participant).where(
            Participant.id.in_({c.participant_id for c in clips})))}
        items = {i.id: i.title for i in s.scalars(select(AgendaItem).where(
            AgendaItem.id.in_({c.agenda_item_id for c in clips if c.agenda_item_id})))}
        counts: dict[uuid.UUID, dict[str, int]] = {}
        for clip_id, kind, n in s.execute(
            select(Reaction.clip_id, Reaction.kind, func.count())
            .where(Reaction.clip_id.in_([c.id for c in clips]), Reaction.deleted_at.is_(None))
            .group_by(Reaction.clip_id, Reaction.kind)
        ):
            if clip_id is not None:
                counts.setdefault(clip_id, {})[kind] = n
    out = []
    for c in clips:
        owner = owners.get(c.participant_id)
        hidden, reason = _hidden(owner)
        if hidden and not include_hidden:
            continue
        scope = c.scope if (owner is not None and owner.consent_community) else "room"
        out.append(ClipView(
            id=c.id, workshop_id=c.workshop_id, agenda_item_id=c.agenda_item_id,
            agenda_title=items.get(c.agenda_item_id, "") if c.agenda_item_id else "",
            participant_id=c.participant_id, owner=owner.name if owner and not hidden else "(hidden)",
            at=c.at, seconds=c.seconds, scope=scope, sha256=c.sha256, width=c.width, height=c.height,
            has_audio=c.has_audio, title=c.title, thumbnail=c.thumbnail,
            reactions=counts.get(c.id, {}), hidden=hidden, hidden_reason=reason,
        ))
    return out


def clip(store: Store, clip_id: uuid.UUID) -> ClipView | None:
    with store.read() as s:
        row = s.get(Clip, clip_id)
        wid = row.workshop_id if row else None
    if wid is None:
        return None
    return next((c for c in list_clips(store, wid, include_hidden=True) if c.id == clip_id), None)


def hidden_clips_of(store: Store, participant_id: uuid.UUID) -> list[ClipView]:
    """After a consent is withdrawn: the clips now hidden, to offer their deletion."""
    with store.read() as s:
        wids = set(s.scalars(select(Clip.workshop_id).where(Clip.participant_id == participant_id)))
    return [c for wid in wids for c in list_clips(store, wid, include_hidden=True)
            if c.participant_id == participant_id and c.hidden]


# ---------------------------------------------------------------- changing


def set_scope(store: Store, clip_id: uuid.UUID, scope: str) -> None:
    with store.write() as s:
        row = s.get(Clip, clip_id)
        if row is None:
            raise NotFound("That clip no longer exists.")
        owner = s.get(Participant, row.participant_id)
        if owner is None:
            raise NotFound("The owner of this clip is unknown.")
        row.scope = _check_scope(owner, scope)


def _sha_in_use(store: Store, sha: str) -> bool:
    with store.read() as s:
        return bool(s.scalar(select(func.count()).select_from(Clip).where(Clip.sha256 == sha)))


def delete_clip(store: Store, library: ClipLibrary, clip_id: uuid.UUID) -> None:
    """Tombstone the clip (so the deletion syncs) and remove its file from this laptop."""
    with store.write() as s:
        row = s.get(Clip, clip_id)
        if row is None:
            raise NotFound("That clip no longer exists.")
        row.deleted_at = utcnow()
        sha = row.sha256
    if sha and not _sha_in_use(store, sha):
        library.delete(sha)


def react(
    store: Store,
    workshop_id: uuid.UUID,
    kind: str,
    *,
    clip_id: uuid.UUID | None = None,
    contribution_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """One click: a peer found a clip or a contribution helpful, inspiring, or tried it."""
    if kind not in REACTION_KINDS:
        raise RippleError(f"“{kind}” is not a reaction; use helpful, inspired or tried_it.")
    if (clip_id is None) == (contribution_id is None):
        raise RippleError("A reaction is to one clip or one contribution.")
    values: dict[str, Any] = {"workshop_id": workshop_id, "at": utcnow(), "kind": kind,
                              "clip_id": clip_id, "contribution_id": contribution_id,
                              "participant_id": participant_id}
    with store.read() as s:
        target: Any = s.get(Clip, clip_id) if clip_id else s.get(Contribution, contribution_id)
        if target is None or target.workshop_id != workshop_id:
            what = "clip" if clip_id else "contribution"
            raise NotFound(f"That {what} is not part of this workshop.")
    row = store.append(Reaction, values)
    rid: uuid.UUID = row["id"]
    return rid


def react_undo(store: Store, reaction_id: uuid.UUID) -> None:
    with store.write() as s:
        row = s.get(Reaction, reaction_id)
        if row is not None:
            row.deleted_at = utcnow()


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
