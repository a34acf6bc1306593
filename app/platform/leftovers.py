"""What a killed Ripple leaves behind, cleaned at the next start.

An import unpacks a ``.ripple`` into a ``ripple-import-*`` temporary folder, and clip files
are written as ``.*.part`` beside their final name; ``kill -9`` (or a power cut) skips every
``finally``, so both stay behind, a gigabyte at a time. Every start removes:

* ``ripple-import-*`` folders whose owner process is gone (the folder holds its pid in
  ``owner.pid``; a folder without one is removed once it is older than :data:`STALE_S`);
* ``.*.part`` files under the clip folder untouched for :data:`STALE_S` (a live write touches
  its file continuously), and the same for an ``incoming/*.mp4`` with no sidecar (an import's
  transcode target; a recording writes its sidecar before its first frame).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

log = logging.getLogger("ripple.leftovers")

IMPORT_PREFIX = "ripple-import-"
OWNER_FILE = "owner.pid"
#: A file untouched this long is not being written any more.
STALE_S = 600.0


def make_import_dir() -> Path:
    """A new temporary folder for unpacking an import, marked with this process's pid."""
    path = Path(tempfile.mkdtemp(prefix=IMPORT_PREFIX))
    (path / OWNER_FILE).write_text(str(os.getpid()))
    return path


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _abandoned(folder: Path, now: float) -> bool:
    try:
        pid = int((folder / OWNER_FILE).read_text().strip())
    except (OSError, ValueError):
        try:
            return now - folder.stat().st_mtime > STALE_S
        except OSError:
            return False
    return pid != os.getpid() and not _alive(pid)


def _stale(path: Path, now: float) -> bool:
    try:
        return now - path.stat().st_mtime > STALE_S
    except OSError:
        return False


def clean_leftovers(clips_root: Path, temp_root: Path | None = None) -> int:
    """Remove what killed imports left; returns how many folders and files went."""
    now = time.time()
    removed = 0
    temp = temp_root or Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for folder in temp.glob(IMPORT_PREFIX + "*"):
            if folder.is_dir() and not folder.is_symlink() and _abandoned(folder, now):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    if clips_root.is_dir():
        with contextlib.suppress(OSError):
            for part in clips_root.rglob(".*.part"):
                if part.is_file() and _stale(part, now):
                    part.unlink(missing_ok=True)
                    removed += 1
        incoming = clips_root / "incoming"
        if incoming.is_dir():
            with contextlib.suppress(OSError):
                for mp4 in incoming.glob("*.mp4"):
                    if not mp4.with_suffix(".json").exists() and _stale(mp4, now):
                        mp4.unlink(missing_ok=True)
                        removed += 1
    if removed:
        log.info("removed leftovers of interrupted imports: %d", removed)
    return removed
