"""What ``clip import`` and a portable file's clips must be: real video, within the clip
length limit, of someone on the workshop's roster. Each refusal is a sentence; nothing is kept."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from pathlib import Path

import av
import numpy as np
import pytest

from app.clips.catalogue import list_clips
from app.clips.library import ClipLibrary, clip_files, import_clip
from app.errors import RippleError
from app.planning.participants import set_consent
from app.planning.workshops import create_workshop
from app.portable.apply import import_workshop
from db.store import Store
from tests.helpers.clips import clip_workshop
from tests.helpers.media import make_video
from tests.helpers.portable import doc, person, row_counts


@pytest.fixture
def lib(tmp_path: Path) -> ClipLibrary:
    return clip_files(tmp_path / "clips")


def _png(path: Path) -> Path:
    with av.open(str(path), "w", format="image2") as out:
        s = out.add_stream("png", rate=1)
        s.width, s.height, s.pix_fmt = 64, 48, "rgb24"
        for p in s.encode(av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")):
            out.mux(p)
        for p in s.encode(None):
            out.mux(p)
    return path


def _nothing_kept(store: Store, lib: ClipLibrary, before: dict[str, int]) -> None:
    assert row_counts(store) == before
    assert not [p for p in lib.root.rglob("*") if p.is_file()]


def test_a_still_picture_is_not_a_clip(sqlite_store: Store, lib: ClipLibrary, tmp_path: Path) -> None:
    wid, _item, yes, _no = clip_workshop(sqlite_store)
    before = row_counts(sqlite_store)
    with pytest.raises(RippleError, match="still picture"):
        import_clip(sqlite_store, lib, _png(tmp_path / "photo.png"), wid, yes)
    _nothing_kept(sqlite_store, lib, before)


def test_a_clip_over_the_length_limit_is_refused_and_says_so(sqlite_store: Store, lib: ClipLibrary,
                                                             tmp_path: Path) -> None:
    wid, _item, yes, _no = clip_workshop(sqlite_store)
    video = make_video(tmp_path / "long.mp4", seconds=4.0, audio=False, size=(64, 48))
    before = row_counts(sqlite_store)
    with pytest.raises(RippleError, match=r"“long.mp4” is 00:04 long; a clip is at most 00:02"):
        import_clip(sqlite_store, lib, video, wid, yes, max_seconds=2.0)
    _nothing_kept(sqlite_store, lib, before)
    view = import_clip(sqlite_store, lib, video, wid, yes, max_seconds=90.0)  # within the limit: kept
    assert 3.5 < view.seconds < 4.5


def test_a_clip_for_someone_not_on_the_roster_is_refused(sqlite_store: Store, lib: ClipLibrary,
                                                         tmp_path: Path) -> None:
    _wid, _item, yes, _no = clip_workshop(sqlite_store)
    other = create_workshop(sqlite_store, "Another workshop")
    video = make_video(tmp_path / "tip.mp4", seconds=1.0, audio=False, size=(64, 48))
    before = row_counts(sqlite_store)
    with pytest.raises(RippleError, match="Ana Pereira is not on this workshop's roster"):
        import_clip(sqlite_store, lib, video, other, yes)
    _nothing_kept(sqlite_store, lib, before)


def test_a_device_is_not_a_video(sqlite_store: Store, lib: ClipLibrary) -> None:
    wid, _item, yes, _no = clip_workshop(sqlite_store)
    with pytest.raises(RippleError, match="device or a pipe"):
        import_clip(sqlite_store, lib, Path("/dev/zero"), wid, yes)


def test_a_portable_files_clip_bytes_must_be_video(sqlite_store: Store, lib: ClipLibrary, tmp_path: Path) -> None:
    data = b"not a video, but with its right checksum" * 100
    d = doc(people=[person("Ana")])
    pid = d["participants"][0]["id"]
    d["clips"] = [{"id": str(uuid.uuid4()), "participant": pid, "at": d["workshop"]["started_at"], "seconds": 3,
                   "sha256": hashlib.sha256(data).hexdigest(), "file": "clips/x.mp4"}]
    path = tmp_path / "w.ripple"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("workshop.json", json.dumps(d))
        zf.writestr("clips/x.mp4", data)
    before = row_counts(sqlite_store)
    with pytest.raises(RippleError, match=r"x\.mp4 is not a video"):
        import_workshop(sqlite_store, path, add_clip=lib.add_checked, remove_clip=lib.delete, has_clip=lib.exists)
    _nothing_kept(sqlite_store, lib, before)
    assert list_clips(sqlite_store, None) == []


def test_consent_is_still_checked_first(sqlite_store: Store, lib: ClipLibrary, tmp_path: Path) -> None:
    wid, _item, _yes, no = clip_workshop(sqlite_store)
    set_consent(sqlite_store, no, video=False, community=False, analytics=False, by="Ben")
    with pytest.raises(RippleError, match="not agreed"):
        import_clip(sqlite_store, lib, _png(tmp_path / "p.png"), wid, no)
