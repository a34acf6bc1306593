"""Syncing this laptop with the shared store: the address from settings, the password from
the keychain (or this session), one sync at a time, and a status the UI can show.

The engine is :mod:`db.sync`; this module adds what a person deals with: where the shared
store is, how to authenticate, what to say when it fails. No Qt here: the UI runs these
calls in its workers, the CLI runs them directly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.errors import RippleError
from app.planning.duplicates import follow_merges
from app.platform import credentials
from app.platform.gc_pause import paused
from app.settings import Settings
from db.errors import RemoteEmpty, RemoteRefused, StoreError
from db.store import Store
from db.sync.engine import local_state, sync
from db.sync.files import fetch_clip
from db.sync.remote import open_remote
from db.sync.report import SyncReport
from db.urls import mask_url, parse_url

log = logging.getLogger("ripple.sync")

Progress = Callable[[str, int, int], None]

RETRY_MINUTES = (1, 2, 5, 10)
"""How long to wait before trying a failed background sync again: after the first failure,
the second, the third, and from then on."""


class PasswordNeeded(RippleError):
    """The shared store wants a password Ripple does not have (or refused the one it had)."""


class RemoteNotSetUp(RippleError):
    """The shared store's address names an empty database (or no file): the caller asks the
    person before syncing again with ``init_remote=True``, which makes it the shared store."""


@dataclass(frozen=True)
class SyncStatus:
    """What the status line shows."""

    configured: bool
    remote: str  # masked address, "" when none is set
    last_sync_at: datetime | None
    waiting: int


def next_try_minutes(failures: int, every_minutes: int) -> int:
    """Minutes until the next background sync (0: only when the person asks).

    After a failure the laptop is probably offline for a while: it tries again after 1, 2, 5,
    then every 10 minutes (never later than the usual interval), which neither floods a
    reachable-again store nor leaves the laptop unsynced for long once it is back.
    """
    if failures > 0:
        wait = RETRY_MINUTES[min(failures, len(RETRY_MINUTES)) - 1]
        return min(wait, every_minutes) if every_minutes > 0 else wait
    return every_minutes


def check_remote_url(url: str) -> str:
    """The address, cleaned, or a sentence about what is wrong with it."""
    text = (url or "").strip()
    if not text:
        raise RippleError("Give the shared store's address, e.g. postgresql+psycopg://trainer@db.example.org/ripple.")
    parsed = parse_url(text)
    if parsed.get_backend_name() == "sqlite" and not parsed.database:
        raise RippleError("Give the path of the shared SQLite file, e.g. sqlite:////mnt/team/ripple.db.")
    return text


class SyncService:
    """This laptop's link to the shared store."""

    def __init__(self, store: Store, settings: Settings, clips_root: Path | None) -> None:
        self.store = store
        self.settings = settings
        self.clips_root = clips_root
        self._session_password: str | None = None
        self._session_ssl_password: str | None = None  # an encrypted client key's passphrase
        self._remote: Store | None = None
        self._remote_key: tuple[str, str | None] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ configuration

    @property
    def remote_url(self) -> str:
        return self.settings.remote_url.strip()

    @property
    def configured(self) -> bool:
        return bool(self.remote_url)

    @property
    def masked_remote(self) -> str:
        return mask_url(self.remote_url) if self.remote_url else ""

    def password_remembered(self) -> bool:
        return bool(self.remote_url and credentials.load_password(self.remote_url))

    def configure(self, url: str, *, password: str | None = None, remember: bool | None = None,
                  every_minutes: int | None = None) -> None:
        """Keep the address (without its password) in settings; the password goes into this
        session's memory and, with ``remember``, the keychain (``remember=False`` forgets it
        there). The caller saves the settings."""
        clean, embedded = credentials.split_password(check_remote_url(url))
        clean, ssl_secret = credentials.split_ssl_password(clean)
        secret = password or embedded
        if ssl_secret:
            self._session_ssl_password = ssl_secret
            if credentials.keyring_available():
                credentials.save_password(clean, ssl_secret, credentials.SSL_SERVICE)
        if clean != self.remote_url:
            self._close_remote()
        self.settings.remote_url = clean
        if every_minutes is not None:
            self.settings.sync_every_minutes = max(0, int(every_minutes))
        if secret:
            self._session_password = secret
            self._close_remote()
        if remember and (secret or self._session_password):
            credentials.save_password(clean, secret or self._session_password or "")
        elif remember is False:
            credentials.forget_password(clean)

    def set_session_password(self, password: str) -> None:
        self._session_password = password or None
        self._close_remote()

    def remember_password(self) -> None:
        """Put the password this session used into the system keychain."""
        if self._session_password:
            credentials.save_password(self.remote_url, self._session_password)

    def forget(self) -> None:
        """Stop syncing with the shared store (the data here stays)."""
        if self.remote_url:
            credentials.forget_password(self.remote_url)
        self._session_password = self._session_ssl_password = None
        self._close_remote()
        self.settings.remote_url = ""

    # ------------------------------------------------------------ connecting

    def _password_for(self, url: str) -> str | None:
        if not credentials.needs_password(url):
            return None
        return self._session_password or credentials.load_password(url)

    def _ssl_password_for(self, url: str) -> str | None:
        return self._session_ssl_password or credentials.load_password(url, credentials.SSL_SERVICE)

    def _open(self, url: str, *, upgrade: bool = False, create: bool = False) -> Store:
        password = self._password_for(url)
        try:
            return open_remote(credentials.with_password(url, password, self._ssl_password_for(url)),
                               upgrade=upgrade, create=create)
        except RemoteRefused as exc:
            raise PasswordNeeded(str(exc)) from None
        except RemoteEmpty as exc:
            raise RemoteNotSetUp(str(exc)) from None

    def _remote_store(self, *, upgrade: bool = False, create: bool = False) -> Store:
        if not self.configured:
            raise RippleError("No shared store is set up yet; add its address in Settings.")
        key = (self.remote_url, self._password_for(self.remote_url))
        if self._remote is None or self._remote_key != key or upgrade or create:
            self._close_remote()
            self._remote = self._open(self.remote_url, upgrade=upgrade, create=create)
            self._remote_key = key
        return self._remote

    def _close_remote(self) -> None:
        if self._remote is not None:
            self._remote.close()
        self._remote = None
        self._remote_key = None

    def test_connection(self, url: str | None = None, password: str | None = None) -> str:
        """One sentence on whether the shared store answers and what it holds. Creates nothing."""
        target = check_remote_url(url) if url else self.remote_url
        if not target:
            raise RippleError("No shared store is set up yet; add its address in Settings.")
        clean, embedded = credentials.split_password(target)
        clean, ssl_secret = credentials.split_ssl_password(clean)
        secret = password or embedded or self._password_for(clean)
        try:
            remote = open_remote(credentials.with_password(clean, secret, ssl_secret or self._ssl_password_for(clean)),
                                 create=False)
        except RemoteRefused as exc:
            raise PasswordNeeded(str(exc)) from None
        except RemoteEmpty as exc:
            return str(exc)
        try:
            if remote.device_id == self.store.device_id:
                raise RippleError(f"{remote.masked_url} is this laptop's own store; choose the shared store.")
            return f"Connected to the shared store at {remote.masked_url}."
        finally:
            remote.close()

    # ------------------------------------------------------------ syncing

    def sync_now(
        self,
        *,
        clip_files: bool = True,
        upgrade_remote: bool = False,
        init_remote: bool = False,
        batch_rows: int | None = None,
        progress: Progress | None = None,
    ) -> SyncReport:
        """Push this laptop's changes, pull everyone else's, move clip files. One at a time.

        An empty shared store is set up only with ``init_remote`` (else
        :class:`RemoteNotSetUp`), an older one upgraded only with ``upgrade_remote``."""
        if not self._lock.acquire(blocking=False):
            raise RippleError("A sync is already running; it will finish on its own.")
        try:
            remote = self._remote_store(upgrade=upgrade_remote, create=init_remote)
            try:
                with paused():  # a sync moves rows by the hundred thousand: no collector walks
                    report = sync(
                        self.store,
                        remote,
                        clips_root=self.clips_root if clip_files else None,
                        batch_rows=batch_rows,
                        progress=progress,
                    )
                if report.received and follow_merges(self.store):
                    # What this laptop logged for someone merged elsewhere now points at the
                    # survivor; the edits go out at once.
                    sync(self.store, remote, clips_root=None, batch_rows=batch_rows)
                from app.clips.library import ClipLibrary
                from app.erased_people import erase_still_here

                library = ClipLibrary(self.clips_root) if self.clips_root is not None else None
                report.erased_here = erase_still_here(self.store, library)
                if report.erased_here:
                    # Someone erased elsewhere was here under another id: erased here too
                    # (app/erased_people.py), and the erasure goes out at once, with the
                    # removal of their clip files from the shared store.
                    again = sync(self.store, remote, clips_root=self.clips_root if clip_files else None,
                                 batch_rows=batch_rows)
                    report.clips_removed += again.clips_removed
                if library is not None:
                    # Erasures made elsewhere: this laptop's unfinished takes of them go too.
                    from app.erasure import discard_takes_of_erased

                    discard_takes_of_erased(self.store, library)
                return report
            except StoreError:
                self._close_remote()  # the next try starts from a fresh connection
                raise
        finally:
            self._lock.release()

    def status(self) -> SyncStatus:
        state = local_state(self.store, self.remote_url or None)
        return SyncStatus(
            configured=self.configured,
            remote=self.masked_remote,
            last_sync_at=state.last_sync_at,
            waiting=state.waiting,
        )

    def set_up_shared_store(self, *, init_remote: bool = False, upgrade_remote: bool = False) -> str:
        """Create (``init_remote``) or upgrade the shared store's schema and stop, moving no
        rows (what the admin runs once, and after each Ripple upgrade; docs/shared-store.md)."""
        remote = self._open(self.remote_url, upgrade=upgrade_remote, create=init_remote)
        try:
            current, _head = remote.schema_state()
            return f"The shared store at {remote.masked_url} is ready (schema {current})."
        finally:
            remote.close()

    def compact_shared_store(self) -> str:
        """Remove the tombstones every laptop has seen from the shared store (as its admin)."""
        from db.sync.compact import compact

        remote = self._open(self.remote_url)
        try:
            removed = compact(remote)
        finally:
            remote.close()
        return (f"Removed {removed:,} deleted row{'s' if removed != 1 else ''} every laptop has seen from "
                f"{mask_url(self.remote_url)}.")

    def open_shared(self) -> Store:
        """A connection of its own to the shared store, for reading every laptop's workshops
        (the L&D export from the desktop). The caller closes it; it creates and upgrades nothing,
        and the background sync's connection is left alone."""
        if not self.configured:
            raise RippleError("No shared store is set up yet; add its address in Settings.")
        return self._open(self.remote_url, create=False)

    def fetch_clip(self, sha: str) -> Path:
        """Bring one clip file now (opened before the background sync brought it)."""
        if self.clips_root is None:
            raise RippleError("This laptop keeps no clip files.")
        return fetch_clip(self._remote_store(), sha, self.clips_root)

    def close(self) -> None:
        self._close_remote()
