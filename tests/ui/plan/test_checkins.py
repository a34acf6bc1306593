"""A check-in typed in later from the participant's row in the planner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.followup.checkins import check_ins_of
from app.followup.commitments import take_commitment
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from ui.plan.checkins import PersonCheckIns
from ui.plan.page import Planner


def test_a_check_in_typed_in_later_from_the_participants_row(qtbot: QtBot, ctx: Ripple) -> None:
    wid = create_workshop(ctx.store, "Negotiation lab", team="Sales")
    ana = add_participant(ctx.store, wid, "Ana Pereira", email="ana@example.org")
    add_participant(ctx.store, wid, "Ben Okafor", email="ben@example.org")
    com = take_commitment(ctx.store, wid, ana, "ask one open question per call")
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.resize(1366, 768)
    planner.show()
    planner.load(wid)
    tab = planner.people
    tab.table.setCurrentCell(0, 0)
    qtbot.mouseClick(tab.check_ins_button, Qt.MouseButton.LeftButton)
    dialog = tab.check_ins
    assert isinstance(dialog, PersonCheckIns)
    (row,) = dialog.rows
    qtbot.keyClicks(row.note, "called on Friday")
    with qtbot.waitSignal(dialog.sig_logged):
        qtbot.mouseClick(row.ratings[5], Qt.MouseButton.LeftButton)  # 6
    assert [(k.rating, k.note) for k in check_ins_of(ctx.store, [com.id])[com.id]] == [(6, "called on Friday")]
    tab.table.setCurrentCell(1, 0)  # Ben: no commitment yet
    qtbot.mouseClick(tab.check_ins_button, Qt.MouseButton.LeftButton)
    other = tab.check_ins
    assert isinstance(other, PersonCheckIns) and other is not dialog
    assert other.rows == [] and "closing step" in other.message.text()
