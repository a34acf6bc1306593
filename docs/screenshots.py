"""Regenerate the screenshots in docs/ from a demo store, offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py [OUT_DIR] [WIDTHxHEIGHT]

The README's are 1366x768 (a small laptop); RIPPLE_THEME=dark SHOT_SUFFIX=-dark for the dark
ones, QT_SCALE_FACTOR=2 SHOT_SUFFIX=-200 for 200 %.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("RIPPLE_HOME", tempfile.mkdtemp(prefix="ripple-shots-"))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    size = sys.argv[2] if len(sys.argv) > 2 else "1440x900"
    w, h = (int(x) for x in size.split("x"))
    out.mkdir(parents=True, exist_ok=True)
    import time

    from PySide6.QtWidgets import QApplication

    from app.clips.recording import demo_clip_recorder
    from app.context import Ripple
    from app.demo import build_demo
    from app.live import LiveWorkshop
    from app.planning.workshops import list_workshops
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

    theme.apply(app, os.environ.get("RIPPLE_THEME", "light"))
    win = MainWindow(ctx)
    win.resize(w, h)
    win.show()
    for _ in range(5):
        app.processEvents()
    upcoming = next(x for x in list_workshops(ctx.store) if x.status == "planned")
    win.planner.refresh(select=upcoming.id)
    shots = {}
    for tab, name in ((1, "agenda"), (2, "participants")):
        win.planner.tabs.setCurrentIndex(tab)
        app.processEvents()
        shots[f"planner-{name}"] = win.grab()
    live = LiveWorkshop(ctx.store, upcoming.id)
    live.start()
    people = [p.id for p in live.plan.participants]
    a = live.log(people[0])
    live.log(people[2], builds_on=a.id, kind="tip")
    live.log(people[1], "prompted")
    live.log(people[4], kind="failure")
    live.log(people[0], kind="question")
    win.run_live(upcoming.id)
    for _ in range(10):
        app.processEvents()
    shots["console"] = win.grab()
    win.show_page("gallery")
    pump(1.0)
    shots["gallery"] = win.grab()
    win.show_page("booth")
    win.booth.open_workshop(upcoming.id)
    person = next(p.id for p in win.booth.plan.participants if p.consent.video)  # type: ignore[union-attr]
    win.booth.choose(person)
    pump(1.0)
    win.booth.start_recording()
    pump(2.5)
    shots["booth"] = win.grab()
    win.booth.shutdown()
    win.show_page("settings")
    pump(0.5)
    shots["settings-preferences"] = win.grab()
    suffix = os.environ.get("SHOT_SUFFIX", "")
    for name, pix in shots.items():
        pix.save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")
    QApplication.closeAllWindows()


if __name__ == "__main__":
    main()
