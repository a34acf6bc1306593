"""Content-addressed clip files: ``root/ab/<sha256>.mp4``.

Why content addressing: the same clip arrives many ways (recorded, imported, synced from
another laptop, inside a ``.ripple`` workshop file); naming it by its SHA-256 makes
dedup free, makes a sync's "do you have it?" a file-exists check, and lets ``verify``
detect a damaged copy. Writes go to a temporary file in the target folder, are fsynced,
then renamed into place, so a full disk or a crash never leaves a half clip under a
valid name.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import BinaryIO

from media.errors import MediaError

__all__ = ["ClipFiles", "fsync_dir", "replace_durably", "sha256_of"]

_CHUNK = 1 << 20
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def _open_for_write(path: Path) -> BinaryIO:
    """Open a temporary file for writing (a seam tests use to simulate a full disk)."""
    return open(path, "xb")


def sha256_of(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, read in 1 MiB pieces so a 90 s clip never sits in memory."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(_CHUNK):
                digest.update(block)
    except FileNotFoundError:
        raise MediaError(f"The file “{path}” does not exist.") from None
    except OSError as exc:
        raise MediaError(
            f"The file “{Path(path).name}” cannot be read ({(exc.strerror or 'error').lower()})."
        ) from None
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened, e.g. Windows).

    Why: after a power cut a renamed file can reappear under its old name, or not at all,
    unless the directory entry itself reached the disk.
    """
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_durably(src: Path, dest: Path) -> None:
    """Rename a finished file into place so that it survives a crash: its content, then its name.

    Raises ``OSError`` as ``os.replace`` does (another disk, a locked file, a full disk).
    """
    with open(src, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(src, dest)
    fsync_dir(dest.parent)


def _is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))


class ClipFiles:
    """The clip file store under ``root``."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @staticmethod
    def sha256_of(path: str | os.PathLike[str]) -> str:
        """SHA-256 of a file (streamed)."""
        return sha256_of(path)

    def path_for(self, sha: str) -> Path:
        """Where the clip with this SHA-256 lives (whether or not it exists yet)."""
        key = sha.strip().lower()
        if not _SHA_RE.match(key):
            raise MediaError(f"“{sha}” is not a valid clip fingerprint.")
        return self.root / key[:2] / f"{key}.mp4"

    def exists(self, sha: str) -> bool:
        """Whether the clip is stored."""
        return self.path_for(sha).is_file()

    def add(self, path: str | os.PathLike[str], move: bool = True) -> str:
        """Store the file at ``path`` and return its SHA-256.

        ``move=True`` consumes the source (renamed when on the same disk, else copied then
        deleted); ``move=False`` copies it. A clip already stored is not written twice.
        """
        src = Path(path)
        if not src.is_file():
            raise MediaError(f"The clip file “{src}” does not exist.")
        sha = sha256_of(src)
        dest = self.path_for(sha)
        if dest.is_file():
            if move:
                with contextlib.suppress(OSError):
                    src.unlink()
            return sha
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if _is_disk_full(exc):
                raise MediaError("The disk is full: the clip could not be saved.") from None
            raise MediaError(
                f"The clip folder “{self.root}” cannot be written ({(exc.strerror or 'error').lower()})."
            ) from None
        if move:
            try:
                replace_durably(src, dest)
                return sha
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EACCES, errno.EROFS):
                    raise MediaError(
                        f"The clip could not be stored ({(exc.strerror or 'error').lower()})."
                    ) from None
                # Another disk (or a locked file): fall back to copy-then-delete.
        copied = self._copy_in(src, dest)
        if copied != sha:
            with contextlib.suppress(OSError):
                dest.unlink()
            raise MediaError(
                f"The clip “{src.name}” changed while it was being stored; please try again."
            )
        if move:
            with contextlib.suppress(OSError):
                src.unlink()
        return sha

    def _copy_in(self, src: Path, dest: Path) -> str:
        """Copy ``src`` to ``dest`` atomically, returning the SHA-256 of what was written."""
        tmp = dest.parent / f".{dest.name}.{uuid.uuid4().hex[:8]}.part"
        digest = hashlib.sha256()
        try:
            with open(src, "rb") as reader, _open_for_write(tmp) as writer:
                while block := reader.read(_CHUNK):
                    digest.update(block)
                    writer.write(block)
                writer.flush()
                os.fsync(writer.fileno())
            if dest.exists():  # another writer stored the same clip meanwhile
                tmp.unlink()
            else:
                os.replace(tmp, dest)
                fsync_dir(dest.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if _is_disk_full(exc):
                raise MediaError("The disk is full: the clip could not be saved.") from None
            raise MediaError(
                f"The clip could not be stored ({(exc.strerror or 'error').lower()})."
            ) from None
        return digest.hexdigest()

    def delete(self, sha: str) -> bool:
        """Remove the clip (erasure); True if a file was removed."""
        dest = self.path_for(sha)
        try:
            dest.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise MediaError(
                f"The clip file could not be deleted ({(exc.strerror or 'error').lower()})."
            ) from None
        with contextlib.suppress(OSError):
            dest.parent.rmdir()  # only succeeds when the folder is empty
        return True

    def verify(self, sha: str) -> bool:
        """True when the stored file exists and still hashes to ``sha``."""
        dest = self.path_for(sha)
        if not dest.is_file():
            return False
        try:
            return sha256_of(dest) == sha.strip().lower()
        except MediaError:
            return False
