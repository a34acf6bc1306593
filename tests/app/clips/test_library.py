"""Clips: consent gate, keep/retake, phone import, hiding on withdrawn consent, reactions,
crash recovery, and clips travelling in the .ripple file."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import av
import numpy as np
import pytest

from app.clips import library as C
from app.errors import NotFound, RippleError
from app.planning import workshops as W
from app.portable.files import export_workshop, import_workshop
from db.store import Store
from media.audio import SyntheticTone
from media.camera.synthetic import SyntheticCamera


def make_video(path: Path, seconds: float = 1.0, *, audio: bool = True, size: tuple[int, int] = (320, 240)) -> Path:
    with av.open(str(path), "w") as out:
        v = out.add_stream("libx264", rate=30)
        v.width, v.height, v.pix_fmt = size[0], size[1], "yuv420p"
        a = out.add_stream("aac", rate=48000) if audio else None
        for i in range(int(seconds * 30)):
            img = np.full((size[1], size[0], 3), (i * 8) % 255, np.uint8)
            for p in v.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(p)
        if a is not None:
            samples = np.zeros((1, int(48000 * seconds)), np.float32)
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate = 48000
            for p in a.encode(frame):
                out.mux(p)
            for p in a.encode(None):
                out.mux(p)
        for p in v.encode(None):
            out.mux(p)
    return path


@pytest.fixture
def library(tmp_path: Path) -> C.ClipLibrary:
    return C.clip_files(tmp_path / "clips")


def _setup(store: Store) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    wid = W.create_workshop(store, "Clips")
    item = W.add_agenda_item(store, wid, "clip_round", "One lesson in 60 s")
    yes = W.add_participant(store, wid, "Ana Pereira", email="ana@example.com")
    no = W.add_participant(store, wid, "Ben Okafor")
    W.set_consent(store, yes, video=True, community=False, analytics=True, by="Marta")
    return wid, item, yes, no


def _take(store: Store, library: C.ClipLibrary, wid: uuid.UUID, pid: uuid.UUID, item: uuid.UUID,
          seconds: float = 1.5) -> C.Recording:
    take = C.Recording(store, library, wid, pid, item, camera=SyntheticCamera(320, 240, 30, realtime=False),
                       audio=SyntheticTone(realtime=False), max_seconds=seconds)
    take.start()
    result = take.recorder.wait(60)
    assert result is not None and result.error is None
    return take


def test_no_video_consent_no_recording_and_no_import(sqlite_store: Store, library: C.ClipLibrary, tmp_path: Path) -> None:
    wid, item, _yes, no = _setup(sqlite_store)
    with pytest.raises(RippleError, match="has not agreed to be recorded"):
        C.Recording(sqlite_store, library, wid, no, item, camera=SyntheticCamera(), audio=None)
    with pytest.raises(RippleError, match="has not agreed to be recorded"):
        C.import_clip(sqlite_store, library, make_video(tmp_path / "v.mp4"), wid, no)
    assert not list(library.root.rglob("*.mp4"))


def test_record_keep_and_retake(store: Store, library: C.ClipLibrary) -> None:
    wid, item, yes, _no = _setup(store)
    retake = _take(store, library, wid, yes, item)
    retake.discard()
    assert not retake.path.exists() and not retake.path.with_suffix(".json").exists()
    take = _take(store, library, wid, yes, item)
    view = take.keep("room", "My tip")
    assert view.owner == "Ana Pereira" and view.scope == "room" and view.title == "My tip"
    assert 1.3 <= view.seconds <= 1.7 and view.has_audio and view.thumbnail
    assert library.exists(view.sha256) and library.files.verify(view.sha256)
    assert not list(library.incoming.glob("*"))  # nothing left behind
    with pytest.raises(RippleError, match="beyond the room"):
        _take(store, library, wid, yes, item).keep("community")


def test_withdrawn_consent_hides_clips_everywhere_and_they_can_be_deleted(sqlite_store: Store, library: C.ClipLibrary) -> None:
    wid, item, yes, _no = _setup(sqlite_store)
    view = _take(sqlite_store, library, wid, yes, item).keep()
    assert [c.id for c in C.list_clips(sqlite_store, wid)] == [view.id]
    W.set_consent(sqlite_store, yes, video=False, community=False, analytics=True, by="Ana herself")
    assert C.list_clips(sqlite_store, wid) == []
    hidden = C.hidden_clips_of(sqlite_store, yes)
    assert [c.id for c in hidden] == [view.id] and "withdrew" in hidden[0].hidden_reason
    C.delete_clip(sqlite_store, library, view.id)
    assert not library.exists(view.sha256)
    assert C.hidden_clips_of(sqlite_store, yes) == []


def test_reactions_are_stored_with_one_call(store: Store, library: C.ClipLibrary) -> None:
    wid, item, yes, no = _setup(store)
    view = _take(store, library, wid, yes, item).keep()
    C.react(store, wid, "helpful", clip_id=view.id)
    C.react(store, wid, "helpful", clip_id=view.id, participant_id=no)
    rid = C.react(store, wid, "tried_it", clip_id=view.id)
    C.react_undo(store, rid)
    assert C.list_clips(store, wid)[0].reactions == {"helpful": 2}
    with pytest.raises(RippleError, match="not a reaction"):
        C.react(store, wid, "love", clip_id=view.id)


def test_a_reaction_names_the_workshop_of_what_it_reacts_to(store: Store) -> None:
    """The analysis credits a reaction to its contribution's workshop; a reaction filed under
    another workshop would go stale in that workshop's kept analysis, so it is refused."""
    from app.live import LiveWorkshop

    wid, _item, yes, no = _setup(store)
    live = LiveWorkshop(store, wid)
    live.start()
    share = live.log(yes)
    other = W.create_workshop(store, "Another")
    C.react(store, wid, "inspired", contribution_id=share.id, participant_id=no)
    with pytest.raises(NotFound, match="contribution is not part of this workshop"):
        C.react(store, other, "inspired", contribution_id=share.id)
    with pytest.raises(NotFound, match="contribution is not part of this workshop"):
        C.react(store, wid, "inspired", contribution_id=uuid.uuid4())


def test_phone_clip_import_and_broken_files(sqlite_store: Store, library: C.ClipLibrary, tmp_path: Path) -> None:
    wid, item, yes, _no = _setup(sqlite_store)
    view = C.import_clip(sqlite_store, library, make_video(tmp_path / "phone.mov", audio=False), wid, yes,
                         agenda_item_id=item)
    assert view.agenda_title == "One lesson in 60 s" and not view.has_audio
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all")
    with pytest.raises(Exception, match=r"(?i)not a video|cannot be read|damaged"):
        C.import_clip(sqlite_store, library, text, wid, yes)
    with pytest.raises(RippleError, match="no video file"):
        C.import_clip(sqlite_store, library, tmp_path / "missing.mp4", wid, yes)
    assert len(C.list_clips(sqlite_store, wid)) == 1
    assert not list(library.incoming.glob("*"))


def test_interrupted_recording_is_found_and_kept(sqlite_store: Store, library: C.ClipLibrary) -> None:
    wid, item, yes, _no = _setup(sqlite_store)
    take = _take(sqlite_store, library, wid, yes, item)
    # a crash: neither kept nor discarded, the sidecar and the file stay in incoming/
    pending = C.pending_recordings(library)
    assert [p.path for p in pending] == [take.path]
    view = C.recover(sqlite_store, library, pending[0])
    assert view.participant_id == yes and view.seconds > 1
    assert C.pending_recordings(library) == []


def test_clips_travel_in_the_ripple_file_and_checksums_are_checked(sqlite_store: Store, library: C.ClipLibrary, tmp_path: Path) -> None:
    wid, item, yes, _no = _setup(sqlite_store)
    view = _take(sqlite_store, library, wid, yes, item).keep()
    out = export_workshop(sqlite_store, wid, tmp_path / "w.ripple", clip_path=library.path_if_present)
    assert out.clips_written == 1
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    other_lib = C.clip_files(tmp_path / "other-clips")
    import_workshop(other, out.path, add_clip=other_lib.add_checked, remove_clip=other_lib.delete, has_clip=other_lib.exists)
    assert other_lib.exists(view.sha256) and [c.id for c in C.list_clips(other, wid)] == [view.id]
    # a tampered clip file stops the import and changes nothing
    bad = tmp_path / "bad.ripple"
    with zipfile.ZipFile(out.path) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[:-10] + b"0" * 10 if name.endswith(".mp4") else data)
    third = Store.open(f"sqlite:///{tmp_path / 'third.db'}")
    third_lib = C.clip_files(tmp_path / "third-clips")
    with pytest.raises(RippleError, match="does not match its checksum"):
        import_workshop(third, bad, add_clip=third_lib.add_checked, remove_clip=third_lib.delete, has_clip=third_lib.exists)
    assert C.list_clips(third, None) == [] and not list(third_lib.root.rglob("*.mp4"))
    doc = json.loads(zipfile.ZipFile(out.path).read("workshop.json"))
    assert doc["clips"][0]["sha256"] == view.sha256
