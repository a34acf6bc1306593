"""The period ranking shows each person's follow-through of their commitments."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.followup.checkins import log_check_in
from app.followup.commitments import take_commitment
from tests.ui.insights.test_page import _page, _scenario


def test_the_ranking_shows_check_ins_done_and_the_last_rating(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    cast, wid = _scenario(ctx, tmp_path)
    com = take_commitment(ctx.store, wid, cast.id("Q"), "open every meeting with a story")
    log_check_in(ctx.store, com.id, 8)
    page = _page(qtbot, ctx)
    with qtbot.waitSignal(page.period.sig_loaded, timeout=20000):
        page.mode_buttons[1].click()
    table = page.period.ranking
    rows = {table.text(r, 1): table.text(r, 6) for r in range(table.rowCount())}
    assert rows["Quinn Quiet"] == "1 of 2 · last 8/10"
    assert rows["Lou Loud"] == "—"
