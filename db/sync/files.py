"""Clip files between a laptop and the shared store, by content hash.

A file is pushed once (the shared store says which fingerprints it holds completely), pulled
when a laptop has the clip's row but not its file, moved in chunks that each land on their
own so a transfer resumes where it stopped, and checked against its SHA-256 before it takes
its real name. A PostgreSQL shared store keeps files in ``clip_blobs``/``clip_chunks``; a
shared SQLite file keeps them in a folder beside it (``<name>-clips/ab/<sha>.mp4``), the same
layout as a laptop's own clip folder (``media.storage.ClipFiles``).

Files no live clip uses any more (deleted, or their owner erased) are removed on both sides.
:func:`sync_clip_files` is a sync's pass over the files, after the rows;
:func:`fetch_clip` brings one file at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection, Engine, case, delete, func, select, update
from sqlalchemy.exc import DBAPIError

from db.errors import StoreError, explain
from db.models import Clip, ClipBlob, ClipChunk
from db.sql import insert_ignore
from db.store import Store
from db.sync.report import Progress, SyncReport
from db.types import utcnow

CHUNK_BYTES = 1 << 20
_SHA = re.compile(r"^[0-9a-f]{64}$")
_IN_CHUNK = 500


def clip_path(root: Path, sha: str) -> Path:
    """Where a clip file lives under a clip folder (the layout of media.storage.ClipFiles)."""
    if not _SHA.match(sha):
        raise StoreError(f"“{sha[:80]}” is not a clip fingerprint.")
    return root / sha[:2] / f"{sha}.mp4"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _part_of(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.sync-part")


def _resume_offset(part: Path, chunk: int, size: int) -> int:
    """Bytes already transferred, rounded down to whole chunks (a kill may tear the last)."""
    try:
        have = part.stat().st_size
    except FileNotFoundError:
        return 0
    return 0 if have > size else have - have % chunk


def _finish(part: Path, dest: Path, sha: str, where: str) -> None:
    """Check the transferred file, then give it its real name (atomically)."""
    if sha256_of(part) != sha:
        part.unlink(missing_ok=True)
        raise StoreError(
            f"The clip file {sha[:12]}… arrived damaged {where}; it was discarded and will be "
            "sent again at the next sync."
        )
    os.replace(part, dest)
    _fsync_dir(dest.parent)


def copy_resumable(src: Path, dest: Path, sha: str, chunk: int = CHUNK_BYTES, *, where: str = "") -> None:
    """Copy ``src`` to ``dest`` through a part file that a later call continues."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = _part_of(dest)
    size = src.stat().st_size
    done = _resume_offset(part, chunk, size)
    with src.open("rb") as reader, part.open("r+b" if part.exists() else "wb") as writer:
        writer.truncate(done)
        writer.seek(done)
        reader.seek(done)
        while block := reader.read(chunk):
            writer.write(block)
        writer.flush()
        os.fsync(writer.fileno())
    _finish(part, dest, sha, where)


class RemoteFiles:
    """Where a shared store keeps clip files."""

    #: Whether every file stored here belongs to this shared store alone, so a file that no clip
    #: row mentions is safe to remove. True for the chunk table inside the database; not for a
    #: folder on a network drive, which a mistyped store name could point at from another store.
    removes_orphans = False

    def available(self, shas: Iterable[str]) -> set[str]:
        """The fingerprints among ``shas`` whose files are complete there."""
        raise NotImplementedError

    def upload(self, sha: str, src: Path) -> None:
        raise NotImplementedError

    def download(self, sha: str, dest: Path) -> None:
        raise NotImplementedError

    def stored(self) -> set[str]:
        """Every fingerprint with anything stored (complete or not)."""
        raise NotImplementedError

    def remove(self, shas: Iterable[str]) -> int:
        raise NotImplementedError


class SharedFolder(RemoteFiles):
    """Files in a folder beside a shared SQLite store."""

    def __init__(self, root: Path, chunk: int = CHUNK_BYTES) -> None:
        self.root = root
        self.chunk = chunk

    def available(self, shas: Iterable[str]) -> set[str]:
        return {s for s in shas if clip_path(self.root, s).is_file()}

    def upload(self, sha: str, src: Path) -> None:
        copy_resumable(src, clip_path(self.root, sha), sha, self.chunk, where="in the shared folder")

    def download(self, sha: str, dest: Path) -> None:
        copy_resumable(clip_path(self.root, sha), dest, sha, self.chunk, where="from the shared folder")

    def stored(self) -> set[str]:
        return {p.stem for p in self.root.glob("??/*.mp4")} if self.root.is_dir() else set()

    def remove(self, shas: Iterable[str]) -> int:
        n = 0
        for sha in shas:
            path = clip_path(self.root, sha)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                n += 1
            _part_of(path).unlink(missing_ok=True)
        return n


class ChunkTable(RemoteFiles):
    """Files as chunks in the shared store's own database (PostgreSQL)."""

    removes_orphans = True

    #: chunks fetched per query on download
    GROUP = 8

    def __init__(self, engine: Engine, chunk: int = CHUNK_BYTES) -> None:
        self.engine = engine
        self.chunk = chunk

    def available(self, shas: Iterable[str]) -> set[str]:
        wanted = sorted(set(shas))
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), _IN_CHUNK):
                out.update(
                    conn.scalars(
                        select(ClipBlob.sha256).where(
                            ClipBlob.complete.is_(True), ClipBlob.sha256.in_(wanted[i : i + _IN_CHUNK])
                        )
                    )
                )
        return out

    def upload(self, sha: str, src: Path) -> None:
        size = src.stat().st_size
        with self.engine.begin() as conn:
            insert_ignore(
                conn,
                ClipBlob,
                {"sha256": sha, "size": size, "chunk_size": self.chunk, "complete": False,
                 "created_at": utcnow()},
            )
            blob = conn.execute(
                select(ClipBlob.size, ClipBlob.chunk_size, ClipBlob.complete).where(ClipBlob.sha256 == sha)
            ).one()
            have = set(conn.scalars(select(ClipChunk.idx).where(ClipChunk.sha256 == sha)))
        if blob.complete:
            return
        if blob.size != size:
            raise StoreError(
                f"The shared store holds a different file under clip fingerprint {sha[:12]}…; "
                "ask the admin to check the clip_blobs table."
            )
        chunk = blob.chunk_size
        count = -(-size // chunk)
        with src.open("rb") as fh:
            for idx in range(count):
                if idx in have:
                    continue
                fh.seek(idx * chunk)
                data = fh.read(chunk)
                with self.engine.begin() as conn:  # one chunk, one transaction: resumable
                    insert_ignore(conn, ClipChunk, {"sha256": sha, "idx": idx, "data": data})
        with self.engine.begin() as conn:
            n, total = conn.execute(
                select(func.count(), func.coalesce(func.sum(func.length(ClipChunk.data)), 0)).where(
                    ClipChunk.sha256 == sha
                )
            ).one()
            if n != count or total != size:
                raise StoreError(
                    f"The upload of clip {sha[:12]}… is incomplete on the shared store; "
                    "it will continue at the next sync."
                )
            conn.execute(update(ClipBlob).where(ClipBlob.sha256 == sha).values(complete=True))

    def download(self, sha: str, dest: Path) -> None:
        with self.engine.connect() as conn:
            blob = conn.execute(
                select(ClipBlob.size, ClipBlob.chunk_size, ClipBlob.complete).where(ClipBlob.sha256 == sha)
            ).one_or_none()
        if blob is None or not blob.complete:
            raise StoreError(f"The shared store does not hold clip file {sha[:12]}… yet.")
        chunk, size = blob.chunk_size, blob.size
        count = -(-size // chunk)
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = _part_of(dest)
        done = _resume_offset(part, chunk, size)
        with part.open("r+b" if part.exists() else "wb") as writer:
            writer.truncate(done)
            writer.seek(done)
            for start in range(done // chunk, count, self.GROUP):
                with self.engine.connect() as conn:
                    rows = conn.execute(
                        select(ClipChunk.idx, ClipChunk.data)
                        .where(ClipChunk.sha256 == sha, ClipChunk.idx >= start,
                               ClipChunk.idx < start + self.GROUP)
                        .order_by(ClipChunk.idx)
                    ).all()
                expected = list(range(start, min(start + self.GROUP, count)))
                if [r.idx for r in rows] != expected:
                    raise StoreError(
                        f"Clip file {sha[:12]}… is missing pieces on the shared store; it will "
                        "be fetched again once its owner's laptop syncs."
                    )
                for r in rows:
                    writer.write(r.data)
                writer.flush()
                os.fsync(writer.fileno())
        _finish(part, dest, sha, "from the shared store")

    def stored(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.scalars(select(ClipBlob.sha256))) | set(
                conn.scalars(select(ClipChunk.sha256).distinct())
            )

    def remove(self, shas: Iterable[str]) -> int:
        doomed = sorted(set(shas))
        with self.engine.begin() as conn:
            for i in range(0, len(doomed), _IN_CHUNK):
                part = doomed[i : i + _IN_CHUNK]
                conn.execute(delete(ClipChunk).where(ClipChunk.sha256.in_(part)))
                conn.execute(delete(ClipBlob).where(ClipBlob.sha256.in_(part)))
        return len(doomed)


def shared_clip_folder(sqlite_path: Path) -> Path:
    """The folder beside a shared SQLite store that holds its clip files: named after the whole
    file name (``ripple.db`` → ``ripple.db-clips``), so ``ripple.db`` and ``ripple.sqlite`` in one
    share never mix their files."""
    return sqlite_path.with_name(f"{sqlite_path.name}-clips")


def remote_files(engine: Engine, chunk: int = CHUNK_BYTES) -> RemoteFiles:
    if engine.dialect.name == "sqlite":
        db = engine.url.database or ""
        return SharedFolder(shared_clip_folder(Path(db).expanduser()), chunk)
    return ChunkTable(engine, chunk)


def live_shas(conn: Connection) -> set[str]:
    """Fingerprints of clips that are not deleted (whose files a store should hold)."""
    c = Clip.__table__
    return {
        s for s in conn.scalars(
            select(c.c.sha256).where(c.c.deleted_at.is_(None), c.c.sha256 != "").distinct()
        ) if _SHA.match(s)
    }


def garbage_shas(conn: Connection) -> set[str]:
    """Fingerprints that clip rows mention but no live clip uses any more (deleted or
    erased): their files go, as ``app.clips.library.delete_clip`` removes them on the laptop that
    deleted them."""
    c = Clip.__table__
    live = func.sum(case((c.c.deleted_at.is_(None), 1), else_=0))
    stmt = select(c.c.sha256).where(c.c.sha256 != "").group_by(c.c.sha256).having(live == 0)
    return {s for s in conn.scalars(stmt) if _SHA.match(s)}


def orphan_shas(conn: Connection, stored: set[str]) -> set[str]:
    """Stored fingerprints no clip row mentions at all (left by an interrupted erasure)."""
    c = Clip.__table__
    known: set[str] = set()
    ordered = sorted(stored)
    for i in range(0, len(ordered), _IN_CHUNK):
        known.update(conn.scalars(select(c.c.sha256).where(c.c.sha256.in_(ordered[i : i + _IN_CHUNK]))))
    return stored - known


# ---------------------------------------------------------------- one sync's pass over the files


def sync_clip_files(
    local: Store,
    remote: Store,
    clips_root: Path,
    report: SyncReport,
    *,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Progress | None = None,
) -> None:
    """Push clip files the shared store lacks, pull the ones this laptop lacks, and remove
    files no one may see any more, on both sides."""
    files = remote_files(remote.engine, chunk_bytes)
    with local.engine.connect() as conn:
        wanted = live_shas(conn)
        local_garbage = garbage_shas(conn)
    here = {s for s in wanted if clip_path(clips_root, s).is_file()}
    there = files.available(wanted)
    up = sorted(here - there)
    down = sorted((wanted - here) & there)
    moves = [(sha, True) for sha in up] + [(sha, False) for sha in down]
    for done, (sha, sending) in enumerate(moves, 1):
        path = clip_path(clips_root, sha)
        try:
            if not sending:
                files.download(sha, path)
                report.clips_down += 1
            elif sha256_of(path) != sha:
                report.clip_problems.append(f"The clip file {sha[:12]}… on this laptop is damaged; it was not sent.")
            else:
                files.upload(sha, path)
                report.clips_up += 1
        except StoreError as exc:
            report.clip_problems.append(str(exc))
        if progress is not None:
            progress("clips", done, len(moves))
    # Erased (or long deleted) clips: gone from the shared store and from this laptop.
    with remote.engine.connect() as conn:
        stored = files.stored()
        doomed = garbage_shas(conn) & stored
        if files.removes_orphans:
            doomed |= orphan_shas(conn, stored)
    if doomed:
        report.clips_removed += files.remove(doomed)
    report.clips_removed += _remove_local_garbage(clips_root, local_garbage)


def _remove_local_garbage(clips_root: Path, shas: set[str]) -> int:
    """Delete this laptop's files of clips no one may see any more; returns how many went."""
    removed = 0
    for sha in shas:
        path = clip_path(clips_root, sha)
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def fetch_clip(remote: Store, sha: str, clips_root: Path) -> Path:
    """Fetch one clip file now (a clip opened before the background sync brought it)."""
    dest = clip_path(clips_root, sha)
    if not dest.is_file():
        try:
            remote_files(remote.engine).download(sha, dest)
        except DBAPIError as exc:
            raise explain(remote.url, exc) from None
    return dest
