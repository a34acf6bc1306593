"""A finished workshop in the console takes no taps, moves or edits, says why, and Resume
asks first; Ctrl+Z and Ctrl+Shift+Z work on what was logged before the app was reopened."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.context import Ripple
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, load_plan
from db.models import Contribution
from ui.live.console import Console

DEC_3 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def _workshop(ctx: Ripple) -> tuple[uuid.UUID, list[uuid.UUID]]:
    wid = create_workshop(ctx.store, "Feedback lab", started_at=DEC_3)
    add_agenda_item(ctx.store, wid, "challenge", "First", minutes=5)
    add_agenda_item(ctx.store, wid, "debrief", "Second", minutes=5)
    return wid, [add_participant(ctx.store, wid, n) for n in ("Ana Pereira", "Ben Okafor", "Chloé Martin")]


def _count(ctx: Ripple) -> int:
    with ctx.store.read() as s:
        return len(list(s.scalars(select(Contribution.id))))


def _console(qtbot: QtBot, ctx: Ripple, wid: uuid.UUID) -> Console:
    console = Console(ctx)
    qtbot.addWidget(console)
    console.resize(1366, 768)
    console.show()
    assert console.open_workshop(wid)
    return console


def _answer(button_text: str, seen: list[str]) -> Callable[[], None]:
    """Press ``button_text`` in the modal dialog that is about to open (and note what it said)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        seen.append(" ".join(w.text() for w in dialog.findChildren(QPushButton)))
        next(b for b in dialog.findChildren(QPushButton) if b.text() == button_text).click()

    return answer


def test_a_finished_workshop_is_read_only_until_resumed(qtbot: QtBot, ctx: Ripple) -> None:
    wid, (ana, ben, _c) = _workshop(ctx)
    live = LiveWorkshop(ctx.store, wid, now=lambda: DEC_3)
    live.log(ana)
    live.finish()
    console = _console(qtbot, ctx, wid)
    errors: list[str] = []
    console.sig_error.connect(errors.append)
    bar = console.read_only
    reason = "This workshop finished on 3 Dec. Resume it to log more."
    assert bar.bar.isVisible() and bar.reason.text() == reason
    for control in (console.tiles, console.start_button, console.plus_button, console.next_button,
                    console.undo_button, console.edit_button, console.delete_button, *console.kind_chips.values()):
        assert not control.isEnabled()
    qtbot.mouseClick(console.tiles.tiles[ben], Qt.MouseButton.LeftButton)  # no tap
    qtbot.keyClick(console, Qt.Key.Key_2)  # no key either: the reason, once
    qtbot.keyClick(console, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    second = console.agenda.item(1)
    qtbot.mouseDClick(console.agenda.viewport(), Qt.MouseButton.LeftButton,
                      pos=console.agenda.visualItemRect(second).center())  # no agenda move
    assert _count(ctx) == 1 and console.live.current_item.title == "First"  # type: ignore[union-attr]
    assert errors == [reason, reason]

    seen: list[str] = []
    QTimer.singleShot(0, _answer("Cancel", seen))
    bar.resume_button.click()
    assert seen and "Resume" in seen[0] and load_plan(ctx.store, wid).status == "finished"
    QTimer.singleShot(0, _answer("Resume", seen))
    bar.resume_button.click()
    assert load_plan(ctx.store, wid).status == "live"
    assert not bar.bar.isVisible() and console.tiles.isEnabled() and console.start_button.isEnabled()
    assert console.undo_button.isEnabled()
    qtbot.mouseClick(console.tiles.tiles[ben], Qt.MouseButton.LeftButton)
    assert _count(ctx) == 2


def test_undo_and_redo_keys_reach_entries_logged_before_a_restart(qtbot: QtBot, ctx: Ripple) -> None:
    wid, _people = _workshop(ctx)
    first = _console(qtbot, ctx, wid)
    qtbot.keyClick(first, Qt.Key.Key_1)
    qtbot.keyClick(first, Qt.Key.Key_2)
    first.close()
    reopened = _console(qtbot, ctx, wid)  # as after closing and reopening the app
    news: list[str] = []
    reopened.sig_info.connect(news.append)
    assert reopened.undo_button.isEnabled()
    qtbot.keyClick(reopened, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _count(ctx) == 1 and news[-1] == "Undone: Ben Okafor's story. Ctrl+Shift+Z brings it back."
    again = _console(qtbot, ctx, wid)
    again.sig_info.connect(news.append)
    qtbot.keyClick(again, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _count(ctx) == 2 and news[-1] == "Back: Ben Okafor's story."
    assert again.recent.count() == 2
    qtbot.keyClick(again, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert news[-1] == "Nothing to redo."
