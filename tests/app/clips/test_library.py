"""The clip library: hiding on withdrawn consent and deleting, phone import, and clips
travelling in the .ripple file with their checksums checked."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.clips.catalogue import hidden_clips_of, list_clips
from app.clips.library import ClipLibrary, clip_files, delete_clip, import_clip
from app.errors import RippleError
from app.planning.participants import set_consent
from app.portable.apply import import_workshop
from app.portable.write import export_workshop
from db.store import Store
from tests.helpers.clips import clip_workshop, record_take
from tests.helpers.media import make_video


def test_withdrawn_consent_hides_clips_everywhere_and_they_can_be_deleted(sqlite_store: Store, library: ClipLibrary) -> None:
    wid, item, yes, _no = clip_workshop(sqlite_store)
    view = record_take(sqlite_store, library, wid, yes, item).keep()
    assert [c.id for c in list_clips(sqlite_store, wid)] == [view.id]
    set_consent(sqlite_store, yes, video=False, community=False, analytics=True, by="Ana herself")
    assert list_clips(sqlite_store, wid) == []
    hidden = hidden_clips_of(sqlite_store, yes)
    assert [c.id for c in hidden] == [view.id] and "withdrew" in hidden[0].hidden_reason
    delete_clip(sqlite_store, library, view.id)
    assert not library.exists(view.sha256)
    assert hidden_clips_of(sqlite_store, yes) == []


def test_phone_clip_import_and_broken_files(sqlite_store: Store, library: ClipLibrary, tmp_path: Path) -> None:
    wid, item, yes, _no = clip_workshop(sqlite_store)
    view = import_clip(sqlite_store, library, make_video(tmp_path / "phone.mov", audio=False), wid, yes,
                       agenda_item_id=item)
    assert view.agenda_title == "One lesson in 60 s" and not view.has_audio
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all")
    with pytest.raises(Exception, match=r"(?i)not a video|cannot be read|damaged"):
        import_clip(sqlite_store, library, text, wid, yes)
    with pytest.raises(RippleError, match="no video file"):
        import_clip(sqlite_store, library, tmp_path / "missing.mp4", wid, yes)
    assert len(list_clips(sqlite_store, wid)) == 1
    assert not list(library.incoming.glob("*"))


def test_clips_travel_in_the_ripple_file_and_checksums_are_checked(sqlite_store: Store, library: ClipLibrary, tmp_path: Path) -> None:
    wid, item, yes, _no = clip_workshop(sqlite_store)
    view = record_take(sqlite_store, library, wid, yes, item).keep()
    out = export_workshop(sqlite_store, wid, tmp_path / "w.ripple", clip_path=library.path_if_present)
    assert out.clips_written == 1
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    other_lib = clip_files(tmp_path / "other-clips")
    import_workshop(other, out.path, add_clip=other_lib.add_checked, remove_clip=other_lib.delete, has_clip=other_lib.exists)
    assert other_lib.exists(view.sha256) and [c.id for c in list_clips(other, wid)] == [view.id]
    # a tampered clip file stops the import and changes nothing
    bad = tmp_path / "bad.ripple"
    with zipfile.ZipFile(out.path) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[:-10] + b"0" * 10 if name.endswith(".mp4") else data)
    third = Store.open(f"sqlite:///{tmp_path / 'third.db'}")
    third_lib = clip_files(tmp_path / "third-clips")
    with pytest.raises(RippleError, match="does not match its checksum"):
        import_workshop(third, bad, add_clip=third_lib.add_checked, remove_clip=third_lib.delete, has_clip=third_lib.exists)
    assert list_clips(third, None) == [] and not list(third_lib.root.rglob("*.mp4"))
    doc = json.loads(zipfile.ZipFile(out.path).read("workshop.json"))
    assert doc["clips"][0]["sha256"] == view.sha256
