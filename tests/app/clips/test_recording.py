"""Recording: the consent gate, keep or retake, and a take a crash cut short."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.clips.library import ClipLibrary, import_clip
from app.clips.recording import Recording, pending_recordings, recover
from app.errors import RippleError
from db.store import Store
from media.camera.synthetic import SyntheticCamera
from tests.helpers.clips import clip_workshop, record_take
from tests.helpers.media import make_video


def test_no_video_consent_no_recording_and_no_import(sqlite_store: Store, library: ClipLibrary, tmp_path: Path) -> None:
    wid, item, _yes, no = clip_workshop(sqlite_store)
    with pytest.raises(RippleError, match="has not agreed to be recorded"):
        Recording(sqlite_store, library, wid, no, item, camera=SyntheticCamera(), audio=None)
    with pytest.raises(RippleError, match="has not agreed to be recorded"):
        import_clip(sqlite_store, library, make_video(tmp_path / "v.mp4"), wid, no)
    assert not list(library.root.rglob("*.mp4"))


def test_record_keep_and_retake(store: Store, library: ClipLibrary) -> None:
    wid, item, yes, _no = clip_workshop(store)
    retake = record_take(store, library, wid, yes, item)
    retake.discard()
    assert not retake.path.exists() and not retake.path.with_suffix(".json").exists()
    take = record_take(store, library, wid, yes, item)
    view = take.keep("room", "My tip")
    assert view.owner == "Ana Pereira" and view.scope == "room" and view.title == "My tip"
    assert 1.3 <= view.seconds <= 1.7 and view.has_audio and view.thumbnail
    assert library.exists(view.sha256) and library.files.verify(view.sha256)
    assert not list(library.incoming.glob("*"))  # nothing left behind
    with pytest.raises(RippleError, match="beyond the room"):
        record_take(store, library, wid, yes, item).keep("community")


def test_interrupted_recording_is_found_and_kept(sqlite_store: Store, library: ClipLibrary) -> None:
    wid, item, yes, _no = clip_workshop(sqlite_store)
    take = record_take(sqlite_store, library, wid, yes, item)
    # a crash: neither kept nor discarded, the sidecar and the file stay in incoming/
    pending = pending_recordings(library)
    assert [p.path for p in pending] == [take.path]
    view = recover(sqlite_store, library, pending[0])
    assert view.participant_id == yes and view.seconds > 1
    assert pending_recordings(library) == []
