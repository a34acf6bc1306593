"""Settings → Privacy: the retention periods are saved, previewed and applied off the UI thread."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import settings as settings_mod
from app.context import Ripple
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.models import Clip
from tests.helpers.sync import add_clip_file
from ui.settings.page import SyncSettingsPage
from ui.tasks import wait_for_all


@pytest.fixture
def page(qtbot: QtBot, ctx: Ripple) -> Iterator[SyncSettingsPage]:
    p = SyncSettingsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    yield p
    p.controller.stop()
    wait_for_all()


def test_retention_is_saved_previewed_and_applied(qtbot: QtBot, page: SyncSettingsPage, ctx: Ripple) -> None:
    card = page.privacy
    assert card.clips.value() == 0 and card.clips.text() == "keep for ever"  # off by default
    wid = create_workshop(ctx.store, "Long ago", started_at=datetime.now(UTC) - timedelta(days=400))
    pid = add_participant(ctx.store, wid, "Ana")
    sha = add_clip_file(ctx.clips.root, b"an old clip")
    with ctx.store.write() as s:
        s.add(Clip(workshop_id=wid, participant_id=pid, at=datetime.now(UTC) - timedelta(days=400),
                   seconds=20, sha256=sha, title="Old"))

    card.clips.setValue(6)
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert settings_mod.load().retain_clips_months == 6
    assert "clips for 6 months" in card.result.text()

    qtbot.mouseClick(card.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Would remove 1 clip," in card.result.text())
    assert card.apply_button.isEnabled()
    with ctx.store.read() as s:
        assert len(list(s.scalars(select(Clip)))) == 1  # a preview changes nothing

    card.apply_now()
    qtbot.waitUntil(lambda: card.result.text().startswith("Removed 1 clip,"))
    with ctx.store.read() as s:
        assert not list(s.scalars(select(Clip)))
    assert not ctx.clips.exists(sha) and not card.apply_button.isEnabled()
