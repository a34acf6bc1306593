"""The planner imports a roster in the background: the window stays usable, a write made in
the meantime goes in before the import ends, and the end (or a failure) is said once."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.participants import add_participant
from app.planning.roster import import_roster, parse_roster
from app.planning.workshops import create_workshop, delete_workshop, load_plan
from tests.helpers.heartbeat import Heartbeat
from tests.helpers.planner import shown_planner
from tests.helpers.roster import open_preview
from ui.plan.roster_preview import RosterPreview

ROWS = 6000  # long enough (seconds here) to be caught while it runs


def _done(progress: str) -> int:
    """How many people the progress line says are in ("Importing roster.csv: 1,200 of …")."""
    found = re.search(r": ([\d,]+) of ", progress)
    return int(found[1].replace(",", "")) if found else 0


def _roster(tmp_path: Path, rows: int = ROWS) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("Name,E-mail,Team\n" + "".join(f"Person {i},p{i}@example.com,T{i % 7}\n" for i in range(rows)),
                    encoding="utf-8")
    return path


def test_progress_reaches_the_caller_after_each_batch(ctx: Ripple, tmp_path: Path) -> None:
    wid = create_workshop(ctx.store, "Onboarding", facilitator="Marta Ruiz")
    heard: list[int] = []
    ids = import_roster(ctx.store, wid, parse_roster(_roster(tmp_path, 700)), progress=heard.append)
    assert len(ids) == 700
    assert heard == sorted(heard) and heard[-1] == 700 and len(heard) > 1


def test_the_window_stays_usable_while_a_big_roster_goes_in(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    assert planner.plan is not None
    wid = planner.plan.id
    tab = planner.people
    infos: list[str] = []
    planner.sig_info.connect(infos.append)
    with Heartbeat() as heartbeat:
        assert tab.import_file(_roster(tmp_path), confirm=False)
        assert tab.importing and not tab.import_button.isEnabled()
        # Progress arrives on the UI thread while the import still runs.
        qtbot.waitUntil(lambda: _done(tab.progress.text()) > 0, timeout=30000)
        assert tab.importing and not tab.progress.isHidden()
        assert tab.import_file(_roster(tmp_path), confirm=False) is False  # one import at a time
        # A write from the UI thread (a walk-in added at the door) goes in between the batches.
        walk_in = add_participant(ctx.store, wid, "Walk-in Wanda")
        assert tab.importing, "the write waited for the whole import"
        qtbot.waitUntil(lambda: _done(tab.progress.text()) >= ROWS // 2 or not tab.importing, timeout=120000)
        assert tab.importing, "the import was not seen half-way"
    # The event loop ran all along: no stall took half the time the import was watched. (The
    # table of 6,001 people filled at the end is the UI thread's own work: 0.3 s here.)
    assert heartbeat.kept_running(), (heartbeat.longest_gap, heartbeat.elapsed)
    with qtbot.waitSignal(tab.sig_imported, timeout=120000) as done:
        pass
    assert done.args == [ROWS]
    people = load_plan(ctx.store, wid).participants
    assert len(people) == ROWS + 1 and walk_in in {p.id for p in people}
    assert tab.table.rowCount() == ROWS + 1
    assert tab.import_button.isEnabled() and tab.progress.isHidden()
    assert infos[-1] == f"{ROWS} participants imported from roster.csv."


def test_opening_another_workshop_does_not_stop_the_import(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    assert planner.plan is not None
    first = planner.plan
    infos: list[str] = []
    planner.sig_info.connect(infos.append)
    assert planner.people.import_file(_roster(tmp_path, 800), confirm=False)
    qtbot.waitUntil(lambda: "Importing roster.csv:" in planner.people.progress.text(), timeout=30000)
    with qtbot.waitSignal(planner.people.sig_imported, timeout=120000) as done:
        planner.new_workshop(None)  # the trainer moves on
    assert done.args == [800]
    assert planner.plan is not None and planner.plan.id != first.id
    assert len(load_plan(ctx.store, first.id).participants) == 800
    assert load_plan(ctx.store, planner.plan.id).participants == ()
    assert planner.people.table.rowCount() == 0
    assert infos[-1] == f"800 participants imported into “{first.title}” from roster.csv."


def test_opening_another_workshop_while_the_file_is_read_imports_nothing(
    qtbot: QtBot, ctx: Ripple, tmp_path: Path
) -> None:
    """The file is read off the UI thread; a trainer who opens another workshop before it is
    read gets nothing imported anywhere (the roster was for the workshop they left, and no
    preview of it would make sense over another one), and is told so."""
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    assert planner.plan is not None
    first = planner.plan
    infos: list[str] = []
    planner.sig_info.connect(infos.append)
    assert planner.people.import_file(_roster(tmp_path, 800))
    assert planner.people.progress.text() == "Reading roster.csv…"
    planner.new_workshop(None)  # before the read is back: its result comes through the event loop
    with qtbot.waitSignal(planner.people.sig_imported, timeout=30000) as done:
        pass
    assert done.args == [0]
    assert planner.people.findChildren(RosterPreview) == []
    assert load_plan(ctx.store, first.id).participants == ()
    assert planner.plan is not None and load_plan(ctx.store, planner.plan.id).participants == ()
    assert infos[-1] == "Nothing was imported from roster.csv: another workshop was opened while it was being read."
    assert planner.people.import_button.isEnabled() and planner.people.progress.isHidden()


def test_a_big_workbook_is_read_off_the_ui_thread(
    qtbot: QtBot, ctx: Ripple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading and parsing a roster happens in the background too: the event loop keeps
    running while a workbook of 5,000 rows is read, and the preview opens after.

    The real reader runs; it is only made to wait, once it has started, until the UI thread's
    event loop has turned. Were the read on the UI thread that could never happen (it waits
    10 s, then reads anyway and the test fails). Counting timer ticks during the read instead
    depended on how the cores were shared: a loaded CI machine gave 3 where a quiet one gave
    24,000."""
    from openpyxl import Workbook

    import app.planning.roster as roster_module

    path = tmp_path / "big.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "E-mail"])
    for i in range(5000):
        sheet.append([f"Person {i}", f"p{i}@example.com"])
    book.save(path)
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    ui_thread = threading.get_ident()
    readers: list[int] = []
    turned_while_reading = threading.Event()
    real_read = roster_module.read_roster_table

    def read_after_a_turn_of_the_loop(source: Path) -> object:
        readers.append(threading.get_ident())
        turned_while_reading.wait(10)
        return real_read(source)

    monkeypatch.setattr(roster_module, "read_roster_table", read_after_a_turn_of_the_loop)
    timer = QTimer(planner)
    timer.timeout.connect(lambda: turned_while_reading.set() if readers else None)
    timer.start(0)
    assert planner.people.import_file(path)
    assert readers == []  # import_file returned without reading the file
    dialog = open_preview(qtbot, planner.people)
    timer.stop()
    assert len(readers) == 1 and readers[0] != ui_thread
    assert turned_while_reading.is_set(), "the event loop stood still while the workbook was read"
    assert dialog.roster is not None and len(dialog.roster.rows) == 5000
    assert planner.people.import_file(path) is False  # one roster at a time, the preview included
    with qtbot.waitSignal(planner.people.sig_imported, timeout=30000) as done:
        dialog.done(QDialog.DialogCode.Rejected)
    assert done.args == [0]


def test_a_workshop_deleted_before_the_import_says_so_and_adds_no_one(
    qtbot: QtBot, ctx: Ripple, tmp_path: Path
) -> None:
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    assert planner.plan is not None
    wid = planner.plan.id
    errors: list[str] = []
    planner.sig_error.connect(errors.append)

    assert planner.people.import_file(_roster(tmp_path, 5))
    dialog = open_preview(qtbot, planner.people)
    delete_workshop(ctx.store, wid)  # on another laptop, say, synced in meanwhile
    with qtbot.waitSignal(planner.people.sig_imported, timeout=30000) as done:
        dialog.import_button.click()
    assert done.args == [0]
    assert errors == [f"There is no workshop with id {wid}."]
    with ctx.store.read() as s:
        from sqlalchemy import func, select

        from db.models import Participant
        assert s.scalar(select(func.count()).select_from(Participant)) == 0
    assert planner.people.import_button.isEnabled()
