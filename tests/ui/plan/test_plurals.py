"""The planner counts in English: one participant, one agenda item, one person in the list."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.roster import parse_roster
from app.planning.workshops import create_workshop
from ui.plan.page import Planner


def test_one_of_a_kind_is_singular(qtbot: QtBot, ctx: Ripple) -> None:
    wid = create_workshop(ctx.store, "Pricing clinic", facilitator="Marta Ruiz")
    add_participant(ctx.store, wid, "Ana Ortiz")
    add_agenda_item(ctx.store, wid, "challenge", "Warm-up", minutes=10)
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.show()
    planner.refresh(select=wid)
    assert "1 agenda item, 10 min · 1 participant" in planner.subheading.text()
    assert planner.list.currentItem().text().endswith("1 person")
    add_participant(ctx.store, wid, "Ben Okafor")
    planner.refresh(select=wid)
    assert planner.subheading.text().endswith("2 participants")
    assert planner.list.currentItem().text().endswith("2 people")


def test_a_roster_of_one_is_one_participant() -> None:
    assert parse_roster(b"Name;E-mail\nAna;ana@example.com\n").summary() == "1 participant ready."
    assert parse_roster(b"Name\nAna\nBen\n").summary() == "2 participants ready."
