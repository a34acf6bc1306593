from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

import media.storage as storage_mod
from media.errors import MediaError
from media.storage import ClipFiles, sha256_of


def _clip(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.fixture
def store(out_dir: Path) -> ClipFiles:
    return ClipFiles(out_dir / "clips")


def test_add_moves_into_a_content_addressed_path(store: ClipFiles, out_dir: Path) -> None:
    content = b"fake mp4 " * 1000
    src = _clip(out_dir, "a.mp4", content)
    sha = store.add(src)
    assert sha == hashlib.sha256(content).hexdigest()
    assert store.path_for(sha) == store.root / sha[:2] / f"{sha}.mp4"
    assert store.exists(sha) and store.path_for(sha).read_bytes() == content
    assert not src.exists()
    assert store.verify(sha)


def test_add_copy_keeps_the_source_and_dedups(store: ClipFiles, out_dir: Path) -> None:
    src = _clip(out_dir, "a.mp4", b"same bytes")
    sha = store.add(src, move=False)
    assert src.exists()
    twin = _clip(out_dir, "b.mp4", b"same bytes")
    assert store.add(twin) == sha
    assert not twin.exists(), "a moved duplicate is consumed, not stored twice"
    assert len(list(store.root.rglob("*.mp4"))) == 1
    assert not [p for p in store.root.rglob("*") if p.name.startswith(".")]


def test_move_across_disks_falls_back_to_copy(
    store: ClipFiles, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def cross_device(src: object, dst: object) -> None:
        if not str(src).endswith(".part"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(storage_mod.os, "replace", cross_device)
    src = _clip(out_dir, "a.mp4", b"x" * 3_000_000)
    sha = store.add(src)
    assert store.verify(sha) and not src.exists()


def test_verify_detects_damage_and_delete_removes(store: ClipFiles, out_dir: Path) -> None:
    sha = store.add(_clip(out_dir, "a.mp4", b"original"))
    path = store.path_for(sha)
    path.write_bytes(b"bit rot")
    assert not store.verify(sha)
    assert store.delete(sha)
    assert not store.exists(sha) and not path.exists()
    assert not store.delete(sha)
    assert not store.verify(sha)


def test_bad_fingerprint_and_missing_source(store: ClipFiles, out_dir: Path) -> None:
    with pytest.raises(MediaError, match="not a valid clip fingerprint"):
        store.path_for("../../etc/passwd")
    with pytest.raises(MediaError, match="does not exist"):
        store.add(out_dir / "missing.mp4")


def test_full_disk_leaves_nothing_half_written(
    store: ClipFiles, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FullDisk:
        def __init__(self, path: Path) -> None:
            self._fh = open(path, "xb")  # noqa: SIM115
            self.written = 0

        def write(self, data: bytes) -> int:
            if self.written + len(data) > 1_500_000:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.written += len(data)
            return self._fh.write(data)

        def flush(self) -> None:
            self._fh.flush()

        def fileno(self) -> int:
            return self._fh.fileno()

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self._fh.close()

    monkeypatch.setattr(storage_mod, "_open_for_write", FullDisk)
    src = _clip(out_dir, "big.mp4", os.urandom(4_000_000))
    with pytest.raises(MediaError, match="disk is full"):
        store.add(src, move=False)
    assert src.exists()
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_sha256_of_streams_large_files(out_dir: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = _clip(out_dir, "x.bin", data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest() == ClipFiles.sha256_of(path)
