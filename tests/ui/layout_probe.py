"""Run by test_layout_fits.py in a process of its own (QT_SCALE_FACTOR must be set before Qt
starts): opens every page of the main window at 1366x768 logical pixels with a full workshop
(16 people, 7 agenda items, live) and prints, as JSON, what does not fit."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path


def _scrolls_vertically(w: object) -> bool:
    """Whether ``w`` is inside a QScrollArea that scrolls up and down (a long Settings page)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea, QWidget

    parent = w.parentWidget() if isinstance(w, QWidget) else None
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            return True
        parent = parent.parentWidget()
    return False


def main(db: str) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

    from app.context import Ripple
    from app.followup.commitments import take_commitment
    from app.live import LiveWorkshop
    from app.planning.participants import add_participant
    from app.planning.templates import create_from_template
    from app.settings import Settings
    from db.store import Store
    from ui.app import make_app
    from ui.shell.window import MainWindow
    from ui.tasks import wait_for_all

    app = make_app()
    ctx = Ripple(Store.open(db), Settings(facilitator="Marta Ruiz", camera="synthetic"))
    # An earlier workshop of the team left commitments open: the console's head shows Check-ins too.
    earlier = create_from_template(ctx.store, "challenge-sprint", title="Sprint one", team="Sales",
                                   started_at=datetime.now().astimezone() - timedelta(days=8))
    wid = create_from_template(ctx.store, "challenge-sprint", team="Sales",
                               title="Challenge sprint: the objection that always comes back")
    for i in range(16):
        name, email = f"Participant Number{i:02d} Longname-Surname", f"p{i}@example.org"
        before = add_participant(ctx.store, earlier, name, email=email)
        add_participant(ctx.store, wid, name, email=email)
        take_commitment(ctx.store, earlier, before, "ask one open question in every call")
    live = LiveWorkshop(ctx.store, wid)
    live.start()
    live.log(live.plan.participants[0].id)

    win = MainWindow(ctx)
    win.resize(1366, 768)
    win.show()
    win.run_live(wid)
    problems: list[str] = []
    window = QRect(0, 0, 1366, 768)

    def settle() -> None:
        for _ in range(10):
            app.processEvents()

    for key in ("plan", "live", "booth", "gallery", "review", "insights", "settings"):
        win.show_page(key)
        settle()
        hint = win.minimumSizeHint()
        if hint.width() > 1366 or hint.height() > 768:
            problems.append(f"{key}: the window needs at least {hint.width()}x{hint.height()}")
        if (win.width(), win.height()) != (1366, 768):
            problems.append(f"{key}: the window grew to {win.width()}x{win.height()}")
        page = win.pages.currentWidget()
        assert page is not None
        # Every visible button and label of the page lies inside the window.
        for w in page.findChildren(QWidget):
            if not w.isVisible() or not isinstance(w, (QAbstractButton, QLabel)) or w.width() == 0:
                continue
            if w.window() is not win:
                continue
            top_left = w.mapTo(win, w.rect().topLeft())
            rect = QRect(top_left, w.size())
            if _scrolls_vertically(w):  # below the fold of a scrolling page: reachable, if not too wide
                rect.moveTop(0)
            if not window.contains(rect.center()):
                problems.append(f"{key}: {type(w).__name__} “{getattr(w, 'text', lambda: '')()[:30]}” is off screen")
        if key == "live":
            heading = win.console.heading  # the workshop's title, whole and uncut beside the buttons
            shown = heading.text()
            if "the objection that always comes back" not in shown or "…" in shown:
                problems.append(f"live: the title reads “{shown}”")
            if heading.fontMetrics().horizontalAdvance(shown) > heading.contentsRect().width():
                problems.append(f"live: the title “{shown[:30]}” is cut at {heading.contentsRect().width()} px")
            for tile in win.console.tiles.tiles.values():
                r = QRect(tile.mapTo(win, tile.rect().topLeft()), tile.size())
                if not window.contains(r):
                    problems.append(f"live: the tile of {tile.person.name} is cut off at {r}")
                if r.height() < 60 or r.width() < 120:
                    problems.append(f"live: the tile of {tile.person.name} is too small ({r.width()}x{r.height()})")
    wait_for_all(20000)
    shot = win.grab()
    print(json.dumps({
        "ratio": shot.devicePixelRatio(),
        "physical": [shot.width(), shot.height()],
        "problems": problems,
        "font_px": QApplication.font().pixelSize(),
        "font_pt": QApplication.font().pointSizeF(),
    }))
    win.close()
    ctx.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main(sys.argv[1])
