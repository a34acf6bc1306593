"""Settings → Shared store, the sync status in the rail, syncing off the UI thread."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.context import Ripple
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, list_workshops
from db.store import Store
from tests.helpers.fakepg import FakePostgres
from tests.helpers.heartbeat import Heartbeat
from ui.settings.page import SyncSettingsPage
from ui.tasks import pending, wait_for_all


@pytest.fixture
def page(qtbot: QtBot, ctx: Ripple) -> Iterator[SyncSettingsPage]:
    p = SyncSettingsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    yield p
    p.controller.stop()
    wait_for_all()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_save_then_sync_now_through_a_shared_file(
    qtbot: QtBot, ctx: Ripple, page: SyncSettingsPage, tmp_path: Path
) -> None:
    wid = create_workshop(ctx.store, "Synced from the UI")
    add_participant(ctx.store, wid, "Ana", email="ana@example.org")
    (tmp_path / "share").mkdir()
    shared = f"sqlite:///{tmp_path / 'share' / 'ripple.db'}"
    assert page.indicator.state() == "off"
    page.address.setText(shared)
    page.every.setValue(15)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert ctx.settings.remote_url == shared and ctx.settings.sync_every_minutes == 15
    assert json.loads(settings_mod.settings_path().read_text())["remote_url"] == shared
    qtbot.waitUntil(lambda: page.controller.status is not None and page.controller.status.waiting == 3)
    assert "3 changes waiting" in page.waiting_line.text()

    # Nothing is there yet: the page asks before making it the shared store, and makes nothing.
    assert not page.setup_button.isVisible()
    with qtbot.waitSignal(page.controller.sig_failed, timeout=20_000) as asked:
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert asked.args is not None and "no shared store at this address yet" in asked.args[0]
    qtbot.waitUntil(page.setup_button.isVisible, timeout=5000)
    assert not (tmp_path / "share" / "ripple.db").exists()
    assert "set it up as the shared store" in page.error_line.text() and not page.sync_button.isVisible()
    assert not page.controller.sync_scheduled  # no background sync tries it meanwhile
    with qtbot.waitSignal(page.controller.sig_synced, timeout=20_000) as done:
        qtbot.mouseClick(page.setup_button, Qt.MouseButton.LeftButton)
    assert done.args is not None and done.args[0].sent == 3 and done.args[1] is True
    qtbot.waitUntil(lambda: not page.setup_button.isVisible() and page.sync_button.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: page.indicator.state() == "ok", timeout=5000)
    assert "Synced just now" in page.indicator.label.text()
    assert page.status_line.text().startswith("Last sync just now")
    assert "Nothing waiting" in page.waiting_line.text()
    other = Store.open(shared)  # what another laptop (or L&D) sees there
    assert [w.title for w in list_workshops(other)] == ["Synced from the UI"]
    other.close()


def test_the_password_stays_out_of_settings(qtbot: QtBot, ctx: Ripple, page: SyncSettingsPage) -> None:
    page.address.setText(f"postgresql+psycopg://trainer:Secr3t!@127.0.0.1:{_closed_port()}/ripple?sslmode=require")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = settings_mod.settings_path().read_text()
    assert "Secr3t" not in saved and "Secr3t" not in page.address.text()
    assert page.address.text().endswith("/ripple?sslmode=require")
    # No keychain in this environment: the box says so and the password lives for the session.
    assert not page.remember.isEnabled() and page.keychain_note.isVisibleTo(page)
    assert ctx.sync._session_password == "Secr3t!"


def test_an_unreachable_store_fails_quickly_off_the_ui_thread(
    qtbot: QtBot, ctx: Ripple, page: SyncSettingsPage
) -> None:
    silent = FakePostgres("silent")  # accepts the connection and never answers
    try:
        page.address.setText(f"postgresql+psycopg://trainer@127.0.0.1:{silent.port}/ripple")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        with Heartbeat(50) as heartbeat, qtbot.waitSignal(page.sig_sync_failed, timeout=10_000) as failed:
            qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
            assert page.indicator.state() == "running"
        assert failed.args is not None and "could not reach" in failed.args[0]
        # The window kept drawing for the seconds the attempt took: no stall took half of them.
        assert heartbeat.elapsed > 1 and heartbeat.kept_running(), (heartbeat.longest_gap, heartbeat.elapsed)
    finally:
        silent.close()
    qtbot.waitUntil(lambda: not page.controller.running)
    assert page.indicator.state() == "error"
    assert page.indicator.action.text() == "Retry" and "retry in 1 min" in page.indicator.label.text()
    assert page.error_line.isVisibleTo(page) and "tries again in 1 min" in page.error_line.text()
    # Local work goes on, and is counted as waiting.
    create_workshop(ctx.store, "Logged while offline")
    page.controller.refresh_status()
    # (generous: on a loaded 2-core CI machine the worker pool may still be busy with earlier work)
    qtbot.waitUntil(lambda: page.controller.status is not None and page.controller.status.waiting == 1,
                    timeout=20_000)


def test_a_refused_password_asks_for_one(qtbot: QtBot, ctx: Ripple, page: SyncSettingsPage) -> None:
    server = FakePostgres("password")
    try:
        page.address.setText(f"postgresql+psycopg://trainer@127.0.0.1:{server.port}/ripple")
        page.password.setText("wrong")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        assert page.password.text() == ""
        with qtbot.waitSignal(page.controller.sig_failed, timeout=10_000):
            page.controller.sync_now(manual=False)  # a background attempt: no banner
        qtbot.waitUntil(lambda: not page.controller.running)
        assert page.indicator.state() == "password"
        assert page.indicator.action.text() == "Password…"
        with qtbot.waitSignal(page.indicator.sig_open_settings):
            qtbot.mouseClick(page.indicator.action, Qt.MouseButton.LeftButton)
        assert not page.controller.sync_scheduled  # no retrying with a password known to be wrong
    finally:
        server.close()


def test_test_connection_says_what_it_found(qtbot: QtBot, page: SyncSettingsPage, tmp_path: Path) -> None:
    page.address.setText(f"sqlite:///{tmp_path / 'empty.db'}")
    with qtbot.waitSignal(page.sig_info, timeout=10_000) as said:
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert said.args is not None and "There is no shared store at" in said.args[0]
    assert not (tmp_path / "empty.db").exists() or (tmp_path / "empty.db").stat().st_size == 0
    qtbot.waitUntil(page.test_button.isEnabled)  # one test at a time
    page.address.setText("mysql://nope@host/db")
    with qtbot.waitSignal(page.sig_error, timeout=10_000) as bad:
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert bad.args is not None and "cannot use a “mysql” store" in bad.args[0]


def test_main_window_has_the_settings_page_and_the_status(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    from ui.shell.window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("settings")
    assert window.pages.currentWidget() is window.sync_page
    assert window.sync_page.indicator.isVisibleTo(window)
    window.sync_page.controller.sync_now()  # nothing set up: says so in the banner
    assert "add its address in Settings" in window.banner.text()
    path = tmp_path / "settings.png"
    assert window.grab().save(str(path)) and path.stat().st_size > 10_000
    window.close()
    wait_for_all()


def test_an_older_status_answer_never_overwrites_a_newer_one(qtbot: QtBot, ctx: Ripple, page: SyncSettingsPage,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Status reads run in the pool and may finish out of order (seen on a loaded CI run)."""
    from app.sync import SyncStatus

    c = page.controller
    qtbot.waitUntil(lambda: not pending(c), timeout=20_000)  # the read the page asked for when shown
    entered, gate = threading.Event(), threading.Event()
    answers = iter([SyncStatus(configured=False, remote="", last_sync_at=None, waiting=0),
                    SyncStatus(configured=False, remote="", last_sync_at=None, waiting=7)])

    def status() -> SyncStatus:
        answer = next(answers)
        if answer.waiting == 0:  # the older read is slow
            entered.set()
            assert gate.wait(20)
        return answer

    monkeypatch.setattr(ctx.sync, "status", status)
    c.refresh_status()
    assert entered.wait(20)
    c.refresh_status()  # the newer read answers first
    qtbot.waitUntil(lambda: c.status is not None and c.status.waiting == 7, timeout=20_000)
    gate.set()  # then the older one finishes
    qtbot.waitUntil(lambda: not pending(c), timeout=20_000)
    assert c.status.waiting == 7
    assert "7 changes waiting" in page.waiting_line.text()
