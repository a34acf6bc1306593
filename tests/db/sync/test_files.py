"""Clip files travel by content hash: once, in resumable chunks, checked on arrival."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.errors import StoreError
from db.store import Store
from db.sync import files as sync_files
from db.sync.engine import sync
from db.sync.files import fetch_clip
from db.sync.remote import open_remote
from tests.helpers.sync import add_clip, clips_root, state

CHUNK = 64 * 1024


def _workshop_with_person(store: Store) -> tuple[Any, Any]:
    wid = create_workshop(store, "Clip round")
    pid = add_participant(store, wid, "Ana", email="ana@example.org")
    return wid, pid


def _remote_has(remote: Store, sha: str) -> bool:
    return sha in sync_files.remote_files(remote.engine).available([sha])


def test_clip_files_arrive_intact_and_are_sent_once(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    remote = open_remote(remote_url)
    wid, pid = _workshop_with_person(a)
    data = os.urandom(5 * CHUNK + 123)  # not a multiple of the chunk size
    _cid, sha = add_clip(a, wid, pid, ra, data)

    up = sync(a, remote, clips_root=ra, chunk_bytes=CHUNK)
    assert up.clips_up == 1 and _remote_has(remote, sha)
    if remote.is_sqlite:  # a folder beside the shared file, same layout as a laptop's
        folder = sync_files.shared_clip_folder(Path(remote.url.database or ""))
        assert (folder / sha[:2] / f"{sha}.mp4").read_bytes() == data
    down = sync(b, remote, clips_root=rb, chunk_bytes=CHUNK)
    assert down.clips_down == 1
    assert (rb / sha[:2] / f"{sha}.mp4").read_bytes() == data
    again = [sync(s, remote, clips_root=r, chunk_bytes=CHUNK) for s, r in ((a, ra), (b, rb))]
    assert [(r.clips_up, r.clips_down) for r in again] == [(0, 0), (0, 0)]
    assert state(a) == state(b)
    remote.close()


def test_an_interrupted_upload_resumes_with_the_missing_chunks_only(
    pg_url: str, laptops: Callable[..., Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = laptops("a")
    ra = clips_root(tmp_path, "a")
    remote = open_remote(pg_url)
    wid, pid = _workshop_with_person(a)
    data = os.urandom(6 * CHUNK)
    _cid, sha = add_clip(a, wid, pid, ra, data)

    real = sync_files.insert_ignore
    calls: list[int] = []
    fail_at = [3]

    def flaky(conn: Any, table: Any, values: dict[str, Any]) -> None:
        if "idx" in values:
            calls.append(values["idx"])
            if len(calls) == fail_at[0]:
                raise StoreError("network gone")
        real(conn, table, values)

    monkeypatch.setattr(sync_files, "insert_ignore", flaky)
    first = sync(a, remote, clips_root=ra, chunk_bytes=CHUNK)
    assert first.clips_up == 0 and first.clip_problems == ["network gone"]
    assert not _remote_has(remote, sha)
    calls.clear()
    fail_at[0] = 0
    second = sync(a, remote, clips_root=ra, chunk_bytes=CHUNK)
    assert second.clips_up == 1
    assert calls == [2, 3, 4, 5]  # chunks 0 and 1 had landed; only the rest were sent
    b = laptops("b")
    rb = clips_root(tmp_path, "b")
    sync(b, remote, clips_root=rb)
    assert (rb / sha[:2] / f"{sha}.mp4").read_bytes() == data
    remote.close()


def test_a_download_resumes_from_its_part_file(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    remote = open_remote(remote_url)
    wid, pid = _workshop_with_person(a)
    data = os.urandom(4 * CHUNK + 10)
    _cid, sha = add_clip(a, wid, pid, ra, data)
    sync(a, remote, clips_root=ra, chunk_bytes=CHUNK)
    sync(b, remote)  # rows only
    dest = rb / sha[:2] / f"{sha}.mp4"
    dest.parent.mkdir(parents=True)
    # A previous download died one and a half chunks in (the half chunk may be torn).
    part = dest.with_name(f".{dest.name}.sync-part")
    part.write_bytes(data[: CHUNK] + b"\0" * (CHUNK // 2))
    assert fetch_clip(remote, sha, rb) == dest
    assert dest.read_bytes() == data and not part.exists()
    remote.close()


def test_a_damaged_arrival_is_discarded_and_reported(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    remote = open_remote(remote_url)
    wid, pid = _workshop_with_person(a)
    data = os.urandom(3 * CHUNK)
    _cid, sha = add_clip(a, wid, pid, ra, data)
    sync(a, remote, clips_root=ra, chunk_bytes=CHUNK)
    if remote.is_sqlite:
        stored = sync_files.shared_clip_folder(Path(remote.url.database or "")) / sha[:2] / f"{sha}.mp4"
        stored.write_bytes(data[:-1] + b"x")
    else:
        with remote.engine.begin() as conn:
            conn.execute(text("UPDATE clip_chunks SET data = :d WHERE sha256 = :s AND idx = 1"),
                         {"d": b"y" * CHUNK, "s": sha})
    report = sync(b, remote, clips_root=rb, chunk_bytes=CHUNK)
    assert report.clips_down == 0
    assert any("arrived damaged" in p for p in report.clip_problems)
    dest = rb / sha[:2] / f"{sha}.mp4"
    assert not dest.exists() and not dest.with_name(f".{dest.name}.sync-part").exists()
    remote.close()


def test_a_damaged_local_file_is_not_sent(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a = laptops("a")
    ra = clips_root(tmp_path, "a")
    remote = open_remote(remote_url)
    wid, pid = _workshop_with_person(a)
    _cid, sha = add_clip(a, wid, pid, ra, os.urandom(CHUNK))
    (ra / sha[:2] / f"{sha}.mp4").write_bytes(b"bit rot")
    report = sync(a, remote, clips_root=ra, chunk_bytes=CHUNK)
    assert report.clips_up == 0 and "damaged" in report.clip_problems[0]
    assert not _remote_has(remote, sha)
    remote.close()


def test_the_clip_path_matches_the_media_layout(tmp_path: Path) -> None:
    from media.storage import ClipFiles

    sha = "ab" + "0" * 62
    assert sync_files.clip_path(tmp_path, sha) == ClipFiles(tmp_path).path_for(sha)
    with pytest.raises(StoreError):
        sync_files.clip_path(tmp_path, "../../etc/passwd")


def test_a_new_shared_sqlite_file_uses_a_rollback_journal(tmp_path: Path) -> None:
    remote = open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    with remote.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    remote.close()
    again = Store.open(f"sqlite:///{tmp_path / 'shared.db'}")  # L&D opening it with --db
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    again.close()


def test_a_mistyped_shared_file_name_never_touches_the_real_stores_clips(
    laptops: Callable[..., Store], tmp_path: Path
) -> None:
    """`ripple.sqlite` typed for `ripple.db` in the same share: a new, empty store is made,
    and the real store's clip files stay where they are."""
    share = tmp_path / "share"
    share.mkdir()
    a = laptops("a")
    ra = clips_root(tmp_path, "a")
    wid = create_workshop(a, "Tips")
    pid = add_participant(a, wid, "Ana", email="ana@example.org")
    _cid, sha = add_clip(a, wid, pid, ra)
    real = open_remote(f"sqlite:///{share / 'ripple.db'}")
    sync(a, real, clips_root=ra)
    real.close()
    real_file = share / "ripple.db-clips" / sha[:2] / f"{sha}.mp4"
    assert real_file.is_file()

    b = laptops("b")
    typo = open_remote(f"sqlite:///{share / 'ripple.sqlite'}")
    report = sync(b, typo, clips_root=clips_root(tmp_path, "b"))
    typo.close()
    assert report.clips_removed == 0
    assert real_file.is_file()
    assert sync_files.shared_clip_folder(share / "ripple.sqlite") != sync_files.shared_clip_folder(share / "ripple.db")


def test_a_stray_file_in_the_shared_folder_is_left_alone(laptops: Callable[..., Store], tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    a = laptops("a")
    ra = clips_root(tmp_path, "a")
    stray = sync_files.clip_path(share / "ripple.db-clips", "ab" * 32)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"someone else's clip")
    remote = open_remote(f"sqlite:///{share / 'ripple.db'}")
    sync(a, remote, clips_root=ra)
    remote.close()
    assert stray.read_bytes() == b"someone else's clip"
