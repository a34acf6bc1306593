"""The store's one error type, and the one place a driver's message becomes a sentence.

Every failure of the store reaches a person as a :class:`StoreError` whose text says what
happened and what to do; :func:`explain` is where SQLite's and PostgreSQL's own messages
(which name passwords, sockets and SQLSTATEs) are turned into those sentences, for the
laptop's store, the shared store and a sync in progress alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

# SQLAlchemy is imported where it is used, not here: every layer's error tuple
# (app.errors.USER_ERRORS) names StoreError, and the desktop app's first window must not wait
# for SQLAlchemy (about half a second of CPU) just to know this class.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL


class StoreError(Exception):
    """A failure of the store, phrased for the person in front of the laptop.

    ``str(err)`` is one sentence; the CLI prints it to stderr, the UI shows it in a banner.
    Connection strings in it are always masked (see :func:`db.urls.mask_url`).
    """


class RemoteEmpty(StoreError):
    """The shared store's address names an empty database or no file: not set up yet (the
    app asks before it makes one there)."""


class RemoteRefused(StoreError):
    """The shared store refused the user name or password (so the UI can ask for one)."""


#: Driver phrases that mean the server was never reached (as opposed to lost on the way).
_UNREACHABLE = ("connection refused", "timeout", "timed out", "could not translate",
                "name or service not known", "no route", "network is unreachable",
                "connection failed", "could not connect")
#: The subset that a sync can meet while connecting; any other OperationalError in the middle
#: of a sync means the connection went away.
_CONNECTING = ("timeout expired", "could not connect", "connection refused", "connection failed",
               "could not translate", "no route", "network is unreachable")


def driver_cause(first_line: str) -> str:
    """The driver's own reason, without its "connection to server at … failed:" preamble."""
    import re

    text = re.sub(r"^connection failed:\s*", "", first_line.strip(), flags=re.IGNORECASE)
    text = re.sub(r'^connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed:\s*', "", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"password=\S+", "password=***", text, flags=re.IGNORECASE)
    return (text or "no reason given").rstrip(".")


@contextmanager
def opening(engine: Engine, url: str | URL) -> Iterator[None]:
    """Around opening a store on ``engine``: when it fails, the engine's connections are let
    go, and a driver's error leaves as the :class:`StoreError` :func:`explain` words for it."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except StoreError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise explain(url, exc) from None


def explain(url: str | URL, exc: BaseException, *, during_sync: bool = False) -> StoreError:
    """One sentence for a driver error, without the password.

    ``during_sync``: the error came in the middle of a sync, where a dropped connection is
    worth saying as such (what arrived is kept) rather than as "could not reach".
    The rules are checked in order; the first that matches speaks.
    """
    from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

    # db.urls raises StoreError, so it can only be imported once this module is loaded.
    from db.urls import mask_url

    masked = mask_url(url)
    text = str(getattr(exc, "orig", exc)).strip()
    first = text.splitlines()[0] if text else ""
    low = text.lower()
    if "no password supplied" in low:
        return RemoteRefused(f"The shared store at {masked} asks for a password.")
    if "password authentication failed" in low:
        return RemoteRefused(f"The shared store at {masked} refused the user name or password.")
    if isinstance(exc, ProgrammingError) and "permission denied" in low:
        return StoreError(
            f"The user in {masked} lacks a permission on the shared store "
            f"({first.lower()}); see docs/shared-store.md for the roles."
        )
    if isinstance(exc, IntegrityError):
        return StoreError(
            f"The shared store at {masked} refused a change ({first.lower()}); nothing of "
            "that batch was kept — please report this."
        )
    if "lock timeout" in low:
        return StoreError(
            f"Another laptop has been syncing with {masked} for a while; nothing was lost, and "
            "Ripple tries again later."
        )
    if during_sync and isinstance(exc, OperationalError) and not any(s in low for s in _CONNECTING):
        return StoreError(
            f"The connection to the shared store at {masked} was lost during the sync; what "
            "arrived is kept and the rest follows at the next sync."
        )
    first_low = first.lower()
    if "does not exist" in first_low and "database" in first_low:
        return StoreError(f"The database in {masked} does not exist; ask the admin to create it.")
    if "does not exist" in first_low and "role" in first_low:
        return StoreError(f"The shared store at {masked} has no such user; check the user name in the address.")
    if "unable to open database file" in first_low:
        return StoreError(f"Ripple cannot open the store file {masked}; check the path and permissions.")
    if "file is not a database" in first_low or "file is encrypted" in first_low:
        return StoreError(f"{masked} is not a Ripple store (it is not a SQLite database).")
    cause = driver_cause(first)
    if "does not support ssl" in first_low:
        return StoreError(
            f"The server at {masked} does not offer TLS, but the address requires it (sslmode); ask the "
            "admin to turn TLS on, or use sslmode=prefer only on a network you trust."
        )
    if any(s in first_low for s in _UNREACHABLE):
        return StoreError(
            f"Ripple could not reach the store at {masked} ({cause}); check the address and the network."
        )
    written = explain_write(url, exc)
    if written is not None:
        return written
    return StoreError(f"The store at {masked} could not be opened: {first or type(exc).__name__}.")


def explain_write(url: str | URL, exc: BaseException) -> StoreError | None:
    """One sentence for a write the store could not make (a full disk, an I/O error, a
    read-only file, a lock held too long), or None when ``exc`` is none of those (a bug).
    What was committed before stays; the sentences say so, because a trainer in the middle
    of a workshop needs to know the earlier taps are safe."""
    from db.urls import mask_url

    masked = mask_url(url)
    low = str(getattr(exc, "orig", exc)).lower()
    if "disk i/o error" in low and _disk_nearly_full(url):
        low = "disk full"  # SQLite says "I/O error" when the journal cannot grow on a full disk
    if any(s in low for s in ("database or disk is full", "disk full", "no space left", "could not extend file",
                              "could not write to file")):
        return StoreError(
            f"The disk holding the store ({masked}) is full, so this was not saved; everything saved "
            "before is kept. Free some space and try again."
        )
    if "disk i/o error" in low or "input/output error" in low:
        return StoreError(
            f"The store ({masked}) could not be written (a disk I/O error), so this was not saved; "
            "everything saved before is kept."
        )
    if "readonly database" in low or "read-only" in low:
        return StoreError(f"The store ({masked}) is read-only, so nothing can be saved; check the file's permissions.")
    if "database is locked" in low:
        return StoreError(
            f"The store ({masked}) is busy with another Ripple window or command, so this was not saved; "
            "try again in a moment."
        )
    return None


def explain_sync_write(url: str | URL, exc: BaseException, *, shared: bool) -> StoreError | None:
    """:func:`explain_write` for a sync: which store could not be written (this laptop's or
    the shared one), and that the sync picks up where it stopped; None when ``exc`` is no
    failed write. A full laptop disk is not a lost connection, so it must not be said as one."""
    from db.urls import mask_url

    err = explain_write(url, exc)
    if err is None:
        return None
    where = "the shared store" if shared else "this laptop's store"
    masked = mask_url(url)
    if "is full" in str(err):
        return StoreError(
            f"The disk holding {where} ({masked}) is full, so the sync stopped; everything synced before "
            "is kept, and the rest follows at the next sync once there is space."
        )
    if "disk I/O error" in str(err):
        return StoreError(
            f"{where[0].upper()}{where[1:]} ({masked}) could not be written (a disk I/O error), so the sync "
            "stopped; everything synced before is kept, and the rest follows at the next sync."
        )
    return err


def _disk_nearly_full(url: str | URL) -> bool:
    """Whether the disk of a SQLite store has (almost) no space left."""
    import shutil
    from pathlib import Path

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        database = (make_url(url) if isinstance(url, str) else url).database
        if not database or database == ":memory:":
            return False
        return shutil.disk_usage(Path(database).expanduser().parent).free < 1024 * 1024
    except (OSError, ValueError, ArgumentError):
        return False
