"""Regenerate the role-play screenshots in docs/ from a demo store: the card editor (card and
rotation), a round being recorded in the console, and the review of a marked round.

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/roleplay_screenshots.py [OUT_DIR] [WIDTHxHEIGHT]

Under X (xvfb) the window is captured from the screen, so the review's video shows; offscreen
(``QT_QPA_PLATFORM=offscreen``) everything but the video picture is drawn.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("RIPPLE_HOME", tempfile.mkdtemp(prefix="ripple-shots-"))


class Shots:
    """The demo store, the main window, and the pictures taken so far."""

    def __init__(self, w: int, h: int) -> None:
        from app.clips.recording import demo_clip_recorder
        from app.context import Ripple
        from app.demo import build_demo
        from app.planning.workshops import list_workshops
        from ui.app import make_app
        from ui.kit import theme
        from ui.shell.window import MainWindow

        self.w, self.h = w, h
        self.app = make_app()
        self.ctx = Ripple.open(None)
        self.ctx.settings.camera = "synthetic"
        build_demo(self.ctx.store, record_clip=demo_clip_recorder(self.ctx.store, self.ctx.clips))
        theme.apply(self.app, os.environ.get("RIPPLE_THEME", "light"))
        self.win = MainWindow(self.ctx)
        self.win.resize(w, h)
        self.win.move(0, 0)
        self.win.show()
        self.pump(0.5)
        self.upcoming = next(x for x in list_workshops(self.ctx.store) if x.status == "planned")
        self.pictures: dict[str, Any] = {}

    def pump(self, seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            self.app.processEvents()
            time.sleep(0.02)

    def take(self, name: str, widget: Any) -> None:
        from PySide6.QtWidgets import QApplication

        widget.raise_()
        self.pump(0.3)
        if QApplication.platformName() == "xcb":  # from the screen: the video's own surface too
            g = widget.frameGeometry() if widget.isWindow() else widget.window().frameGeometry()
            self.pictures[name] = widget.screen().grabWindow(0, g.x(), g.y(), g.width(), g.height())
        else:
            self.pictures[name] = widget.grab()

    def card_editor(self) -> Any:
        """The card editor of the next workshop's role play, its groups a triad and two fours."""
        from app.planning.agenda import set_groups
        from app.roleplay.rounds import rounds_of_item

        planner = self.win.planner
        planner.refresh(select=self.upcoming.id)
        planner.tabs.setCurrentWidget(planner.agenda)
        plan = planner.plan
        assert plan is not None
        item = next(a for a in plan.agenda if a.kind == "role_play")
        rounds = rounds_of_item(self.ctx.store, item.id).rounds
        triad = list(dict.fromkeys(c.participant_id for r in rounds for c in r.cast))
        rest = [p.id for p in plan.participants if p.id not in triad]
        set_groups(self.ctx.store, item.id, [triad, rest[:4], rest[4:8]])
        planner.load(self.upcoming.id)
        planner.agenda.list.setCurrentRow([a.id for a in plan.agenda].index(item.id))
        editor = planner.agenda.edit_card()
        assert editor is not None
        editor.resize(min(self.w - 80, 1200), min(self.h - 60, 760))
        editor.move(40, 30)
        editor.roles.list.setCurrentRow(1)
        self.take("roleplay-card-editor", editor)
        editor.tabs.setCurrentWidget(editor.rotation)
        self.take("roleplay-rotation", editor)
        editor.rotation.store()  # "Use this rotation": every group gets its rounds
        editor.accept()
        return item.id

    def console(self, item_id: Any) -> None:
        """Two groups running, the first recorded with three markers dropped by key."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.win.run_live(self.upcoming.id)
        assert self.win.console.live is not None
        self.win.console.live.go_to(item_id)
        panel = self.win.console.roleplay
        panel.start(0)
        panel.next_phase(0)
        panel.start(1)
        panel.now = lambda: datetime.now(UTC) + timedelta(minutes=3, seconds=12)  # well into the play phase
        panel.record(0)
        for key, mods in ((Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_7, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_2, Qt.KeyboardModifier.ShiftModifier)):
            self.pump(0.8)
            QTest.keyClick(self.win.console, key, mods)
        self.pump(0.8)
        self.take("roleplay-console", self.win)
        panel.stop_recording()
        while panel.recording_round is not None:
            self.pump(0.1)

    def review(self) -> None:
        """The demo's recorded round from an earlier workshop, on its second marker, looping."""
        from app.roleplay.listing import recorded_rounds

        rounds = recorded_rounds(self.ctx.store)
        past = next((r for r in rounds if r.workshop_id != self.upcoming.id), rounds[0])
        self.win.open_review(past.id)
        self.pump(1.0)
        self.win.review.step(forward=True)
        self.win.review.step(forward=True)
        self.win.review.loop_button.setChecked(True)
        self.win.banner.hide()
        self.take("roleplay-review", self.win)

    def save(self, out: Path) -> None:
        suffix = os.environ.get("SHOT_SUFFIX", "")
        for name, pix in self.pictures.items():
            pix.save(str(out / f"{name}{suffix}.png"))
            print(out / f"{name}{suffix}.png")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    size = sys.argv[2] if len(sys.argv) > 2 else "1440x900"
    w, h = (int(x) for x in size.split("x"))
    out.mkdir(parents=True, exist_ok=True)
    shots = Shots(w, h)
    item_id = shots.card_editor()
    shots.console(item_id)
    shots.review()
    shots.save(out)
    shots.win.console.roleplay.shutdown()
    shots.win.review.shutdown()
    from PySide6.QtWidgets import QApplication

    QApplication.closeAllWindows()


if __name__ == "__main__":
    main()
