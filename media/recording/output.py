"""The file a recording writes: complete writes, an fsync about once a second, salvage after a crash."""

from __future__ import annotations

import contextlib
import errno
import io
import os
from pathlib import Path
from typing import BinaryIO

from media import _mp4, clock

__all__ = [
    "FSYNC_INTERVAL_S",
    "DurableFile",
    "is_disk_full",
    "open_output",
    "salvage",
    "write_error_sentence",
]

FSYNC_INTERVAL_S = 1.0


class DurableFile(io.RawIOBase):
    """The output file as PyAV sees it: complete writes, and an fsync about once a second.

    Why: fragments only survive a power cut once they are on the disk, not in the page
    cache; syncing once a second bounds the loss without stalling the encoder on every
    write.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._fh = open(path, "wb", buffering=0)  # noqa: SIM115 - closed in close()
        self._last_sync = clock.now()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = self._fh.write(view[done:])
            if not written:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            done += written
        now = clock.now()
        if now - self._last_sync >= FSYNC_INTERVAL_S:
            self._last_sync = now
            os.fsync(self._fh.fileno())
        return done

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def close(self) -> None:
        if not self._fh.closed:
            try:
                with contextlib.suppress(OSError):
                    os.fsync(self._fh.fileno())
            finally:
                self._fh.close()
        super().close()


def open_output(path: Path) -> BinaryIO:
    """Open the recording's output file (a seam tests use to simulate a full disk)."""
    return DurableFile(path)  # type: ignore[return-value]


def is_disk_full(exc: OSError) -> bool:
    """Whether a write failed for want of room (a full disk or an exhausted quota)."""
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))


def write_error_sentence(exc: OSError) -> str:
    """What to tell the user when writing the clip failed mid-recording."""
    if is_disk_full(exc):
        return "The disk is full, so the recording stopped; the part recorded so far was kept."
    reason = exc.strerror or "write error"
    return (
        f"Ripple could not write the clip to disk ({reason.lower()}), so the recording "
        "stopped; the part recorded so far was kept."
    )


def salvage(path: str | os.PathLike[str]) -> bool:
    """Tidy a recording left by a crash: cut a half-written last fragment; True if frames remain.

    Optional (players already cope with the ragged end); useful when the app restarts and
    finds a recording it did not finish.
    """
    _mp4.trim_incomplete_tail(path)
    return _mp4.count_fragments(path) > 0
