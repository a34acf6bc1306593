"""The evidence panel adds a person's role-play record (rounds per role, rubric means) under
the influence evidence; someone who never played shows none."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.insights.workshop import workshop_insights
from app.live import LiveWorkshop
from tests.helpers.roleplay_played import played
from ui.insights.evidence import EvidencePanel
from ui.tasks import wait_for_all


def test_the_role_play_record_sits_beside_the_profile(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    p = played(ctx.store, tmp_path / "clips")
    live = LiveWorkshop(ctx.store, p.t.workshop)
    live.start()
    for pid in (p.seller, p.observer):
        live.log(pid, "spontaneous")
    wi = workshop_insights(ctx.store, p.t.workshop)
    panel = EvidencePanel(ctx=ctx)
    qtbot.addWidget(panel)
    panel.show_evidence(wi.evidence[p.seller])
    qtbot.waitUntil(lambda: panel.roleplay is not None, timeout=10000)
    text = " ".join(panel.toPlainText().split())
    assert "Role plays (not part of the index)" in text and "1 round: Seller ×1" in text
    assert "Eye contact 4.0" in text and "Next step 2.0" in text and "non-verbal 4.0 · verbal 2.0" in text
    panel.show_evidence(wi.evidence[p.observer])  # observed only, never rated: rounds, no scores
    qtbot.waitUntil(lambda: panel.roleplay is not None and panel.roleplay.participant_id == p.observer,
                    timeout=10000)
    text = " ".join(panel.toPlainText().split())
    assert "Observer ×1" in text and "Eye contact" not in text
    wait_for_all(10000)
