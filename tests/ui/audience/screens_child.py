"""Run in a child process with its own screens (offscreen with a screen file, or Xvfb with
RandR monitors): opens the app as ``ripple live WORKSHOP --audience PROJ`` does and prints one
JSON object of observations per step. ``python -m tests.ui.audience.screens_child DB MODE``.

Hot-plug (MODE "hotplug") unplugs and re-plugs the projector with ``xrandr`` and records every
screen the audience window was on while visible, so the parent can assert that it never
showed on the laptop's screen.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel

from app.context import Ripple
from app.settings import Settings
from db.store import Store
from tests.helpers.room import Clock, sample
from ui.app import make_app
from ui.kit import theme


def pump_until(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Process events until ``cond`` holds (the child has no qtbot)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def names() -> list[str]:
    return [s.name() for s in QApplication.screens()]


def observe(window: Any, step: str, **more: Any) -> None:
    aw = window.audience.window
    visible = aw is not None and aw.isVisible()
    out = {
        "step": step,
        "screens": names(),
        "console_screen": window.screen().name(),
        "visible": visible,
        "screen": aw.screen().name() if visible else None,
        "fullscreen": bool(visible and aw.isFullScreen()),
        "geometry": list(aw.geometry().getRect()) if visible else None,
        "title": aw.windowTitle() if aw is not None else "",
        "timer_height": aw.stage.timer.sizeHint().height() if visible else 0,
        "status": window.console.room_menu.text(),
        "banner": window.banner.text(),
        "labels": sorted({w.text() for w in aw.findChildren(QLabel) if w.text()}) if aw is not None else [],
    } | more
    print(json.dumps(out), flush=True)


def main(db: str, mode: str) -> int:
    app = make_app()
    store = Store.open(db)
    wid: uuid.UUID = sample(store, Clock(datetime.now(UTC))).workshop
    ctx = Ripple(store, Settings(facilitator="Marta Ruiz"))
    theme.apply(app, "dark")
    from ui.shell.window import MainWindow

    target = "PROJ" if mode != "offer" else None
    window = MainWindow(ctx, live=wid, audience=target)
    window.resize(1200, 700)
    window.move(10, 10)
    window.show()
    seen: list[tuple[str, bool]] = []
    audience = window.audience
    pump_until(lambda: audience.showing or mode == "offer", 5)
    if audience.window is not None and audience.window.windowHandle() is not None:
        aw = audience.window
        aw.windowHandle().screenChanged.connect(lambda s: seen.append((s.name() if s else "", aw.isVisible())))
    observe(window, "opened")
    if mode == "two":
        window.console.room_menu.ask("screen", "window")
        pump_until(lambda: not audience.window.isFullScreen())  # type: ignore[union-attr]
        observe(window, "window")
        window.console.room_menu.ask("screen", "none")
        pump_until(lambda: not audience.showing)
        observe(window, "none")
        window.console.room_menu.ask("screen", "HDMI-9")
        pump_until(lambda: not audience.showing)
        observe(window, "absent")
        window.console.room_menu.ask("screen", "LAPTOP")  # the console's own screen
        pump_until(lambda: audience.showing)
        observe(window, "console's screen")
        window.console.room_menu.ask("screen", "PROJ")
        pump_until(lambda: audience.showing and audience.window.isFullScreen())  # type: ignore[union-attr]
        observe(window, "back")
        window.console.room_menu.ask("swap")
        pump_until(lambda: window.screen().name() == "PROJ" and audience.window.screen().name() == "LAPTOP")  # type: ignore[union-attr]
        observe(window, "swapped", remembered=ctx.settings.audience_screen)
    elif mode in ("hotplug", "offer"):
        if mode == "offer":
            subprocess.run(["xrandr", "--delmonitor", "PROJ"], check=True)
            pump_until(lambda: "PROJ" not in names())
            window.banner.hide()
            observe(window, "laptop only")
        else:
            subprocess.run(["xrandr", "--delmonitor", "PROJ"], check=True)
            pump_until(lambda: "PROJ" not in names() and not audience.showing)
            for _ in range(20):  # let Qt do whatever it does with a window whose screen left
                QApplication.processEvents()
                time.sleep(0.02)
            observe(window, "unplugged", seen=seen)
        subprocess.run(["xrandr", "--setmonitor", "PROJ", "1280/300x720/170+1366+0", "none"], check=True)
        pump_until(lambda: "PROJ" in names() and (audience.showing or bool(window.banner.text())))
        observe(window, "replugged", seen=seen)
        if mode == "offer":
            window.banner.action_button.click()
            pump_until(lambda: audience.showing)
            observe(window, "accepted", remembered=ctx.settings.audience_screen)
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
