"""Where a role-play command may write: an ordinary file or a new name in a folder that
exists and is writable, never a folder, a device or a pipe (as the export refuses them).
Written files land under a temporary name and are renamed into place when complete."""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import FieldError, RippleError


def checked_out(out: str | Path | None, suffix: str) -> Path:
    """The file ``--out`` names, checked before any work is done."""
    text = str(out or "").strip()
    if not text:
        raise FieldError("out", f"Say where to write the file (--out FILE{suffix}).")
    path = Path(text).expanduser()
    if path.is_dir():
        raise FieldError("out", f"{path} is a folder; give a file name such as {path / ('roleplay' + suffix)}.")
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file():
        raise FieldError("out", f"{path} is not an ordinary file (a device or a pipe); give a file name to write.")
    if path.suffix.lower() != suffix:
        raise FieldError("out", f"The file name must end in {suffix} (not “{path.name}”).")
    folder = path.parent
    if not folder.is_dir():
        raise FieldError("out", f"The folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RippleError(f"Ripple cannot write to the folder {folder}; choose another place.")
    return path


def temporary_beside(path: Path) -> Path:
    """A hidden name next to ``path`` for writing before the rename."""
    return path.with_name(f".{path.name}.{os.getpid()}.part")
