"""Screenshots of the Insights page, the live panel and the Export dialog, from a demo store.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/insights_screenshots.py [OUT_DIR] [WIDTHxHEIGHT]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("RIPPLE_HOME", tempfile.mkdtemp(prefix="ripple-insight-shots-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    size = sys.argv[2] if len(sys.argv) > 2 else "1366x768"
    w, h = (int(x) for x in size.split("x"))
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication

    from app.context import Ripple
    from app.demo import build_demo
    from app.live import LiveWorkshop
    from app.planning.workshops import list_workshops
    from ui.app import make_app
    from ui.insights.export_dialog import ExportDialog
    from ui.kit import theme
    from ui.live.panel import LivePanel
    from ui.shell.window import MainWindow
    from ui.tasks import wait_for_all

    app = make_app()
    ctx = Ripple.open(None)
    build_demo(ctx.store, clips=False)
    theme.apply(app, os.environ.get("RIPPLE_THEME", "light"))

    def settle(rounds: int = 30) -> None:
        for _ in range(rounds):
            wait_for_all(200)
            app.processEvents()
            time.sleep(0.02)

    win = MainWindow(ctx)
    win.resize(w, h)
    win.show()
    win.show_page("insights")
    settle(60)
    page = win.insights
    shots = {}
    for tab, name in enumerate(("timeline", "network", "participation")):
        page.workshop.tabs.setCurrentIndex(tab)
        settle(8)
        shots[f"insights-{name}"] = win.grab()
    page.set_mode(1)
    settle(60)
    shots["insights-across"] = win.grab()

    dialog = ExportDialog(ctx, teams=["Sales North", "Sales South"], parent=win)
    dialog.show()
    settle(5)
    shots["export-dialog"] = dialog.grab()
    dialog.close()

    upcoming = next(x for x in list_workshops(ctx.store) if x.status == "planned")
    live = LiveWorkshop(ctx.store, upcoming.id)
    live.start()
    people = [p.id for p in live.plan.participants]
    a = live.log(people[0])
    live.log(people[2], builds_on=a.id, kind="tip")
    live.log(people[3], builds_on=a.id)
    live.log(people[1], "prompted")
    live.log(people[4], kind="failure")
    live.log(people[1], "prompted")
    panel = LivePanel(ctx, delay_ms=10)
    panel.resize(330, 520)
    panel.show()
    panel.set_workshop(upcoming.id)
    settle(30)
    shots["live-panel"] = panel.grab()

    suffix = os.environ.get("SHOT_SUFFIX", "")
    for name, pix in shots.items():
        pix.save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")
    QApplication.closeAllWindows()
    settle(3)
    ctx.close()


if __name__ == "__main__":
    main()
