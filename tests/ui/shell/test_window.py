"""The main window builds a screen the first time it is shown, and start-up loads none of
the heavy libraries the other screens need (bench/startup.py measures what that buys)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.context import Ripple
from ui.shell.window import RAIL, MainWindow

ROOT = Path(__file__).resolve().parents[3]

HEAVY = ("pyqtgraph", "numpy", "networkx", "av", "cv2", "reportlab", "openpyxl", "PySide6.QtMultimedia")

START = """
import json, sys
from ui.app import make_app
from app.context import Ripple
from ui.shell.window import MainWindow
app = make_app()
ctx = Ripple.open(sys.argv[1])
window = MainWindow(ctx)
window.show()
app.processEvents()
print(json.dumps({"built": sorted(window.built), "loaded": sorted(m for m in sys.modules)}))
window.close()
ctx.close()
"""


def test_start_up_builds_the_planner_and_settings_and_loads_nothing_heavy(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "RIPPLE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", START, f"sqlite:///{tmp_path / 'start.db'}"], env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["built"] == ["plan", "settings"]
    loaded = set(seen["loaded"])
    assert [m for m in HEAVY if m in loaded] == []
    assert not any(m.startswith(("ui.insights", "ui.clips", "ui.live")) for m in loaded)


def test_every_page_is_built_once_when_first_shown(qtbot: QtBot, ctx: Ripple) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.buttons["live"].setEnabled(True)
    for key, *_ in RAIL:
        window.show_page(key)
        page = window.pages.currentWidget()
        assert page is window.built[key] and page.property("page_key") == key
    assert sorted(window.built) == sorted(key for key, *_ in RAIL)
    window.show_page("gallery")
    assert window.pages.count() == len(RAIL)  # shown again: the same page, not a new one
    assert window.gallery is window.built["gallery"]
    window.close()


def test_a_lazily_built_page_still_talks_to_the_banner(qtbot: QtBot, ctx: Ripple) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_page("insights")
    window.insights.sig_error.emit("The analysis could not be read.")
    assert window.banner.text() == "The analysis could not be read."
    window.close()
