"""The console's follow-up: the closing step takes commitments with the suggested buddy, and
the next workshop of the same team shows the open ones, each logged with one tap."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.followup.checkins import check_ins_of
from app.followup.commitments import commitments_of_workshop
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from ui.live.closing import CheckInsDialog, ClosingDialog
from ui.live.console import Console

START = datetime.now().astimezone()


def _workshop(ctx: Ripple, title: str, start: datetime, people: dict[str, uuid.UUID] | None = None
              ) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    wid = create_workshop(ctx.store, title, team="Sales", started_at=start)
    add_agenda_item(ctx.store, wid, "challenge", "First", minutes=5)
    ids = {}
    for name in ("Ana Pereira", "Ben Okafor", "Chloé Martin"):
        email = name.split()[0].lower() + "@example.org"
        ids[name] = add_participant(ctx.store, wid, name, email=email)
        set_consent(ctx.store, ids[name], analytics=True, by="Marta")
    return wid, ids


def _console(qtbot: QtBot, ctx: Ripple, wid: uuid.UUID) -> Console:
    console = Console(ctx)
    qtbot.addWidget(console)
    console.resize(1366, 768)
    console.show()
    assert console.open_workshop(wid)
    return console


def test_closing_step_then_one_tap_check_in_at_the_next_workshop(qtbot: QtBot, ctx: Ripple) -> None:
    wid, ids = _workshop(ctx, "Sprint one", START)
    live = LiveWorkshop(ctx.store, wid)
    first = live.log(ids["Ana Pereira"])
    live.log(ids["Ben Okafor"], builds_on=first.id)  # Ben built on Ana: she is his suggested buddy
    console = _console(qtbot, ctx, wid)
    assert not console.followup.check_ins_button.isVisible()  # nothing to follow up yet
    qtbot.mouseClick(console.followup.closing_button, Qt.MouseButton.LeftButton)
    dialog = console.followup.dialog
    assert isinstance(dialog, ClosingDialog)
    ben = ids["Ben Okafor"]
    assert dialog.buddy_of(ben) == ids["Ana Pereira"]
    assert "(suggested)" in dialog.buddies[ben].currentText()
    qtbot.keyClicks(dialog.texts[ben], "share one failure story a week")
    with qtbot.waitSignal(console.sig_info) as info:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert info.args == ["1 commitment kept; check-ins follow in 7 and 30 days."]
    (kept,) = commitments_of_workshop(ctx.store, wid).values()
    assert (kept.participant_id, kept.text, kept.buddy_id) == (ben, "share one failure story a week",
                                                              ids["Ana Pereira"])

    nxt, _ = _workshop(ctx, "Sprint two", START + timedelta(days=14))  # the same people: known by e-mail
    console.open_workshop(nxt)
    assert console.followup.check_ins_button.isVisible()
    assert console.followup.check_ins_button.text() == "Check-ins (1)"
    qtbot.mouseClick(console.followup.check_ins_button, Qt.MouseButton.LeftButton)
    checks = console.followup.dialog
    assert isinstance(checks, CheckInsDialog)
    (row,) = checks.rows
    qtbot.keyClicks(row.note, "did it twice")
    with qtbot.waitSignal(checks.sig_logged):
        qtbot.mouseClick(row.ratings[6], Qt.MouseButton.LeftButton)  # 7
    assert [(k.rating, k.note) for k in check_ins_of(ctx.store, [kept.id])[kept.id]] == [(7, "did it twice")]
    assert not row.ratings[0].isEnabled() and row.done.text() == "Checked in: 7/10. Thank you!"
    checks.accept()
    assert console.followup.check_ins_button.text() == "Check-ins (1)"  # the 30-day one is still to come


def test_a_refused_commitment_keeps_the_dialog_open_and_writes_nothing(qtbot: QtBot, ctx: Ripple) -> None:
    wid, ids = _workshop(ctx, "Sprint one", START)
    console = _console(qtbot, ctx, wid)
    qtbot.mouseClick(console.followup.closing_button, Qt.MouseButton.LeftButton)
    dialog = console.followup.dialog
    assert isinstance(dialog, ClosingDialog)
    ana = ids["Ana Pereira"]
    dialog.texts[ana].setMaxLength(10_000)
    dialog.texts[ana].setText("x" * 600)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "at most 500" in dialog.message.text()
    assert commitments_of_workshop(ctx.store, wid) == {}
