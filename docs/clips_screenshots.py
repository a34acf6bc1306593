"""Show the booth or the gallery of a demo store in one state, for ``/work/shared/tools/screenshot``.

    SIZE=1366x768 screenshot docs/booth.png 25 .venv/bin/python docs/clips_screenshots.py recording
    states: recording (REC, clock), no-camera (a laptop without one), review, gallery, gallery-person

The window stays open (the screenshot tool ends it); the store lives in a temporary RIPPLE_HOME.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("RIPPLE_HOME", tempfile.mkdtemp(prefix="ripple-shots-"))


def main() -> None:
    state = sys.argv[1] if len(sys.argv) > 1 else "recording"
    from app.clips.recording import demo_clip_recorder
    from app.context import Ripple
    from app.demo import build_demo
    from app.planning.workshops import list_workshops
    from ui.app import make_app
    from ui.kit import theme
    from ui.shell.window import MainWindow

    app = make_app()
    ctx = Ripple.open(None)
    ctx.settings.camera = "" if state == "no-camera" else "synthetic"
    ctx.settings.microphone = ""
    build_demo(ctx.store, record_clip=demo_clip_recorder(ctx.store, ctx.clips))

    def pump(seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    theme.apply(app, os.environ.get("RIPPLE_THEME", "light"))
    win = MainWindow(ctx)
    # WINDOW: the window's size in logical pixels where it differs from the screen's (at 200 %:
    # QT_SCALE_FACTOR=2 SIZE=2732x1536 WINDOW=1366x768)
    w, h = (int(x) for x in os.environ.get("WINDOW", os.environ.get("SIZE", "1366x768")).split("x"))
    win.setGeometry(0, 0, w, h)
    win.show()
    pump(0.5)
    if state.startswith("gallery"):
        win.show_page("gallery")
        pump(1.0)
        if state == "gallery-person":
            box = win.gallery.reactor_box
            owner = win.gallery.current.owner if win.gallery.current else ""
            box.setCurrentIndex(next(i for i in range(1, box.count()) if box.itemText(i) != owner))
            win.gallery.react("inspired")
    else:
        wid = next(x for x in list_workshops(ctx.store) if x.status == "planned").id
        win.show_page("booth")
        win.booth.open_workshop(wid)
        pump(1.5)
        person = next(p.id for p in win.booth.plan.participants if p.consent.video)  # type: ignore[union-attr]
        win.booth.choose(person)
        pump(1.5)
        if state in ("recording", "review"):
            win.booth.start_recording()
            pump(4.3)
        if state == "review":
            win.booth.stop_recording()
    app.exec()


if __name__ == "__main__":
    main()
