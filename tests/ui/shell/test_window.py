"""The main window is shown before the store is opened, builds a screen the first time it is
shown, and start-up loads none of the heavy libraries the other screens need
(bench/startup.py measures what that buys)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.settings import Settings
from ui.shell.opening import CANNOT_OPEN, OPENING
from ui.shell.window import RAIL, MainWindow

ROOT = Path(__file__).resolve().parents[3]

HEAVY = ("pyqtgraph", "numpy", "networkx", "av", "cv2", "reportlab", "openpyxl", "PySide6.QtMultimedia")
#: The store's side: loaded on a worker once the window is on screen, never before.
STORE = ("sqlalchemy", "alembic", "db.models", "db.store")

# `ripple --db URL` as a trainer starts it (app.cli.main, the desktop entry point, ui.app.run),
# watched from inside: what is loaded when the main window is first shown, and what the
# window holds once its store is open (or could not be opened).
START = """
import json, sys
from PySide6.QtCore import QEvent, QObject
from ui.app import make_app

app = make_app()
seen = {}


def report(window, what):
    seen[what] = {"built": sorted(window.built), "loaded": sorted(sys.modules),
                  "heading": window.opening.heading.text() if "plan" not in window.built else None,
                  "detail": window.opening.detail.text() if "plan" not in window.built else None,
                  "enabled": sorted(k for k, b in window.buttons.items() if b.isEnabled())}
    if what != "shown":
        window.close()


class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and type(obj).__name__ == "MainWindow" and "shown" not in seen:
            report(obj, "shown")
            obj.sig_ready.connect(lambda: report(obj, "ready"))
            obj.sig_store_failed.connect(lambda _sentence: report(obj, "failed"))
        return False


watch = Watch()
app.installEventFilter(watch)
from app.cli import main

seen["code"] = main(["--db", sys.argv[1]])
print(json.dumps(seen))
"""


def start(tmp_path: Path, url: str) -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "RIPPLE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", START, url], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_the_window_is_shown_before_the_store_is_loaded_and_start_up_builds_little(tmp_path: Path) -> None:
    seen, _ = start(tmp_path, f"sqlite:///{tmp_path / 'start.db'}")
    shown = seen["shown"]
    assert shown["built"] == [] and shown["heading"] == OPENING and shown["enabled"] == []
    assert [m for m in STORE + HEAVY if m in shown["loaded"]] == []
    ready = seen["ready"]
    assert ready["built"] == ["plan", "settings"]
    assert ready["enabled"] == sorted(key for key, *_ in RAIL)  # Live too: with none open it offers a pick
    loaded = set(ready["loaded"])
    assert "sqlalchemy" in loaded  # the store was opened, after the window was shown
    assert [m for m in HEAVY if m in loaded] == []
    assert not any(m.startswith(("ui.insights", "ui.clips", "ui.live")) for m in loaded)
    assert seen["code"] == 0


def test_a_store_that_cannot_be_opened_says_why_in_the_window(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"these are my notes, not a database\n" * 200)
    seen, stderr = start(tmp_path, f"sqlite:///{bad}")
    failed = seen["failed"]
    assert failed["heading"] == CANNOT_OPEN
    assert failed["detail"].endswith("is not a Ripple store (it is not a SQLite database).")
    assert failed["enabled"] == [] and failed["built"] == []
    assert f"ripple: {failed['detail']}" in stderr
    assert seen["code"] == 1
    assert bad.read_bytes().startswith(b"these are my notes")  # nothing changed


def test_a_window_opened_without_a_store_fills_itself_off_the_ui_thread(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.is_open and window.pages.currentWidget() is window.opening
    with qtbot.waitSignal(window.sig_ready, timeout=60000):
        window.show()
        window.open_store(None, Settings())
    assert window.is_open and window.pages.currentWidget() is window.planner
    assert window.opening not in [window.pages.widget(i) for i in range(window.pages.count())]
    window.close()


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
