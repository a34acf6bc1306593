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

from app.context import Ripple
from app.errors import USER_ERRORS
from app.planning.workshops import list_workshops
from ui.clips.booth import Booth
from ui.clips.gallery import Gallery
from ui.kit import theme
from ui.kit.widgets import Banner
from ui.live.console import Console
from ui.plan.page import Planner


class MainWindow(QMainWindow):
    def __init__(self, ctx: Ripple) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("Ripple")
        central = QWidget()
        central.setObjectName("Page")
        self.setCentralWidget(central)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        self.rail = QFrame()
        self.rail.setObjectName("NavRail")
        rail = QVBoxLayout(self.rail)
        rail.setContentsMargins(0, 12, 0, 12)
        brand = QLabel("◎ Ripple")
        brand.setObjectName("Brand")
        brand.setFont(theme.font(1.25, QFont.Weight.Black))
        brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        rail.addWidget(brand)
        rail.addSpacing(12)
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.pages = QStackedWidget()
        self.buttons: dict[str, QToolButton] = {}

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

        self.planner = Planner(ctx)
        self.console = Console(ctx)
        self._add_page("plan", "Plan", "Plan workshops: agenda, participants, consent (Ctrl+1)", self.planner)
        self._add_page("live", "Live", "The facilitator console (Ctrl+2)", self.console)
        # -- pages added by features (keep one block per feature) --
        # clips: the booth and the gallery
        self.booth = Booth(ctx)
        self.gallery = Gallery(ctx)
        self._add_page("booth", "Booth", "Record a participant's clip (Ctrl+3)", self.booth)
        self._add_page("gallery", "Clips", "Watch clips with the room and react (Ctrl+4)", self.gallery)
        for clip_page in (self.booth, self.gallery):
            clip_page.error.connect(lambda text: self.banner.show_message(text, "error"))
            clip_page.info.connect(lambda text: self.banner.show_message(text, "info", timeout_ms=6000))
        self.booth.booth_mode.connect(self._booth_mode)
        self.planner.clips_hidden.connect(self._offer_clip_deletion)
        QShortcut(QKeySequence("Ctrl+3"), self, lambda: self.show_page("booth"))
        QShortcut(QKeySequence("Ctrl+4"), self, lambda: self.show_page("gallery"))
        # insights: ripples, participation, influence across workshops, the L&D export
        from ui.insights.page import InsightsPage

        self.insights = InsightsPage(ctx)
        self._add_page("insights", "Insights", "Who started the ripples, participation, and the L&D export (Ctrl+5)",
                       self.insights)
        self.insights.error.connect(lambda text: self.banner.show_message(text, "error"))
        self.insights.info.connect(lambda text: self.banner.show_message(text, "info", timeout_ms=6000))
        QShortcut(QKeySequence("Ctrl+5"), self, lambda: self.show_page("insights"))
        # sync: settings for the shared store, background sync, the status in the rail
        from ui.settings.page import SyncSettingsPage

        self.sync_page = SyncSettingsPage(ctx)
        self._add_page("settings", "Settings", "The shared store and syncing (Ctrl+,)", self.sync_page)
        self.sync_page.error.connect(lambda text: self.banner.show_message(text, "error"))
        self.sync_page.info.connect(lambda text: self.banner.show_message(text, "info", timeout_ms=6000))
        self.sync_page.sync_failed.connect(lambda text: self.banner.show_message(
            text, "error", action="Retry", on_action=self.sync_page.controller.sync_now))
        self.sync_page.indicator.open_settings.connect(lambda: self.show_page("settings"))
        self.sync_page.controller.synced.connect(self._after_sync)
        QShortcut(QKeySequence("Ctrl+,"), self, lambda: self.show_page("settings"))
        rail.addStretch(1)
        rail.addWidget(self.sync_page.indicator)
        self.store_label = QLabel()
        self.store_label.setObjectName("Muted")
        self.store_label.setWordWrap(True)
        self.store_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.store_label.setFont(theme.font(0.75))
        self.store_label.setToolTip(f"Store: {ctx.store_label}")
        self.store_label.setText("local store" if ctx.store.is_sqlite else "shared store")
        rail.addWidget(self.store_label)
        self.rail.setFixedWidth(self.rail.fontMetrics().averageCharWidth() * 13)
        row.addWidget(self.rail)
        row.addWidget(body, 1)

        for page in (self.planner, self.console):
            page.error.connect(lambda text: self.banner.show_message(text, "error"))
            page.info.connect(lambda text: self.banner.show_message(text, "info", timeout_ms=5000))
        self.planner.run_live.connect(self.run_live)
        self.show_page("plan")
        QShortcut(QKeySequence("Ctrl+1"), self, lambda: self.show_page("plan"))
        QShortcut(QKeySequence("Ctrl+2"), self, lambda: self.show_page("live"))
        self.buttons["live"].setEnabled(False)
        self._restore_geometry()
        self._resume_live_workshop()
        self.sync_page.controller.start()
        self.offer_pending_recordings()

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
        self.rail.layout().addWidget(b)  # type: ignore[union-attr]
        self.buttons[key] = b
        self.pages.addWidget(page)
        page.setProperty("page_key", key)

    def show_page(self, key: str) -> None:
        button = self.buttons.get(key)
        if button is None or not button.isEnabled():
            return
        button.setChecked(True)
        for i in range(self.pages.count()):
            page = self.pages.widget(i)
            if page is not None and page.property("page_key") == key:
                self.pages.setCurrentIndex(i)
        if key == "plan":
            self.planner.refresh()

    def run_live(self, workshop_id: uuid.UUID) -> None:
        if self.console.open_workshop(workshop_id):
            self.buttons["live"].setEnabled(True)
            self.show_page("live")

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
        from app.clips.catalogue import hidden_clips_of
        from app.clips.library import delete_clip

        def delete() -> None:
            try:
                for c in hidden_clips_of(self.ctx.store, participant_id):
                    delete_clip(self.ctx.store, self.ctx.clips, c.id)
            except USER_ERRORS as exc:
                self.banner.show_message(str(exc), "error")
                return
            self.banner.show_message(f"{name}'s clips were deleted.", "info", timeout_ms=5000)

        self.banner.show_message(
            f"{name} withdrew video consent: their {count} clip{'s are' if count > 1 else ' is'} now hidden everywhere.",
            "warning", action=f"Delete {'them' if count > 1 else 'it'}", on_action=delete)

    def offer_pending_recordings(self) -> None:
        """A recording cut short by a crash is playable: offer to keep it."""
        from app.clips.recording import discard_pending, pending_recordings, recover

        pending = pending_recordings(self.ctx.clips)
        if not pending:
            return
        n = len(pending)

        def keep() -> None:
            kept = 0
            for p in pending:
                try:
                    recover(self.ctx.store, self.ctx.clips, p)
                    kept += 1
                except USER_ERRORS as exc:
                    discard_pending(p)
                    self.banner.show_message(str(exc), "error")
            if kept:
                self.banner.show_message(f"{kept} interrupted recording(s) kept in the gallery.", "info", timeout_ms=5000)

        self.banner.show_message(
            f"{n} recording{'s were' if n > 1 else ' was'} interrupted last time; what was recorded is playable.",
            "warning", action="Keep in the gallery", on_action=keep)

    def _resume_live_workshop(self) -> None:
        """After a crash (or a normal close mid-workshop) go straight back to the console."""
        live = [w for w in list_workshops(self.ctx.store) if w.status == "live"]
        if live:
            self.run_live(live[0].id)
            self.banner.show_message(f"Resumed “{live[0].title}” where it was.", "info", timeout_ms=6000)

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        screen = self.screen().availableGeometry()
        self.resize(min(1440, int(screen.width() * 0.92)), min(900, int(screen.height() * 0.9)))

    def _after_sync(self, report: object, _manual: bool) -> None:
        """What others wrote shows at once: the plan list, and the live console's workshop."""
        if not getattr(report, "received", 0):
            return
        self.planner.refresh()
        if self.console.live is not None:
            self.console.live.reload()

    def closeEvent(self, e: QCloseEvent) -> None:
        self.sync_page.controller.stop()
        self.booth.shutdown()
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(e)
