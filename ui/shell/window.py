"""The main window: a navigation rail, one page at a time, a banner for messages."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.clips.catalogue import hidden_clips_of
from app.clips.library import ClipView, delete_clip
from app.clips.recording import discard_pending, pending_recordings, recover
from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning.workshops import list_workshops
from ui.changes import CLIPS, Changes, announce
from ui.clips.booth import Booth
from ui.clips.gallery import Gallery
from ui.insights.page import InsightsPage
from ui.kit import theme
from ui.kit.widgets import Banner
from ui.live.console import Console
from ui.plan.page import Planner
from ui.roleplay.review import RoleplayReview
from ui.settings.page import SyncSettingsPage

INFO_MS = 6000  # how long a piece of news stays in the banner


class MainWindow(QMainWindow):
    def __init__(self, ctx: Ripple) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("Ripple")
        self.buttons: dict[str, QToolButton] = {}
        self._build_frame()
        self._build_pages()
        self._build_rail_foot()
        self._connect_pages()
        self.show_page("plan")
        self.buttons["live"].setEnabled(False)
        self._restore_geometry()
        self._resume_live_workshop()
        self.sync_page.controller.start()
        self.offer_pending_recordings()

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
        self.banner = Banner()
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(16, 10, 16, 0)
        banner_row.addWidget(self.banner)
        bl.addLayout(banner_row)
        bl.addWidget(self.pages, 1)
        row.addWidget(self.rail)
        row.addWidget(body, 1)

    def _build_pages(self) -> None:
        """One line per page of the nav rail, in the rail's order."""
        ctx = self.ctx
        self.planner = Planner(ctx)
        self.console = Console(ctx)
        self.booth = Booth(ctx)
        self.gallery = Gallery(ctx)
        self.review = RoleplayReview(ctx)
        self.insights = InsightsPage(ctx)
        self.sync_page = SyncSettingsPage(ctx)
        for key, label, tip, keys, page in (
            ("plan", "Plan", "Plan workshops: agenda, participants, consent", "Ctrl+1", self.planner),
            ("live", "Live", "The facilitator console", "Ctrl+2", self.console),
            ("booth", "Booth", "Record a participant's clip", "Ctrl+3", self.booth),
            ("gallery", "Clips", "Watch clips with the room and react", "Ctrl+4", self.gallery),
            ("insights", "Insights", "Who started the ripples, participation, and the L&D export", "Ctrl+5",
             self.insights),
            ("review", "Review", "Review recorded role plays marker by marker", "Ctrl+6", self.review),
            ("settings", "Settings", "The shared store and syncing", "Ctrl+,", self.sync_page),
        ):
            self._add_page(key, label, f"{tip} ({keys})", page)
            QShortcut(QKeySequence(keys), self, lambda k=key: self.show_page(k))

    def _build_rail_foot(self) -> None:
        """Under the buttons: the sync status, and which store this window works on."""
        self.rail_layout.addStretch(1)
        self.rail_layout.addWidget(self.sync_page.indicator)
        self.store_label = QLabel()
        self.store_label.setObjectName("Muted")
        self.store_label.setWordWrap(True)
        self.store_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.store_label.setFont(theme.font(0.75))
        self.store_label.setToolTip(f"Store: {self.ctx.store_label}")
        self.store_label.setText("local store" if self.ctx.store.is_sqlite else "shared store")
        self.rail_layout.addWidget(self.store_label)
        self.rail.setFixedWidth(self.rail.fontMetrics().averageCharWidth() * 13)

    def _connect_pages(self) -> None:
        """What the pages ask of the window: the banner, navigation, booth mode. (They hear
        about each other's writes through ``ui.changes``, not through here.)"""
        for page in (self.planner, self.console, self.gallery, self.review, self.insights, self.sync_page):
            page.sig_error.connect(self.show_error)
            page.sig_info.connect(self.show_info)
        # The booth keeps its own signal names (error, info, clip_kept) until it moves onto
        # the media preview API; its kept clips are announced here for it.
        self.booth.error.connect(self.show_error)
        self.booth.info.connect(self.show_info)
        self.booth.clip_kept.connect(
            lambda view: announce(Changes.of(CLIPS, workshop=view.workshop_id), self.booth))
        self.booth.booth_mode.connect(self._booth_mode)
        self.planner.sig_run_live.connect(self.run_live)
        self.console.roleplay.sig_review.connect(self.open_review)
        self.planner.sig_clips_hidden.connect(self._offer_clip_deletion)
        self.sync_page.sig_sync_failed.connect(lambda text: self.banner.show_message(
            text, "error", action="Retry", on_action=self.sync_page.controller.sync_now))
        self.sync_page.indicator.sig_open_settings.connect(lambda: self.show_page("settings"))

    def _add_page(self, key: str, label: str, tip: str, page: QWidget) -> None:
        b = QToolButton()
        b.setText(label)
        b.setToolTip(tip)
        b.setCheckable(True)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        b.setSizePolicy(b.sizePolicy().horizontalPolicy().Expanding, b.sizePolicy().verticalPolicy())
        b.setFont(theme.font(1.0, QFont.Weight.DemiBold))
        b.clicked.connect(lambda: self.show_page(key))
        self.nav.addButton(b)
        self.rail_layout.addWidget(b)
        self.buttons[key] = b
        self.pages.addWidget(page)
        page.setProperty("page_key", key)

    # ------------------------------------------------------------ what the pages ask for

    def show_error(self, text: str) -> None:
        self.banner.show_message(text, "error")

    def show_info(self, text: str) -> None:
        self.banner.show_message(text, "info", timeout_ms=INFO_MS)

    def show_page(self, key: str) -> None:
        button = self.buttons.get(key)
        if button is None or not button.isEnabled():
            return
        button.setChecked(True)
        for i in range(self.pages.count()):
            page = self.pages.widget(i)
            if page is not None and page.property("page_key") == key:
                self.pages.setCurrentIndex(i)

    def run_live(self, workshop_id: uuid.UUID) -> None:
        if self.console.open_workshop(workshop_id):
            self.buttons["live"].setEnabled(True)
            self.show_page("live")

    def open_review(self, round_id: uuid.UUID) -> None:
        """A recorded role-play round, marker by marker (asked for from the console)."""
        self.show_page("review")
        self.review.open_round(round_id)

    def _booth_mode(self, on: bool) -> None:
        """Full screen with only the booth: a participant can use it without touching anything else."""
        self.rail.setVisible(not on)
        if on:
            self.show_page("booth")
            self.showFullScreen()
        else:
            self.showNormal()

    def _offer_clip_deletion(self, participant_id: uuid.UUID, name: str, count: int) -> None:
        """Consent withdrawn: the clips are hidden everywhere already; offer to delete them."""

        def delete() -> None:
            try:
                for c in hidden_clips_of(self.ctx.store, participant_id):
                    delete_clip(self.ctx.store, self.ctx.clips, c.id)
            except USER_ERRORS as exc:
                self.show_error(str(exc))
                return
            finally:
                announce(Changes.of(CLIPS), self)
            self.banner.show_message(f"{name}'s clips were deleted.", "info", timeout_ms=5000)

        self.banner.show_message(
            f"{name} withdrew video consent: their {count} clip{'s are' if count > 1 else ' is'} now hidden everywhere.",
            "warning", action=f"Delete {'them' if count > 1 else 'it'}", on_action=delete)

    def offer_pending_recordings(self) -> None:
        """A recording cut short by a crash is playable: offer to keep it."""
        pending = pending_recordings(self.ctx.clips)
        if not pending:
            return
        n = len(pending)

        def keep() -> None:
            kept: list[ClipView] = []
            for p in pending:
                try:
                    kept.append(recover(self.ctx.store, self.ctx.clips, p))
                except USER_ERRORS as exc:
                    discard_pending(p)
                    self.show_error(str(exc))
            if kept:
                announce(Changes.of(CLIPS), self)
                self.banner.show_message(f"{len(kept)} interrupted recording(s) kept in the gallery.", "info",
                                         timeout_ms=5000)

        self.banner.show_message(
            f"{n} recording{'s were' if n > 1 else ' was'} interrupted last time; what was recorded is playable.",
            "warning", action="Keep in the gallery", on_action=keep)

    def _resume_live_workshop(self) -> None:
        """After a crash (or a normal close mid-workshop) go straight back to the console."""
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
        self.sync_page.controller.stop()
        self.booth.shutdown()
        self.console.roleplay.shutdown()
        self.review.shutdown()
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(e)
