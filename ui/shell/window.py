"""The main window: a navigation rail, one page at a time, a banner for messages.

A page is built the first time it is shown (or asked for, as ``window.console``): start-up
builds only the planner, and Settings for the sync status in the rail. The screens' modules
are imported then too, so pyqtgraph, numpy and QtMultimedia load with Insights, the console
and the clips screens, not before the first window is on screen (the builders: ui/shell/pages.py;
what the banner offers after a delete, a withdrawal or a crash: ui/shell/offers.py).

``ripple`` goes further: the window is shown before the store exists (``MainWindow()`` then
:meth:`MainWindow.open_store`; see ``ui.shell.opening``), so not even SQLAlchemy is loaded
when the first window appears. Given a context (``MainWindow(ctx)``, as tests and scripts
do), the window is filled at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import USER_ERRORS
from ui.changes import Changes, hub
from ui.kit import icons, theme
from ui.kit.page import Page
from ui.kit.widgets import Banner, confirm
from ui.shell.offers import offer_pending_recordings
from ui.shell.opening import OpeningPage, open_ripple
from ui.shell.pages import BUILDERS, BuiltPage
from ui.tasks import describe, run_task

if TYPE_CHECKING:
    # The store's side (SQLAlchemy underneath) is imported where it is used: start-up shows
    # the window before any of it is loaded.
    from app.context import Ripple
    from app.settings import Settings
    from ui.audience.controller import Audience
    from ui.clips.booth import Booth
    from ui.clips.gallery import Gallery
    from ui.insights.page import InsightsPage
    from ui.live.console import Console
    from ui.plan.page import Planner
    from ui.roleplay.review import RoleplayReview
    from ui.settings.page import SyncSettingsPage

log = logging.getLogger("ripple.ui.shell")

#: The log line start-up writes when the window is filled (bench/startup.py times it).
FILLED = "start-up: the store is open and the window filled"
INFO_MS = 6000  # how long a piece of news stays in the banner
#: Start-up: the store opens this long after the window is shown even if no paint came first.
OPEN_ANYWAY_MS = 250

#: The nav rail, in its order: key, label, tooltip, shortcut.
RAIL = (
    ("plan", "Plan", "Plan workshops: agenda, participants, consent", "Ctrl+1"),
    ("live", "Live", "The facilitator console", "Ctrl+2"),
    ("booth", "Booth", "Record a participant's clip", "Ctrl+3"),
    ("gallery", "Clips", "Watch clips with the room and react", "Ctrl+4"),
    ("insights", "Insights", "Who started the ripples, participation, and the L&D export", "Ctrl+5"),
    ("review", "Review", "Review recorded role plays marker by marker", "Ctrl+6"),
    ("settings", "Settings", "The shared store, syncing, and About", "Ctrl+,"),
)


T = TypeVar("T")


class MainWindow(QMainWindow):
    sig_ready = Signal()
    """() — the store is open and the window filled (the Plan page shows the workshops)."""
    sig_store_failed = Signal(str)
    """(sentence: str) — start-up could not open the store; the window shows the sentence."""

    def __init__(self, ctx: Ripple | None = None, *, live: uuid.UUID | None = None,
                 audience: str | None = None) -> None:
        """``ctx``: the open store; None for a window shown first and filled by :meth:`open_store`.
        ``live``: open straight into that workshop's console (``ripple live``); ``audience``:
        where the room sees it this time (a screen's name, "window" or "none")."""
        super().__init__()
        self._ctx: Ripple | None = None
        self._closed = False
        self._live_request = live
        self.setWindowTitle("Ripple")
        self.buttons: dict[str, QToolButton] = {}
        self.built: dict[str, Page] = {}
        self._build_frame()
        self._build_rail()
        # The room's window follows the console: made (and wired) with the console, so a start
        # that never goes live loads none of it.
        self._audience: Audience | None = None
        self._audience_target = audience
        self.opening = OpeningPage()
        self.pages.addWidget(self.opening)
        for b in self.buttons.values():
            b.setEnabled(False)  # until the store is open
        self._restore_geometry()
        if ctx is not None:
            self._fill(ctx)

    @property
    def ctx(self) -> Ripple:
        """The open store and settings (only once :attr:`is_open`)."""
        if self._ctx is None:
            raise RuntimeError("the window's store is not open yet")
        return self._ctx

    @property
    def is_open(self) -> bool:
        return self._ctx is not None

    def open_store(self, db_url: str | None, settings: Settings) -> None:
        """Start-up: once the window's first frame is painted, open the store off the UI thread,
        then fill the window; or show on the opening page why it cannot be opened."""
        started = False

        def start() -> None:
            nonlocal started
            if started:
                return
            started = True
            run_task(self, open_ripple, db_url, settings, key="open", lane="store",
                     on_success=self._fill, on_failure=self._open_failed)

        self.opening.sig_painted.connect(start)
        QTimer.singleShot(OPEN_ANYWAY_MS, self, start)  # hidden or minimised: nothing is painted

    def _open_failed(self, exc: BaseException) -> None:
        log.info("start-up: the store could not be opened (%s)", type(exc).__name__)
        sentence = describe(exc)
        self.opening.show_failure(sentence)
        self.sig_store_failed.emit(sentence)

    def _fill(self, ctx: Ripple) -> None:
        """The store is open: the pages start-up builds, then what start-up offers."""
        if self._closed:  # closed while the store was opening: nothing left to fill
            ctx.close()
            return
        self._ctx = ctx
        for b in self.buttons.values():
            b.setEnabled(True)
        # Settings from the start: the rail's sync status and the sync timer live on it.
        self.sync_page: SyncSettingsPage = self.page("settings")  # type: ignore[assignment]
        self._build_rail_foot()
        self.show_page("plan")
        self.pages.removeWidget(self.opening)
        self.opening.deleteLater()
        if self._live_request is not None:
            # Asked for by name on the command line, but not to re-date it: a workshop planned
            # for another day is asked about here too (a trainer found it moved silently).
            self.run_live(self._live_request)
        else:
            self._resume_live_workshop()
        self.sync_page.controller.start()
        offer_pending_recordings(self)
        log.info(FILLED)
        self.sig_ready.emit()

    # ------------------------------------------------------------ building

    def _build_frame(self) -> None:
        """The rail (with the brand on top) beside the banner over the page stack."""
        central = QWidget()
        central.setObjectName("Page")
        self.setCentralWidget(central)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.rail = QFrame()
        self.rail.setObjectName("NavRail")
        self.rail_layout = QVBoxLayout(self.rail)
        self.rail_layout.setContentsMargins(0, 12, 0, 12)
        brand = QLabel("◎ Ripple")
        brand.setObjectName("Brand")
        brand.setFont(theme.font(1.25, QFont.Weight.Black))
        brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rail_layout.addWidget(brand)
        self.rail_layout.addSpacing(12)
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.pages = QStackedWidget()
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.setSpacing(0)
        bl.addWidget(self.pages, 1)
        # The banner floats over the pages: a message never moves what is under the pointer.
        self.banner = Banner()
        self.banner.float_over(body)
        hub().sig_changed.connect(self._store_changed)
        row.addWidget(self.rail)
        row.addWidget(body, 1)

    def _build_rail(self) -> None:
        """One button (and shortcut) per page; the pages themselves are built when first shown."""
        for key, label, tip, keys in RAIL:
            self._add_button(key, label, f"{tip} ({keys})")
            QShortcut(QKeySequence(keys), self, lambda k=key: self.go_to(k))
        # The foot (sync status, store) comes under the stretch once the store is open, so
        # nothing on the rail moves then, nor does its width change.
        self.rail_layout.addStretch(1)
        self.rail.setFixedWidth(self.rail.fontMetrics().averageCharWidth() * 13)

    def _build_rail_foot(self) -> None:
        """Under the buttons: the sync status, and which store this window works on."""
        self.rail_layout.addWidget(self.sync_page.indicator)
        self.store_label = QLabel()
        self.store_label.setObjectName("Muted")
        self.store_label.setWordWrap(True)
        self.store_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.store_label.setFont(theme.font(0.75))
        self.store_label.setToolTip(f"Store: {self.ctx.store_label}")
        self.store_label.setText("local store" if self.ctx.store.is_sqlite else "shared store")
        self.rail_layout.addWidget(self.store_label)

    def _add_button(self, key: str, label: str, tip: str) -> None:
        b = QToolButton()
        b.setText(label)
        b.setToolTip(tip)
        b.setCheckable(True)
        b.setIcon(icons.icon(key, "rail"))
        side = round(b.fontMetrics().height() * 1.5)
        b.setIconSize(QSize(side, side))
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        b.setSizePolicy(b.sizePolicy().horizontalPolicy().Expanding, b.sizePolicy().verticalPolicy())
        b.setFont(theme.font(1.0, QFont.Weight.DemiBold))
        b.clicked.connect(lambda: self.go_to(key))
        self.nav.addButton(b)
        self.rail_layout.addWidget(b)
        self.buttons[key] = b

    # ------------------------------------------------------------ the pages, built when first needed

    def page(self, key: str) -> Page:
        """The page of the rail's ``key``, built (and wired to the banner) the first time."""
        page = self.built.get(key)
        if page is None:
            page = BUILDERS[key](self)
            page.setProperty("page_key", key)
            page.sig_error.connect(self.show_error)
            page.sig_info.connect(self.show_info)
            self.pages.addWidget(page)
            self.built[key] = page
        return page

    @property
    def audience(self) -> Audience:
        """The room's window and where it is, made the first time the console needs it."""
        if self._audience is None:
            from ui.audience.controller import Audience

            self._audience = Audience(self.ctx, self)
            if self._audience_target is not None:
                self._audience.target = self._audience_target
        return self._audience

    planner: BuiltPage[Planner] = BuiltPage("plan")
    console: BuiltPage[Console] = BuiltPage("live")
    booth: BuiltPage[Booth] = BuiltPage("booth")
    gallery: BuiltPage[Gallery] = BuiltPage("gallery")
    insights: BuiltPage[InsightsPage] = BuiltPage("insights")
    review: BuiltPage[RoleplayReview] = BuiltPage("review")

    # ------------------------------------------------------------ what the pages ask for

    def _store_changed(self, changes: Changes, initiator: object) -> None:
        """A screen wrote to the store: the action succeeded, so an older error is cleared."""
        if initiator is not None:
            self.banner.clear_error()

    def show_error(self, text: str) -> None:
        self.banner.show_message(text, "error")

    def show_info(self, text: str) -> None:
        self.banner.show_message(text, "info", timeout_ms=INFO_MS)

    def show_page(self, key: str) -> None:
        button = self.buttons.get(key)
        if button is None or not button.isEnabled():
            return
        button.setChecked(True)
        self.pages.setCurrentWidget(self.page(key))

    def go_to(self, key: str) -> None:
        """The rail's button (or shortcut) for ``key``: the Live button with no workshop open
        offers to pick one instead of showing an empty console."""
        if not self.is_open:  # start-up: the store is still opening (the buttons wait too)
            return
        if key == "live" and ("live" not in self.built or self.console.live is None):
            self.buttons[self._current_key()].setChecked(True)
            self.pick_live()
            return
        self.show_page(key)

    def _current_key(self) -> str:
        page = self.pages.currentWidget()
        return str(page.property("page_key") or "plan") if page is not None else "plan"

    def pick_live(self) -> None:
        """No workshop is open in the console: pick one of the live, today's or coming ones."""
        from app.planning.lifecycle import runnable_workshops
        from ui.shell.picker import WorkshopPicker

        workshops = self.guard_read(runnable_workshops, self.ctx.store)
        if workshops is None:
            return
        if not workshops:
            self.show_info("No workshop is live or planned. Plan one, then run it live from the planner.")
            self.show_page("plan")
            return
        picker = WorkshopPicker(workshops, self)
        if picker.exec() == QDialog.DialogCode.Accepted and picker.chosen() is not None:
            self.run_live(picker.chosen())  # type: ignore[arg-type]

    def guard_read(self, fn: Callable[..., T], *args: object) -> T | None:
        """A read for the window itself; a refusal is one sentence in the banner."""
        try:
            return fn(*args)
        except USER_ERRORS as exc:
            self.show_error(str(exc))
            return None

    def run_live(self, workshop_id: uuid.UUID, *, ask: bool = True) -> None:
        """Open the workshop's console; one planned for another day is asked about first,
        because going live dates it to the day it really runs (app/live_agenda.py)."""
        from app.planning.lifecycle import redate_question
        from app.planning.workshops import load_plan

        if ask:
            plan = self.guard_read(load_plan, self.ctx.store, workshop_id)
            if plan is None:
                return
            question = redate_question(plan.status, plan.started_at, plan.utc_offset_min)
            if question and not confirm(self, "Run live", question, "Run today"):
                return
        if self.console.open_workshop(workshop_id):
            self.show_page("live")
            self.audience.follow(self.console.live)

    def open_review(self, round_id: uuid.UUID) -> None:
        """A recorded role-play round, marker by marker (asked for from the console)."""
        self.show_page("review")
        self.review.open_round(round_id)

    def _resume_live_workshop(self) -> None:
        """After a crash (or a normal close mid-workshop) go straight back to the console."""
        from app.planning.workshops import list_workshops

        live = [w for w in list_workshops(self.ctx.store) if w.status == "live"]
        if live:
            self.run_live(live[0].id)
            self.banner.show_message(f"Resumed “{live[0].title}” where it was.", "info", timeout_ms=INFO_MS)

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        screen = self.screen().availableGeometry()
        self.resize(min(1440, int(screen.width() * 0.92)), min(900, int(screen.height() * 0.9)))

    def closeEvent(self, e: QCloseEvent) -> None:
        self._closed = True
        if self.is_open:
            self.sync_page.controller.stop()
        if self._audience is not None:
            self._audience.close()
        if "booth" in self.built:
            self.booth.shutdown()
        if "live" in self.built:
            self.console.roleplay.shutdown()
        if "review" in self.built:
            self.review.shutdown()
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(e)
