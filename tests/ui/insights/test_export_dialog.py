"""The Export dialog reads every laptop's workshops from the shared store when one is set."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.context import Ripple
from app.settings import Settings
from db.models import ExportRecord
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.insights import load_into, quiet_and_loud
from ui.insights.export_dialog import ExportDialog
from ui.tasks import wait_for_all


def test_export_dialog_exports_from_the_shared_store(qtbot: QtBot, tmp_path: Path, remote_url: str) -> None:
    # Laptop A ran the workshop and synced it; laptop B (this app) has nothing of its own.
    a = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    _cast, d = quiet_and_loud()
    load_into(a, tmp_path, d)
    remote = open_remote(remote_url)
    sync(a, remote)
    remote.close()
    a.close()

    ctx = Ripple(Store.open(f"sqlite:///{tmp_path / 'b.db'}"), Settings(facilitator="L&D: Sam"))
    try:
        ctx.sync.configure(remote_url)
        dialog = ExportDialog(ctx)
        qtbot.addWidget(dialog)
        assert dialog.source.isEnabled() and dialog.source.currentData() == "shared"
        assert "Shared store" in dialog.source.currentText()
        dialog.formats.button(2).setChecked(True)  # CSV
        out = tmp_path / "all-laptops.csv"
        dialog.path.setText(str(out))
        dialog.since_on.setChecked(False)
        with qtbot.waitSignal(dialog.sig_exported, timeout=30000):
            qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert rows and rows[0]["participant"] == "Quinn Quiet"
        # The export is recorded where the data came from, not on this laptop.
        with ctx.store.read() as s:
            assert s.scalar(select(func.count()).select_from(ExportRecord)) == 0
        check = open_remote(remote_url, create=False)
        with check.read() as s:
            rec = s.scalars(select(ExportRecord)).one()
        check.close()
        assert rec.by == "L&D: Sam" and rec.format == "csv"

        # Choosing this laptop exports what is here: nobody yet, and a clear sentence.
        dialog2 = ExportDialog(ctx)
        qtbot.addWidget(dialog2)
        dialog2.source.setCurrentIndex(0)
        dialog2.formats.button(2).setChecked(True)
        dialog2.path.setText(str(tmp_path / "here.csv"))
        dialog2.since_on.setChecked(False)
        with qtbot.waitSignal(dialog2.sig_exported, timeout=30000) as sig:
            qtbot.mouseClick(dialog2.export_button, Qt.MouseButton.LeftButton)
        assert sig.args[0].startswith("Wrote 0 candidates") and "from 0 workshops" in sig.args[0]
    finally:
        wait_for_all(20000)
        ctx.close()


def test_export_dialog_without_a_shared_store_offers_only_this_laptop(qtbot: QtBot, ctx: Ripple) -> None:
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.source.count() == 1 and not dialog.source.isEnabled()
    assert dialog.source.currentData() == "local"


def test_export_dialog_says_when_the_shared_store_is_unreachable(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    ctx.sync.configure("postgresql+psycopg://trainer@127.0.0.1:9/ripple")
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(tmp_path / "c.csv"))
    dialog.formats.button(2).setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "could not reach" in dialog.message.text(), timeout=15000)
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert not (tmp_path / "c.csv").exists()
    wait_for_all(20000)
