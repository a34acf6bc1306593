"""Settings → About, driven as a trainer would: read the facts, copy them, open the log folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from pytestqt.qtbot import QtBot

from app import __version__
from app.context import Ripple
from db import migrate
from ui.settings.about import AboutCard
from ui.tasks import wait_for_all


class FileManager(QObject):
    """Stands in for the desktop's file manager: Qt hands it every file:// URL opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def file_manager() -> Iterator[FileManager]:
    fm = FileManager()
    QDesktopServices.setUrlHandler("file", fm, "show")
    yield fm
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def card(qtbot: QtBot, ctx: Ripple) -> AboutCard:
    c = AboutCard(ctx)
    qtbot.addWidget(c)
    c.show()
    qtbot.waitUntil(lambda: c.facts is not None, timeout=5000)
    return c


def test_about_shows_version_schema_and_folders(card: AboutCard, ripple_home: Path) -> None:
    assert card.values["version"].text().startswith(__version__)
    assert card.values["schema"].text() == migrate.head_revision()
    assert card.values["data"].text() == str(ripple_home)
    assert card.values["log"].text() == str(ripple_home / "ripple.log")
    assert card.copy_button.isEnabled() and card.open_logs_button.isEnabled()


def test_copy_diagnostics_puts_them_on_the_clipboard(qtbot: QtBot, card: AboutCard) -> None:
    QGuiApplication.clipboard().clear()
    with qtbot.waitSignal(card.sig_info) as said:
        qtbot.mouseClick(card.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"Ripple: {__version__}" in copied and f"Schema: {migrate.head_revision()}" in copied
    assert "Qt: " in copied and "clipboard" in said.args[0]


def test_open_log_folder_asks_the_desktop_for_the_data_folder(qtbot: QtBot, card: AboutCard,
                                                              file_manager: FileManager,
                                                              ripple_home: Path) -> None:
    qtbot.mouseClick(card.open_logs_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in file_manager.opened] == [str(ripple_home)]


def test_settings_page_carries_about(qtbot: QtBot, ctx: Ripple) -> None:
    from ui.settings.page import SyncSettingsPage

    page = SyncSettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.about.facts is not None, timeout=5000)
    said: list[str] = []
    page.sig_info.connect(said.append)
    page.about.copy_diagnostics()
    assert said and "clipboard" in said[0]
    page.controller.stop()
    wait_for_all()
