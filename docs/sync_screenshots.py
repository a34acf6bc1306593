"""Screenshots of Settings → Shared store and the sync status in the rail, from a demo store
synced with a shared SQLite file, then with the shared store out of reach.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/sync_screenshots.py [OUT_DIR] [WIDTHxHEIGHT]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("RIPPLE_HOME", tempfile.mkdtemp(prefix="ripple-sync-shots-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
    size = sys.argv[2] if len(sys.argv) > 2 else "1366x768"
    w, h = (int(x) for x in size.split("x"))
    out.mkdir(parents=True, exist_ok=True)
    from app.context import Ripple
    from app.demo import build_demo
    from app.planning.workshops import create_workshop
    from ui.app import make_app
    from ui.kit import theme
    from ui.shell.window import MainWindow
    from ui.tasks import wait_for_all

    app = make_app()
    ctx = Ripple.open(None)
    build_demo(ctx.store, workshops=3, clips=False)
    theme.apply(app, os.environ.get("RIPPLE_THEME", "light"))
    share = Path(tempfile.mkdtemp(prefix="ripple-share-"))
    ctx.sync.configure(f"sqlite:///{share / 'ripple.db'}", every_minutes=10)

    def settle(rounds: int = 30) -> None:
        for _ in range(rounds):
            wait_for_all(500)
            app.processEvents()
            time.sleep(0.02)

    win = MainWindow(ctx)
    win.resize(w, h)
    win.show()
    win.show_page("settings")
    page = win.sync_page
    page.load()
    page.controller.sync_now()
    settle(40)
    create_workshop(ctx.store, "Planned on the train")  # a few changes waiting
    page.controller.refresh_status()
    settle(10)
    win.grab().save(str(out / "settings-sync.png"))

    page.address.setText("postgresql+psycopg://trainer@127.0.0.1:9/ripple?sslmode=require")
    page.save()
    page.controller.sync_now()
    settle(40)
    win.grab().save(str(out / "settings-sync-offline.png"))
    win.close()
    ctx.close()
    print(f"wrote {out / 'settings-sync.png'} and {out / 'settings-sync-offline.png'}")


if __name__ == "__main__":
    main()
