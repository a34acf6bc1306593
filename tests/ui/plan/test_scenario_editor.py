"""The role-play card editor, opened from a role-play agenda item of the planner: a built-in
card saved, a bad card refused with one sentence and nothing written, a card copied from
another workshop, the rotation's sentence for the group's size, and a hand swap."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from app.roleplay.rounds import rounds_of, start_round
from app.roleplay.scenarios import OBSERVER_ROLE, load_scenario, scenario_of_item
from app.roleplay.views import Role
from tests.helpers.portable import max_seq
from tests.helpers.roleplay import triad
from ui.plan.page import Planner
from ui.plan.scenario_editor import ScenarioEditor


def _editor(qtbot: QtBot, ctx: Ripple, wid: uuid.UUID, item: uuid.UUID) -> ScenarioEditor:
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.resize(1366, 768)
    planner.show()
    planner.load(wid)
    planner.tabs.setCurrentWidget(planner.agenda)
    rows = [planner.agenda.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(planner.agenda.list.count())]
    planner.agenda.list.setCurrentRow(rows.index(item))
    assert planner.agenda.card_button.isVisible()
    qtbot.mouseClick(planner.agenda.card_button, Qt.MouseButton.LeftButton)
    editor = planner.agenda.card_editor
    assert editor is not None and editor.isVisible()
    return editor


def _workshop(ctx: Ripple, people: int) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    wid = create_workshop(ctx.store, "Service lab")
    add_agenda_item(ctx.store, wid, "challenge", "Warm-up", minutes=10)
    item = add_agenda_item(ctx.store, wid, "role_play", "Angry caller", minutes=30)
    ids = [add_participant(ctx.store, wid, f"Person {i + 1}") for i in range(people)]
    return wid, item, ids


def test_only_role_play_items_have_a_card(qtbot: QtBot, ctx: Ripple) -> None:
    wid, _item, _ids = _workshop(ctx, 3)
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.show()
    planner.load(wid)
    planner.tabs.setCurrentWidget(planner.agenda)
    planner.agenda.list.setCurrentRow(0)
    assert not planner.agenda.card_button.isVisible()
    planner.agenda.list.setCurrentRow(1)
    assert planner.agenda.card_button.isVisible()


def test_a_built_in_card_is_saved_and_a_bad_one_refused(qtbot: QtBot, ctx: Ripple) -> None:
    wid, item, _ids = _workshop(ctx, 3)
    editor = _editor(qtbot, ctx, wid, item)
    editor.card_box.setCurrentIndex(editor.card_box.findData("difficult-customer-call"))
    editor.use_card("difficult-customer-call")
    assert scenario_of_item(ctx.store, item) is None  # nothing written before "Save card"
    assert [r.key for r in editor.roles.roles] == ["agent", "customer", "observer"]
    assert editor.rubric_tab.phases.rowCount() == 3 and editor.rubric_tab.rubric.rowCount() == 10
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = scenario_of_item(ctx.store, item)
    assert saved is not None and saved.title == "A difficult customer call"
    assert [p.minutes for p in saved.phases] == [3, 6, 4]
    assert {c.channel for c in saved.rubric} == {"verbal", "non_verbal"}

    # the customer's private brief edited in the form; the others kept
    editor.roles.list.setCurrentRow(1)
    editor.roles.brief.setPlainText("Stay angry until you hear a date.")
    editor.title_edit.setText("Angry caller, Friday 4 pm")
    assert editor.save()
    again = load_scenario(ctx.store, saved.id)
    assert again.title == "Angry caller, Friday 4 pm" and again.role("customer") == Role(
        "customer", "Customer", saved.role("customer").public, "Stay angry until you hear a date.")  # type: ignore[union-attr]
    assert again.role("agent") == saved.role("agent")

    before = max_seq(ctx.store)
    for spoil, words in (
        (lambda: editor.roles.set_roles([r for r in again.roles if r.key != "agent"]), "two acting roles"),
        (lambda: editor.title_edit.setText("  "), "title is empty"),
        (lambda: editor.rubric_tab.add_criterion(), None),
    ):
        editor.fill(again.title, again.situation, again.roles, again.phases, again.rubric)
        spoil()
        if words is None:  # a criterion with an id twice
            editor.rubric_tab.rubric.item(10, 0).setText("pace")
            words = "Two criteria"
        assert not editor.save()
        assert words in editor.problem.text()
    assert max_seq(ctx.store) == before and load_scenario(ctx.store, saved.id) == again


def test_a_card_is_copied_from_another_workshop(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    wid, item, _ids = _workshop(ctx, 3)
    editor = _editor(qtbot, ctx, wid, item)
    assert editor.copy_box.count() == 1 and "Objections lab" in editor.copy_box.itemText(0)
    editor.copy_selected()
    assert editor.save()
    copied = scenario_of_item(ctx.store, item)
    original = load_scenario(ctx.store, t.scenario)
    assert copied is not None and copied.id != original.id
    assert (copied.title, copied.roles, copied.rubric) == (original.title, original.roles, original.rubric)


def test_the_rotation_says_what_it_did_and_swaps_by_hand(qtbot: QtBot, ctx: Ripple) -> None:
    wid, item, ids = _workshop(ctx, 6)
    set_groups(ctx.store, item, [ids[:4], ids[4:]])
    editor = _editor(qtbot, ctx, wid, item)
    editor.tabs.setCurrentWidget(editor.rotation)
    assert "Save the card first" in editor.rotation.status.text()
    assert editor.save()
    rotation = editor.rotation
    assert "second observer" in rotation.notes[0].text()
    assert "swap Seller and Customer" in rotation.notes[1].text()
    assert rotation.tables[0].rowCount() == 4 and rotation.tables[1].rowCount() == 2
    assert rounds_of(ctx.store, editor.scenario.id) == []  # type: ignore[union-attr]
    qtbot.mouseClick(rotation.store_button, Qt.MouseButton.LeftButton)
    stored = rounds_of(ctx.store, editor.scenario.id)  # type: ignore[union-attr]
    assert len(stored) == 6 and rotation.store_button.text() == "Plan again"

    rotation.swap_group.setCurrentIndex(rotation.swap_group.findData(0))
    a, b = rotation.swap_a.currentData(), rotation.swap_b.currentData()
    before = {r.number: (r.role_of(a), r.role_of(b)) for r in stored if r.group == 0}
    qtbot.mouseClick(rotation.swap_button, Qt.MouseButton.LeftButton)
    after = {r.number: (r.role_of(b), r.role_of(a)) for r in rounds_of(ctx.store, editor.scenario.id)  # type: ignore[union-attr]
             if r.group == 0}
    assert after == before
    rotation.swap_b.setCurrentIndex(rotation.swap_a.currentIndex())
    qtbot.mouseClick(rotation.swap_button, Qt.MouseButton.LeftButton)
    assert "two different people" in editor.problem.text()


def test_a_latecomer_gets_turns_without_redoing_a_played_round(qtbot: QtBot, ctx: Ripple) -> None:
    t = triad(ctx.store)
    first = start_round(ctx.store, t.rounds[0].id)
    late = add_participant(ctx.store, t.workshop, "Dev Patel")
    set_groups(ctx.store, t.item, [[*t.people, late]])
    editor = _editor(qtbot, ctx, t.workshop, t.item)
    editor.tabs.setCurrentWidget(editor.rotation)
    assert "cast 3 of the group's 4 people" in editor.rotation.notes[0].text()
    qtbot.mouseClick(editor.rotation.store_button, Qt.MouseButton.LeftButton)
    after = rounds_of(ctx.store, t.scenario)
    assert after[0].cast == first.cast and after[0].started
    assert {"seller", "customer"} <= {r.role_of(late) for r in after[1:]}
    for p in t.people:  # the played round counts: nobody gets a role twice
        roles = [r.role_of(p) for r in after if r.role_of(p) not in (None, OBSERVER_ROLE)]
        assert len(roles) == len(set(roles))
    assert editor.rotation.tables[0].item(0, 4).text() == "playing"
