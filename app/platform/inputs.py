"""Files people hand to Ripple (rosters, workshop files, videos) and files it writes for them.

Reading: only regular files, and never more than a stated size, so ``/dev/zero``, a pipe or a
folder is one sentence instead of memory running out. Writing: never onto an open store, its
``-wal``/``-shm`` or ``-journal`` (an export ``--out`` pointed at the store would replace
every workshop), compared by the file's identity (device and inode) after following links.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.errors import FieldError, RippleError
from app.platform.paths import default_store_path

MB = 1024 * 1024


def regular_file(path: Path, what: str, *, max_bytes: int | None = None) -> Path:
    """``path`` when it is a regular file Ripple may read (under ``max_bytes``), else a
    RippleError naming it: missing, a folder, a device, a pipe, or too big."""
    path = path.expanduser()
    try:
        st = path.stat()
    except FileNotFoundError:
        raise RippleError(f"There is no file {path}.") from None
    except OSError as exc:
        raise RippleError(f"Ripple cannot read {path}: {exc.strerror or exc}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise RippleError(f"{path} is a folder, not {what}.")
    if not stat.S_ISREG(st.st_mode):
        raise RippleError(f"{path} is a device or a pipe, not {what}; Ripple only reads ordinary files.")
    if max_bytes is not None and st.st_size > max_bytes:
        raise RippleError(
            f"{path.name} is {st.st_size / MB:,.0f} MB, more than {what} can be "
            f"({max_bytes / MB:,.0f} MB at most)."
        )
    return path


def read_regular(path: Path, what: str, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (see :func:`regular_file`)."""
    path = regular_file(path, what, max_bytes=max_bytes)
    try:
        with path.open("rb") as fh:
            # Read what the file holds now (plus one byte to see it grow), not max_bytes + 1:
            # that allocates the whole limit up front (64 MB for a 0.5 MB roster).
            chunks = [fh.read(min(os.fstat(fh.fileno()).st_size, max_bytes) + 1)]
            total = len(chunks[0])
            while chunks[-1] and total <= max_bytes:  # it grew while we read
                chunks.append(fh.read(min(1 << 20, max_bytes + 1 - total)))
                total += len(chunks[-1])
            chunks = [c for c in chunks if c]  # the empty read that ends a file adds nothing
            data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        raise RippleError(f"Ripple cannot read {path}: {exc.strerror or exc}.") from None
    if len(data) > max_bytes:  # it grew while we looked
        raise RippleError(f"{path.name} is more than {what} can be ({max_bytes / MB:,.0f} MB at most).")
    return data


_STORE_SIDECARS = ("", "-wal", "-shm", "-journal")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def refuse_store_target(out: Path, stores: list[Path], *, field: str = "out") -> None:
    """A FieldError when ``out`` is (a link to, or the same file as) any of ``stores`` or
    their ``-wal``/``-shm``/``-journal`` files; writing there would replace the store."""
    target = out.expanduser()
    resolved = target.resolve()
    ident = _identity(target)
    for store in stores:
        base = store.expanduser().resolve()
        for suffix in _STORE_SIDECARS:
            side = base.with_name(base.name + suffix)
            if resolved == side or (ident is not None and ident == _identity(side)):
                raise FieldError(
                    field,
                    f"{out} is Ripple's own store{' (' + suffix.lstrip('-') + ' file)' if suffix else ''}; "
                    "writing there would replace every workshop, so choose another file for --out.",
                )


def store_files(url: URL | str) -> list[Path]:
    """The SQLite file behind a store's URL (none for PostgreSQL or an in-memory store)."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except (ArgumentError, ValueError):
        return []
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return []
    return [Path(os.fspath(database))]


def refuse_writing_onto_stores(out: Path, store_url: URL | str, *, field: str = "out") -> None:
    """:func:`refuse_store_target` for the store in use, this laptop's own store and the one
    ``RIPPLE_DB`` names (the stores an export may be pointed at by mistake)."""
    stores = [*store_files(store_url), default_store_path(), *store_files(os.environ.get("RIPPLE_DB") or "")]
    refuse_store_target(out, stores, field=field)
