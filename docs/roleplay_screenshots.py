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
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("RIPPLE_HOME", tempfile.mkdtemp(prefix="ripple-shots-"))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    size = sys.argv[2] if len(sys.argv) > 2 else "1440x900"
    w, h = (int(x) for x in size.split("x"))
    out.mkdir(parents=True, exist_ok=True)
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPixmap
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from app.clips.recording import demo_clip_recorder
    from app.context import Ripple
    from app.demo import build_demo
    from app.planning.agenda import set_groups
    from app.planning.workshops import list_workshops
    from app.roleplay.listing import recorded_rounds
    from app.roleplay.rounds import rounds_of_item
    from ui.app import make_app
    from ui.kit import theme
    from ui.shell.window import MainWindow

    app = make_app()
    ctx = Ripple.open(None)
    ctx.settings.camera = "synthetic"
    build_demo(ctx.store, record_clip=demo_clip_recorder(ctx.store, ctx.clips))

    def pump(seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(widget: QWidget) -> QPixmap:
        widget.raise_()
        pump(0.3)
        if QApplication.platformName() == "xcb":  # from the screen: the video's own surface too
            g = widget.frameGeometry() if widget.isWindow() else widget.window().frameGeometry()
            return widget.screen().grabWindow(0, g.x(), g.y(), g.width(), g.height())
        return widget.grab()

    theme.apply(app, os.environ.get("RIPPLE_THEME", "light"))
    win = MainWindow(ctx)
    win.resize(w, h)
    win.move(0, 0)
    win.show()
    pump(0.5)
    shots: dict[str, QPixmap] = {}
    upcoming = next(x for x in list_workshops(ctx.store) if x.status == "planned")

    # the card editor, opened from the role-play item of the next workshop
    win.planner.refresh(select=upcoming.id)
    win.planner.tabs.setCurrentWidget(win.planner.agenda)
    plan = win.planner.plan
    assert plan is not None
    item = next(a for a in plan.agenda if a.kind == "role_play")
    triad = list(dict.fromkeys(c.participant_id for r in rounds_of_item(ctx.store, item.id).rounds for c in r.cast))
    rest = [p.id for p in plan.participants if p.id not in triad]
    set_groups(ctx.store, item.id, [triad, rest[:4], rest[4:8]])  # the triad and two groups of four
    win.planner.load(upcoming.id)
    win.planner.agenda.list.setCurrentRow([a.id for a in plan.agenda].index(item.id))
    editor = win.planner.agenda.edit_card()
    assert editor is not None
    editor.resize(min(w - 80, 1200), min(h - 60, 760))
    editor.move(40, 30)
    editor.roles.list.setCurrentRow(1)
    pump(0.4)
    shots["roleplay-card-editor"] = shot(editor)
    editor.tabs.setCurrentWidget(editor.rotation)
    pump(0.4)
    shots["roleplay-rotation"] = shot(editor)
    editor.rotation.store()  # "Use this rotation": every group gets its rounds
    editor.accept()

    # a round in the console: the play phase, recorded, markers dropped by key
    win.run_live(upcoming.id)
    assert win.console.live is not None
    win.console.live.go_to(item.id)
    panel = win.console.roleplay
    panel.start(0)
    panel.next_phase(0)
    panel.start(1)
    panel.now = lambda: datetime.now(UTC) + timedelta(minutes=3, seconds=12)  # well into the play phase
    panel.record(0)
    for key, mods in ((Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_7, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_2, Qt.KeyboardModifier.ShiftModifier)):
        pump(0.8)
        QTest.keyClick(win.console, key, mods)
    pump(0.8)
    shots["roleplay-console"] = shot(win)
    panel.stop_recording()
    while panel.recording_round is not None:
        pump(0.1)

    # the review of the demo's recorded round, on a marker
    rounds = recorded_rounds(ctx.store)
    past = next((r for r in rounds if r.workshop_id != upcoming.id), rounds[0])
    win.open_review(past.id)
    pump(1.0)
    win.review.step(forward=True)
    win.review.step(forward=True)
    win.review.loop_button.setChecked(True)
    win.banner.hide()
    pump(0.8)
    shots["roleplay-review"] = shot(win)

    suffix = os.environ.get("SHOT_SUFFIX", "")
    for name, pix in shots.items():
        pix.save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")
    panel.shutdown()
    win.review.shutdown()
    QApplication.closeAllWindows()


if __name__ == "__main__":
    main()
