"""``ripple live WORKSHOP [--audience …]``: bad input is one sentence and no window; a good
one opens the app in that workshop's console with the room where asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import main
from db.store import Store
from tests.helpers.room import Clock, sample

ROOT = Path(__file__).resolve().parents[3]

# The window is shown first and filled once its store is open (ui/shell/opening.py): look then.
CHILD = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from ui.app import make_app
app = make_app()
def look(main):
    tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    print(json.dumps({"titles": sorted(w.windowTitle() for w in tops),
                      "item": main.console.item_title.text(),
                      "page": main.pages.currentWidget() is main.console,
                      "room": main.console.room_menu.text()}), flush=True)
    app.quit()
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and type(obj).__name__ == "MainWindow":
            app.removeEventFilter(self)
            obj.sig_ready.connect(lambda: QTimer.singleShot(0, lambda: look(obj)))
        return False
watch = Watch()
app.installEventFilter(watch)
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    store = Store.open(url)
    s = sample(store, Clock(datetime.now(UTC)))
    s.live.next()  # running, on its second item: `ripple live` resumes it there
    store.close()
    return url


def test_unknown_workshop_is_one_sentence(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "live", "No such workshop"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ripple: ") and err.count("\n") == 1


def test_empty_audience_is_refused(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "live", "Customer Calls Sprint", "--audience", " "]) == 1
    assert "--audience needs a screen's name" in capsys.readouterr().err


def test_a_missing_store_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.db"
    assert main(["--db", f"sqlite:///{missing}", "live", "x"]) == 1
    assert not missing.exists() and "no Ripple store" in capsys.readouterr().err


def test_opens_the_console_of_that_workshop_with_the_room(db: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "RIPPLE_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", CHILD, "--db", db, "live", "customer calls sprint",
                           "--audience", "window"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))
    assert seen["page"] and seen["item"] == "The angry customer"  # resumed where it was
    assert "Ripple audience — Customer Calls Sprint" in seen["titles"]
    assert "Room sees: a window" in seen["room"]
