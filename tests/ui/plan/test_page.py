"""The planner, driven as a trainer would; the store is checked after."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop, load_plan
from tests.helpers.planner import shown_planner


def test_new_from_template_then_edit_details(qtbot: QtBot, ctx: Ripple) -> None:
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop("top-tip-tuesday")
    assert planner.plan is not None and planner.plan.title == "Top Tip Tuesday"
    assert planner.plan.facilitator == "Marta Ruiz"
    planner.details.title_edit.setText("Top Tip Tuesday: pricing")
    planner.details.title_edit.editingFinished.emit()
    assert load_plan(ctx.store, planner.plan.id).title == "Top Tip Tuesday: pricing"
    assert "Top Tip Tuesday: pricing" in planner.list.currentItem().text()


def test_the_workshop_line_reads_on_one_line_on_a_small_laptop(qtbot: QtBot, ctx: Ripple) -> None:
    """Beside Duplicate, Delete and Run live, "8 agenda items, 134 min" broke as "134 / min"
    in the 1256 px window of a 1366x768 laptop: the line now has the editor's whole width."""
    planner = shown_planner(qtbot, ctx)
    planner.resize(1256 - 90, 690)  # the window less the navigation rail
    planner.new_workshop("top-tip-tuesday")
    assert planner.plan is not None
    planner.load(planner.plan.id)
    qtbot.waitUntil(lambda: planner.subheading.width() > 0)
    line = planner.subheading
    assert line.fontMetrics().horizontalAdvance(line.text()) <= line.contentsRect().width(), line.text()
    assert line.geometry().top() >= planner.run_button.geometry().bottom()


def test_agenda_add_edit_and_groups(qtbot: QtBot, ctx: Ripple) -> None:
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    assert planner.plan is not None
    wid = planner.plan.id
    for name in ("Ana", "Ben", "Chloé", "Dan", "Eve"):
        add_participant(ctx.store, wid, name)
    planner.agenda.add("role_play")
    planner.agenda.minutes.setValue(25)
    planner.agenda.minutes.editingFinished.emit()
    planner.agenda.group_count.setValue(2)
    planner.agenda.random_groups()
    item = load_plan(ctx.store, wid).agenda[0]
    assert item.kind == "role_play" and item.minutes == 25
    assert sorted(len(g.members) for g in item.groups) == [2, 3]


def test_participants_typed_imported_and_consent(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    assert planner.plan is not None
    wid = planner.plan.id
    tab = planner.people
    tab.name.setText("Constanza García")  # QTest cannot type non-ASCII keys
    qtbot.keyClicks(tab.email, "constanza@example.es")
    qtbot.keyClick(tab.name, Qt.Key.Key_Return)
    roster = tmp_path / "roster.csv"
    roster.write_bytes("\ufeffNombre;Correo\nJosé Núñez;jose@example.es\nJosé Núñez;jose@example.es\n".encode())
    with qtbot.waitSignal(tab.sig_imported, timeout=30000) as done:
        assert tab.import_file(roster, confirm=False)
    assert done.args == [1]
    plan = load_plan(ctx.store, wid)
    assert [p.name for p in plan.participants] == ["Constanza García", "José Núñez"]
    assert tab.table.rowCount() == 2
    video = tab.table.item(0, 3)
    video.setCheckState(Qt.CheckState.Checked)
    person = load_plan(ctx.store, wid).participants[0]
    assert person.consent.video and person.consent.by == "Marta Ruiz" and person.consent.at is not None


def test_bad_input_becomes_a_banner_message(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    planner = shown_planner(qtbot, ctx)
    planner.new_workshop(None)
    messages: list[str] = []
    planner.sig_error.connect(messages.append)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01binary")
    with qtbot.waitSignal(planner.people.sig_imported, timeout=30000) as done:
        assert planner.people.import_file(bad, confirm=False)
    assert done.args == [0]
    qtbot.keyClicks(planner.people.name, "Ana")
    qtbot.keyClicks(planner.people.email, "not an email")
    qtbot.keyClick(planner.people.name, Qt.Key.Key_Return)
    assert any("not a CSV" in m for m in messages)
    assert any("not an e-mail" in m for m in messages)
    assert planner.plan is not None and load_plan(ctx.store, planner.plan.id).participants == ()


def test_withdrawn_video_consent_offers_to_delete_clips(qtbot: QtBot, ctx: Ripple) -> None:
    from app.clips.catalogue import hidden_clips_of, list_clips
    from app.clips.recording import Recording
    from media.camera.synthetic import SyntheticCamera
    from ui.shell.window import MainWindow

    wid = create_workshop(ctx.store, "Consent")
    pid = add_participant(ctx.store, wid, "Ana Pereira")
    set_consent(ctx.store, pid, video=True, community=False, analytics=True, by="Marta")
    take = Recording(ctx.store, ctx.clips, wid, pid, None, camera=SyntheticCamera(320, 240, realtime=False),
                       audio=None, max_seconds=0.5)
    take.start()
    take.recorder.wait(60)
    view = take.keep()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.planner.refresh(select=wid)
    window.planner.people.table.item(0, 3).setCheckState(Qt.CheckState.Unchecked)
    assert "withdrew video consent" in window.banner.text()
    assert list_clips(ctx.store, wid) == []
    window.banner.action_button.click()
    assert not ctx.clips.exists(view.sha256)
    assert hidden_clips_of(ctx.store, pid) == []
    window.booth.shutdown()
