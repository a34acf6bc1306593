"""Bad conditions: a shared store that is down, silent, or refuses the password gives one
clear sentence quickly, never shows the password, and leaves local work alone."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from app.settings import Settings
from app.sync import PasswordNeeded, SyncService
from db.errors import RemoteRefused, StoreError
from db.store import Store
from db.sync.engine import local_state
from db.sync.remote import open_remote
from tests.helpers.fakepg import FakePostgres

SECRET = "s3cr3t-Pa55"


@pytest.fixture
def fake_pg() -> Iterator[Callable[[str], FakePostgres]]:
    servers: list[FakePostgres] = []

    def make(mode: str) -> FakePostgres:
        servers.append(FakePostgres(mode))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_nobody_listening_is_said_at_once(sqlite_store: Store) -> None:
    url = f"postgresql+psycopg://trainer:{SECRET}@127.0.0.1:{_free_port()}/ripple"
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        open_remote(url)
    assert time.monotonic() - started < 10
    assert "could not reach" in str(err.value) and SECRET not in str(err.value)
    assert "trainer:***@" in str(err.value)


def test_a_silent_server_is_given_up_within_ten_seconds(fake_pg: Callable[[str], FakePostgres]) -> None:
    server = fake_pg("silent")
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        open_remote(f"postgresql+psycopg://trainer:{SECRET}@127.0.0.1:{server.port}/ripple")
    took = time.monotonic() - started
    assert took < 10, took
    assert "could not reach" in str(err.value) and SECRET not in str(err.value)


def test_a_refused_password_is_one_sentence_without_the_password(
    fake_pg: Callable[[str], FakePostgres],
) -> None:
    server = fake_pg("password")
    url = f"postgresql+psycopg://trainer:{SECRET}@127.0.0.1:{server.port}/ripple?sslmode=disable"
    with pytest.raises(RemoteRefused) as err:
        open_remote(url)
    assert server.passwords == [SECRET.encode()]  # it did go to the server, and only there
    assert str(err.value) == (
        f"The shared store at postgresql+psycopg://trainer:***@127.0.0.1:{server.port}/ripple?sslmode=disable "
        "refused the user name or password."
    )
    with pytest.raises(RemoteRefused, match="asks for a password"):
        open_remote(f"postgresql+psycopg://trainer@127.0.0.1:{server.port}/ripple")


def test_the_service_asks_for_a_password_and_local_work_goes_on(
    fake_pg: Callable[[str], FakePostgres], sqlite_store: Store, tmp_path: Path
) -> None:
    server = fake_pg("password")
    settings = Settings()
    svc = SyncService(sqlite_store, settings, tmp_path / "clips")
    svc.configure(f"postgresql+psycopg://trainer:{SECRET}@127.0.0.1:{server.port}/ripple")
    assert settings.remote_url == f"postgresql+psycopg://trainer@127.0.0.1:{server.port}/ripple"
    with pytest.raises(PasswordNeeded):
        svc.sync_now()
    with pytest.raises(PasswordNeeded):
        svc.test_connection()
    # The laptop keeps working, and knows what waits for the next sync.
    wid = create_workshop(sqlite_store, "Offline today")
    add_participant(sqlite_store, wid, "Ana")
    assert local_state(sqlite_store).waiting >= 3
    assert svc.status().waiting >= 3 and svc.status().last_sync_at is None
    svc.close()


def test_settings_and_logs_never_hold_the_password(
    sqlite_store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import json
    import logging

    from app import settings as settings_mod
    from app.platform.logs import MaskingFilter

    settings = Settings()
    svc = SyncService(sqlite_store, settings, None)
    url = f"postgresql+psycopg://trainer:{SECRET}@127.0.0.1:{_free_port()}/ripple?sslmode=require"
    svc.configure(url)
    settings_mod.save(settings)
    saved = settings_mod.settings_path().read_text(encoding="utf-8")
    assert SECRET not in saved and json.loads(saved)["remote_url"].endswith("/ripple?sslmode=require")
    with pytest.raises(StoreError) as err:
        svc.sync_now()
    assert SECRET not in str(err.value)
    record = logging.LogRecord("ripple", logging.INFO, __file__, 1, "dsn %s", (url,), None)
    MaskingFilter().filter(record)
    assert SECRET not in record.getMessage()


def test_the_keychain_holds_the_password_when_there_is_one(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    from app.platform import credentials
    # Resolve the system's backend before defining ours: a KeyringBackend subclass registers
    # itself and would be chosen by a later first call.
    keyring.get_keyring()

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    ring = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", ring)
    assert credentials.keyring_available()
    settings = Settings()
    svc = SyncService(sqlite_store, settings, None)
    with_password = pg_url.replace("postgres@", f"postgres:{SECRET}@")
    svc.configure(with_password, remember=True)
    assert SECRET not in settings.remote_url
    assert list(ring.items.values()) == [SECRET]
    fresh = SyncService(sqlite_store, settings, None)  # the next session
    assert fresh.password_remembered()
    create_workshop(sqlite_store, "To share")
    report = fresh.sync_now(clip_files=False, init_remote=True)  # trust auth: the password is merely sent
    assert report.sent > 0 and "postgres:***@" in report.remote
    svc.configure(settings.remote_url, remember=False)
    assert ring.items == {}
    fresh.close()
    svc.close()


def test_tls_options_pass_through_the_url(pg_url: str) -> None:
    # The live server has no TLS: asking for it must fail, and say so without a password.
    with pytest.raises(StoreError) as err:
        open_remote(pg_url.replace("?", "?sslmode=require&"))
    assert "does not offer TLS, but the address requires it (sslmode)" in str(err.value)
    store = open_remote(pg_url.replace("?", "?sslmode=disable&"))  # and accepted when allowed
    store.close()


def test_a_password_given_as_a_query_option_is_kept_out_of_settings_and_messages(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """libpq also reads ``?password=…``; it must be treated like ``user:password@``."""
    from app import settings as settings_mod
    from db.urls import mask_text, mask_url

    url = f"postgresql+psycopg://trainer@127.0.0.1:{_free_port()}/ripple?password={SECRET}&sslmode=require"
    assert SECRET not in mask_url(url) and "password=***" in mask_url(url)
    assert SECRET not in mask_url(url + f"&sslpassword={SECRET}")
    assert SECRET not in mask_text(f"not a url {url}")
    settings = Settings()
    svc = SyncService(sqlite_store, settings, None)
    svc.configure(url)
    settings_mod.save(settings)
    saved = settings_mod.settings_path().read_text(encoding="utf-8")
    assert SECRET not in saved and "sslmode=require" in saved
    with pytest.raises(StoreError) as err:
        svc.sync_now()
    assert SECRET not in str(err.value) and "could not reach" in str(err.value)


def test_a_stalled_laptop_holding_the_push_lock_does_not_hang_the_others(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from db.models import Workshop
    from db.sync import rows as sync_rows
    from db.sync.engine import sync

    monkeypatch.setattr(sync_rows, "LOCK_WAIT_S", 1)
    remote = open_remote(pg_url)
    a = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    wid = create_workshop(a, "Waiting its turn")
    schema = pg_url.rsplit("%3D", 1)[1]
    with psycopg.connect(pg_url.split("?")[0].replace("+psycopg", "")) as stalled:
        # Another laptop started a push and went quiet with the counter's row lock held.
        stalled.execute(f'UPDATE "{schema}".change_counter SET value = value WHERE id = 1')
        started = time.monotonic()
        with pytest.raises(StoreError) as err:
            sync(a, remote)
        assert time.monotonic() - started < 10
        assert "Another laptop has been syncing" in str(err.value)
        stalled.rollback()
    report = sync(a, remote)  # the lock is free again: the same sync now goes through
    assert report.pushed["workshops"] == 1
    with remote.read() as s:
        assert s.get(Workshop, wid) is not None
    a.close()
    remote.close()


def test_a_client_keys_passphrase_is_kept_out_of_settings_and_still_used(
    sqlite_store: Store, tmp_path: Path, pg_url: str
) -> None:
    """``sslpassword`` unlocks an encrypted client key: a secret like the password, so the
    settings file never holds it; the session (or the keychain) gives it to every connection."""
    from app import settings as settings_mod
    from app.platform import credentials

    settings = Settings()
    svc = SyncService(sqlite_store, settings, None)
    joiner = "&" if "?" in pg_url else "?"
    svc.configure(f"{pg_url}{joiner}sslpassword={SECRET}")
    settings_mod.save(settings)
    saved = settings_mod.settings_path().read_text(encoding="utf-8")
    assert SECRET not in saved and "sslpassword" not in saved
    assert "sslpassword" not in settings.remote_url
    # Connections still carry it: libpq takes the option, and the sync works with it.
    assert credentials.with_password(settings.remote_url, None, SECRET).query["sslpassword"] == SECRET
    create_workshop(sqlite_store, "Encrypted keys")
    assert svc.sync_now(init_remote=True).sent > 0
    from sqlalchemy import select

    from db.models import SyncRemote

    with sqlite_store.read() as s:
        kept = [r.url for r in s.scalars(select(SyncRemote))]
    assert kept and not any(SECRET in u or "sslpassword" in u for u in kept)
    svc.close()
