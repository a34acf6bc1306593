"""The clip library: the clip files of this laptop and the use cases that keep, import and
delete clips, with the consent checks every one of them passes.

Files live under the data directory by sha256 (``media.storage.ClipFiles``); the store holds
the metadata (owner, agenda item, length, scope, poster frame). This module joins the two
and is where consent is enforced: no video consent, no recording, no import, no showing
(the showing side is :mod:`app.clips.catalogue`).

A take or an import is written first into ``clips/incoming/<id>.mp4`` (a recording with a
small JSON sidecar beside it, see :mod:`app.clips.recording`) and moved into the library
when it is kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.clips.catalogue import ClipView, clip
from app.errors import NotFound, RippleError
from app.platform.inputs import regular_file
from app.platform.paths import clips_dir
from app.text import clock
from app.vocabulary import CLIP_SCOPES
from db.models import AgendaItem, Clip, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.types import utcnow

if TYPE_CHECKING:
    from media.probe import VideoInfo


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
        """Store ``src`` under ``sha`` after checking its content (its checksum, and that it is
        a video: a crafted file can carry any bytes with their right checksum); True if newly
        added."""
        from media.errors import MediaError
        from media.probe import probe
        from media.storage import ClipFiles

        actual = ClipFiles.sha256_of(src)
        if actual != sha:
            raise RippleError(
                f"The clip file {src.name} does not match its checksum; the import was stopped "
                "and nothing was changed."
            )
        if self.files.exists(sha):
            return False
        try:
            info = probe(src)
        except MediaError:
            info = None
        if info is None or info.video_codec in STILL_CODECS or info.duration_s < MIN_CLIP_SECONDS:
            raise RippleError(
                f"The clip file {src.name} is not a video; the import was stopped and nothing was changed."
            )
        self.files.add(src, move=False)
        return True

    def delete(self, sha: str) -> None:
        self.files.delete(sha)

    def new_incoming(self) -> Path:
        self.incoming.mkdir(parents=True, exist_ok=True)
        return self.incoming / f"{uuid.uuid4()}.mp4"


def clip_files(root: Path | None = None) -> ClipLibrary:
    return ClipLibrary(root or clips_dir())


def sidecar_of(path: Path) -> Path:
    """The JSON beside an incoming recording that says whose it is."""
    return path.with_suffix(".json")


def discard_incoming(path: Path) -> None:
    """Remove an incoming file and its sidecar (either may already be gone)."""
    for p in (path, sidecar_of(path)):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


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


def check_scope(p: Participant, scope: str) -> str:
    """``scope`` if ``p`` may choose it (beyond the room needs their community consent)."""
    if scope not in CLIP_SCOPES:
        raise RippleError(f"“{scope}” is not a clip scope; use room or community.")
    if scope == "community" and not p.consent_community:
        raise RippleError(
            f"{p.name} has not agreed to share clips beyond the room; keep the clip for this room only."
        )
    return scope


def check_workshop(store: Store, workshop_id: uuid.UUID, agenda_item_id: uuid.UUID | None) -> None:
    with store.read() as s:
        if s.get(Workshop, workshop_id) is None:
            raise NotFound(f"There is no workshop with id {workshop_id}.")
        if agenda_item_id is not None:
            item = s.get(AgendaItem, agenda_item_id)
            if item is None or item.workshop_id != workshop_id:
                raise NotFound("That agenda item is not part of this workshop.")


def check_on_roster(store: Store, workshop_id: uuid.UUID, person: Participant) -> None:
    """A clip belongs to someone on the workshop's roster."""
    with store.read() as s:
        member = s.scalar(select(WorkshopParticipant.id).where(
            WorkshopParticipant.workshop_id == workshop_id, WorkshopParticipant.participant_id == person.id))
    if member is None:
        raise RippleError(f"{person.name} is not on this workshop's roster; add them in the planner first.")


#: The clip length limit when the caller gives none (PRODUCT.md: clips of 30–90 s).
MAX_CLIP_SECONDS = 90.0
#: The shortest a clip may be: anything shorter is a still picture or a mistake.
MIN_CLIP_SECONDS = 0.5
#: Phone videos of a few minutes are a few hundred MB; nothing bigger is a clip.
MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024
#: Codecs of still pictures that FFmpeg reads as one-frame "videos".
STILL_CODECS = frozenset({"png", "apng", "mjpeg", "jpeg2000", "bmp", "gif", "tiff", "webp", "targa", "ppm",
                          "pgm", "pbm", "pam", "qoi", "jpegls", "sgi", "pcx", "xbm", "xwd", "dpx", "exr"})


def check_clip_video(info: VideoInfo, name: str, max_seconds: float) -> None:
    """A RippleError unless ``info`` describes moving pictures no longer than the limit."""
    if info.video_codec in STILL_CODECS or info.duration_s < MIN_CLIP_SECONDS:
        raise RippleError(f"“{name}” is a still picture or too short to be a clip; choose a video.")
    if info.duration_s > max_seconds + 0.5:
        raise RippleError(
            f"“{name}” is {clock(info.duration_s)} long; a clip is at most {clock(max_seconds)}, so trim it "
            "on the phone first."
        )


# ---------------------------------------------------------------- keeping


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
    discard_incoming(path)
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
    max_seconds: float = MAX_CLIP_SECONDS,
) -> ClipView:
    """Bring in a phone clip: transcoded to H.264/AAC MP4, upright, at most 1080p.

    Consent, ids and the roster are checked before any work; so is the file: an ordinary
    file holding moving pictures (not a still image, not a device), no longer than
    ``max_seconds`` (the clip length limit, :data:`app.settings.Settings.max_clip_seconds`).
    A broken or refused file stores nothing.
    """
    from media.probe import probe
    from media.transcode import import_video

    person = require_video_consent(store, participant_id)
    check_scope(person, scope)
    check_workshop(store, workshop_id, agenda_item_id)
    check_on_roster(store, workshop_id, person)
    src = Path(src).expanduser()
    if not src.exists():
        raise RippleError(f"There is no video file {src}.")
    src = regular_file(src, "a video file", max_bytes=MAX_IMPORT_BYTES)
    check_clip_video(probe(src), src.name, max_seconds)
    target = library.new_incoming()
    try:
        import_video(src, target, on_progress=on_progress)
        return keep_file(store, library, target, workshop_id, participant_id, agenda_item_id,
                         at=utcnow(), scope=scope, title=title or src.stem[:200])
    finally:
        discard_incoming(target)


# ---------------------------------------------------------------- deleting


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
