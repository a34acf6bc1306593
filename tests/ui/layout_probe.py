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


def _cut(w: object) -> bool:
    """Whether ``w`` (a label or button on one line) is narrower than its text needs, so
    something squeezed it and its text is cut off."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    if isinstance(w, QLabel):
        if w.wordWrap() or not w.text() or (w.pixmap() is not None and not w.pixmap().isNull()):
            return False
        return w.width() < w.minimumSizeHint().width()
    if isinstance(w, QAbstractButton):
        return bool(w.text()) and w.width() < w.minimumSizeHint().width()
    return False


def check_pages(win: object, app: object, size: tuple[int, int], keys: tuple[str, ...]) -> list[str]:
    """What does not fit on the pages ``keys`` of ``win`` resized to ``size``: off screen, cut
    off, or a window that had to grow."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    problems: list[str] = []
    width, height = size
    win.resize(width, height)  # type: ignore[attr-defined]
    window = QRect(0, 0, width, height)
    at = f"{width}x{height}"
    for key in keys:
        win.show_page(key)  # type: ignore[attr-defined]
        for _ in range(10):
            app.processEvents()  # type: ignore[attr-defined]
        hint = win.minimumSizeHint()  # type: ignore[attr-defined]
        if hint.width() > width or hint.height() > height:
            problems.append(f"{key} at {at}: the window needs at least {hint.width()}x{hint.height()}")
        if (win.width(), win.height()) != size:  # type: ignore[attr-defined]
            problems.append(f"{key} at {at}: the window grew to {win.width()}x{win.height()}")  # type: ignore[attr-defined]
        page = win.pages.currentWidget()  # type: ignore[attr-defined]
        assert page is not None
        # Every visible button and label of the page lies inside the window, whole.
        for w in page.findChildren(QWidget):
            if not w.isVisible() or not isinstance(w, (QAbstractButton, QLabel)) or w.width() == 0:
                continue
            if w.window() is not win:
                continue
            name = f"{type(w).__name__} “{getattr(w, 'text', lambda: '')()[:30]}”"
            top_left = w.mapTo(win, w.rect().topLeft())
            rect = QRect(top_left, w.size())
            if _scrolls_vertically(w):  # below the fold of a scrolling page: reachable, if not too wide
                rect.moveTop(0)
            if not window.contains(rect.center()):
                problems.append(f"{key} at {at}: {name} is off screen")
            elif key != "live" and _cut(w):  # (the console's tiles and lists have probes of their own)
                problems.append(f"{key} at {at}: {name} is cut off ({w.width()} of {w.minimumSizeHint().width()} px)")
        if key == "live":
            problems += _title_whole(win, at)
            problems += _tiles_fit(win, window)
    return problems


def _title_whole(win: object, at: str) -> list[str]:
    """The console's workshop title, whole and uncut beside the head bar's buttons."""
    heading = win.console.heading  # type: ignore[attr-defined]
    shown = heading.text()
    problems = []
    if "the objection that always comes back" not in shown or "…" in shown:
        problems.append(f"live at {at}: the title reads “{shown}”")
    if heading.fontMetrics().horizontalAdvance(shown) > heading.contentsRect().width():
        problems.append(f"live at {at}: the title “{shown[:30]}” is cut at {heading.contentsRect().width()} px")
    return problems


def _tiles_fit(win: object, window: object) -> list[str]:
    from PySide6.QtCore import QRect

    problems = []
    for tile in win.console.tiles.tiles.values():  # type: ignore[attr-defined]
        r = QRect(tile.mapTo(win, tile.rect().topLeft()), tile.size())
        if not window.contains(r):  # type: ignore[attr-defined]
            problems.append(f"live: the tile of {tile.person.name} is cut off at {r}")
        if r.height() < 60 or r.width() < 120:
            problems.append(f"live: the tile of {tile.person.name} is too small ({r.width()}x{r.height()})")
    return problems


PAGES = ("plan", "live", "booth", "gallery", "review", "insights", "settings")
DEFAULT_WINDOW = (int(1366 * 0.92), int(768 * 0.9))
"""The window Ripple opens on a 1366x768 screen the first time (ui.shell.window)."""


def main(db: str) -> None:
    from PySide6.QtWidgets import QApplication

    from app.context import Ripple
    from app.followup.commitments import take_commitment
    from app.live import LiveWorkshop
    from app.planning.participants import add_participant
    from app.planning.templates import create_from_template
    from app.settings import Settings
    from db.store import Store
    from ui.app import make_app
    from ui.kit import theme
    from ui.shell.window import MainWindow
    from ui.tasks import wait_for_all

    app = make_app()
    ctx = Ripple(Store.open(db), Settings(facilitator="Marta Ruiz", camera="synthetic"))
    theme.apply(app, ctx.settings.theme)  # as ui.app.run does: the theme's fonts and paddings
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
    problems = check_pages(win, app, (1366, 768), PAGES)
    # The window as first opened, and the planner's default splitter: the list's heading whole.
    problems += check_pages(win, app, DEFAULT_WINDOW, ("plan",))
    win.resize(1366, 768)
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
