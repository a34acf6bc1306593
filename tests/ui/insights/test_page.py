"""The Insights page, the live panel and the Export dialog, driven offscreen."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.context import Ripple
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from db.models import ExportRecord
from tests.helpers.insights import Cast, Line, load_into, quiet_and_loud
from ui.insights.export_dialog import ExportDialog
from ui.insights.page import InsightsPage
from ui.live.panel import LivePanel
from ui.tasks import wait_for_all


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    wait_for_all(20000)


def _scenario(ctx: Ripple, tmp_path: Path) -> tuple[Cast, uuid.UUID]:
    cast = Cast().add("N", "Nora Private", analytics=False)
    extra: list[Line] = [(3000, "N", "spontaneous", "story", None, "n"), (3020, "A", "spontaneous", "tip", "n")]
    cast, d = quiet_and_loud(cast, extra)
    (wid,) = load_into(ctx.store, tmp_path, d)
    return cast, wid


def _page(qtbot: QtBot, ctx: Ripple) -> InsightsPage:
    page = InsightsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignal(page.workshop.sig_loaded, timeout=20000):
        page.show()
    return page


def _click_row(qtbot: QtBot, table: object, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))  # type: ignore[attr-defined]
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[attr-defined]


def test_dashboard_ranks_the_ripple_starter_and_shows_her_evidence(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    cast, _wid = _scenario(ctx, tmp_path)
    page = _page(qtbot, ctx)
    view = page.workshop
    table = view.ranking
    names = [table.text(r, 1) for r in range(table.rowCount())]
    assert names[0] == "Quinn Quiet" and "Lou Loud" in names and "Nora Private" not in names
    assert view.unranked.text() == "Not ranked: 1 person without analytics consent and 1 person who did not share."
    # the evidence panel opens on the top name, with the shares and who built on them
    assert view.evidence.person == cast.id("Q")
    text = view.evidence.toPlainText()
    assert "Quinn Quiet" in text and "built on by Ada Lovelace, Ben Okafor" in text
    assert "Shares that set others off (4)" in text
    # a click on Lou's row shows Lou's numbers instead
    _click_row(qtbot, table, names.index("Lou Loud"))
    assert view.evidence.person == cast.id("L")
    assert "0 spontaneous" not in view.evidence.toPlainText() and "12 prompted" in view.evidence.toPlainText()
    assert view.timeline.lanes and cast.id("L") in view.timeline.lanes


def test_clicking_a_timeline_lane_selects_that_person(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    cast, _wid = _scenario(ctx, tmp_path)
    page = _page(qtbot, ctx)
    timeline = page.workshop.timeline
    lane = timeline.lanes.index(cast.id("B"))
    vb = timeline.plotItem.vb
    scene = vb.mapViewToScene(QPointF(-0.5, lane))  # an empty spot at the start of Ben's lane
    pos = timeline.mapFromScene(scene)
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))
    assert page.workshop.evidence.person == cast.id("B")
    assert "Ben Okafor" in page.workshop.evidence.toPlainText()
    # Nora's lane exists (the trainer logged her) but she has no profile
    timeline.sig_person_clicked.emit(cast.id("N"))
    assert page.workshop.evidence.person is None
    assert "did not consent to analytics" in page.workshop.evidence.toPlainText()


def test_charts_draw_every_contribution_and_link(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    import pyqtgraph as pg

    _scenario(ctx, tmp_path)
    page = _page(qtbot, ctx)
    wi = page.workshop.insights
    assert wi is not None
    spots = [i for i in page.workshop.timeline.plotItem.items if isinstance(i, pg.ScatterPlotItem)]
    assert sum(len(s.data) for s in spots) == len(wi.points)
    bars = [i for i in page.workshop.equity.plotItem.items if isinstance(i, pg.BarGraphItem)]
    assert len(bars) == 2
    network = page.workshop.network
    assert network.drawn_edges == len(wi.network) > 0 and network.hidden_edges == 0
    lines = [i for i in network.plotItem.items if isinstance(i, pg.PlotDataItem)]
    drawn = sum(len(i.getData()[0]) for i in lines)
    assert drawn == 2 * len(wi.network) + 4 * len(wi.network)  # a line and a two-stroke head each
    assert any("prompts" in h for h in wi.equity.habits)


def test_across_workshops_shows_trend_and_candidate_evidence(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    cast, _wid = _scenario(ctx, tmp_path)
    page = _page(qtbot, ctx)
    with qtbot.waitSignal(page.period.sig_loaded, timeout=20000):
        page.mode_buttons[1].click()
    period = page.period
    table = period.ranking
    names = [table.text(r, 1) for r in range(table.rowCount())]
    assert "Quinn Quiet" in names and "Nora Private" not in names
    qtbot.waitUntil(lambda: period.evidence.person is not None, timeout=10000)
    _click_row(qtbot, table, names.index("Quinn Quiet"))
    qtbot.waitUntil(lambda: period.evidence.person == cast.id("Q"), timeout=10000)
    text = period.evidence.toPlainText()
    assert "influence index" in text and "Who they set off" in text
    import pyqtgraph as pg

    scatter = next(i for i in period.trend.plotItem.items if isinstance(i, pg.ScatterPlotItem))
    xs = list(scatter.getData()[0])
    assert xs == list(range(1, len(xs) + 1))  # numbered workshop by workshop, as the trend is per workshop
    assert period.trend.getAxis("bottom").labelText == "workshop"
    period.candidates_only.click()
    shown = [table.text(r, 1) for r in range(table.rowCount())]
    assert "Lou Loud" not in shown and "Quinn Quiet" in shown


def test_export_dialog_writes_the_file_and_records_it(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    _scenario(ctx, tmp_path)
    dialog = ExportDialog(ctx, teams=["Sales"])
    qtbot.addWidget(dialog)
    dialog.formats.button(2).setChecked(True)  # CSV
    out = tmp_path / "from-dialog.csv"
    dialog.path.setText(str(out))
    dialog.since_on.setChecked(False)
    with qtbot.waitSignal(dialog.sig_exported, timeout=20000) as sig:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Wrote" in sig.args[0]
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0]["participant"] == "Quinn Quiet"
    with ctx.store.read() as s:
        rec = s.scalars(select(ExportRecord)).one()
    assert rec.by == "Marta Ruiz" and rec.format == "csv"


def test_export_dialog_refuses_bad_input_in_one_sentence(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    _scenario(ctx, tmp_path)
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(tmp_path / "missing-folder" / "c.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible() and "does not exist" in dialog.message.text()
    dialog.path.setText(str(tmp_path / "c.pdf"))
    dialog.since_on.setChecked(True)
    dialog.until_on.setChecked(True)
    dialog.until.setDate(dialog.since.date().addDays(-3))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "after the end date" in dialog.message.text() and "--" not in dialog.message.text()
    dialog.path.setText("  ")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Choose a file" in dialog.message.text()  # the dialog's words, not the command's
    assert not (tmp_path / "c.pdf").exists()
    with ctx.store.read() as s:
        assert s.scalar(select(func.count()).select_from(ExportRecord)) == 0


def test_live_panel_follows_the_room(qtbot: QtBot, ctx: Ripple) -> None:
    wid = create_workshop(ctx.store, "Live one")
    add_agenda_item(ctx.store, wid, "challenge", "First", minutes=10)
    ana = add_participant(ctx.store, wid, "Ana Pereira", email="ana@example.com")
    ben = add_participant(ctx.store, wid, "Ben Okafor", email="ben@example.com")
    cy = add_participant(ctx.store, wid, "Cy Twombly", email="cy@example.com")
    for pid in (ana, ben, cy):
        set_consent(ctx.store, pid, video=False, community=False, analytics=True, by="Marta")
    live = LiveWorkshop(ctx.store, wid)
    live.start()
    panel = LivePanel(ctx, delay_ms=10)
    qtbot.addWidget(panel)
    panel.show()  # a hidden panel computes nothing until it is shown (test_console.py)
    with qtbot.waitSignal(panel.sig_updated, timeout=20000):
        panel.set_workshop(wid)
    assert panel.shares.value.text() == "0"
    assert "Ana Pereira" in panel.silent.text() and "Cy Twombly" in panel.silent.text()
    first = live.log(ana)
    live.log(ben, builds_on=first.id)
    live.log(cy, "prompted")
    with qtbot.waitSignal(panel.sig_updated, timeout=20000):
        for _ in range(5):  # many calls fold into one computation
            panel.refresh()
    assert panel.shares.value.text() == "3"
    assert panel.spontaneous.value.text() == "67%"
    assert "Ana Pereira" in panel.starters.text() and "set off" in panel.starters.text()
    assert panel.silent.text() == "Everyone has shared."
    assert "Cy Twombly" in panel.prompted_only.text()
    panel.set_workshop(None)
    assert panel.shares.value.text() == "–"


def test_charts_say_analysing_until_the_first_analysis_is_drawn(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    """Not bare axes from 0 to 1 with one time repeated (a trainer took it for a broken chart)."""
    import pyqtgraph as pg

    _cast, wid = _scenario(ctx, tmp_path)
    page = InsightsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignal(page.workshop.sig_loaded, timeout=20000):
        page.workshop.load(wid)  # the analysis runs in a task: its result is drawn only later
        texts = [i.toPlainText() for i in page.workshop.timeline.plotItem.items if isinstance(i, pg.TextItem)]
        assert texts == ["Analysing…"]
    assert page.workshop.timeline.lanes  # then the real chart
