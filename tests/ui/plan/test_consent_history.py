"""The participant's consent history on the planner: who, when, what changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.participants import add_participant, set_consent
from ui.plan.page import Planner


def test_the_selected_persons_consent_history_is_shown(qtbot: QtBot, ctx: Ripple) -> None:
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.resize(1366, 768)
    planner.show()
    planner.new_workshop(None)
    assert planner.plan is not None
    pid = add_participant(ctx.store, planner.plan.id, "Hana Sato", email="hana@example.org")
    add_participant(ctx.store, planner.plan.id, "Ben Ode")
    planner.changed()
    tab = planner.people
    assert tab.history.person is None and not tab.history.hint.isHidden()

    tab.table.selectRow(0)
    assert tab.history.person == pid and tab.history.lines() == ["No consent recorded yet."]
    tab.table.item(0, 5).setCheckState(Qt.CheckState.Checked)  # analytics, ticked by the trainer
    qtbot.waitUntil(lambda: len(tab.history.lines()) == 1 and "analytics granted" in tab.history.lines()[0])
    assert "by Marta Ruiz" in tab.history.lines()[0] and "decides today" in tab.history.lines()[0]

    # A withdrawal taken by e-mail elsewhere shows on top, with who took it.
    set_consent(ctx.store, pid, analytics=False, by="Data protection officer")
    planner.changed()
    lines = tab.history.lines()
    assert tab.history.title.text() == "Consent history of Hana Sato"
    assert len(lines) == 2 and "analytics withdrawn" in lines[0] and "by Data protection officer" in lines[0]
    assert "decides today" in lines[0] and "replaced since" in lines[1]

    tab.table.selectRow(1)
    assert tab.history.title.text() == "Consent history of Ben Ode"
