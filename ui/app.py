"""Start the desktop app (``ripple`` with no command, via the ``ripple.gui`` entry point).

The window comes first and the store second: nothing here imports the store's side
(SQLAlchemy, the models, Alembic) before the window is on screen; the window opens the store
off the UI thread (``ui.shell.opening``).
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app import settings as settings_mod
from ui.kit import theme
from ui.tasks import describe, wait_for_all

log = logging.getLogger("ripple.ui")


def make_app() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName("Ripple")
    QCoreApplication.setApplicationName("Ripple")
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Ripple")
    return app


def install_excepthook(show: Callable[[str], None]) -> Callable[[], None]:
    """Make any exception that escapes a slot visible: its traceback goes to the log, and
    ``show`` gets one sentence for the person (Qt alone would print it to a console nobody
    reads and carry on). Returns a function that puts the previous hook back."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        log.error("uncaught exception in the UI", exc_info=(kind, exc, tb))
        try:
            show(describe(exc))
        except Exception:  # the window may be half gone; the log has what matters
            log.exception("could not show the error in the window")

    sys.excepthook = hook

    def restore() -> None:
        sys.excepthook = previous

    return restore


def run(db_url: str | None = None, live: uuid.UUID | None = None, audience: str | None = None) -> int:
    """The desktop app; ``live`` opens straight into that workshop's console (``ripple live``)
    with the room on ``audience`` (a screen's name, "window" or "none"; None: as remembered)."""
    app = make_app()
    settings = settings_mod.load()
    theme.apply(app, settings.theme)
    from ui.shell.window import MainWindow

    window = MainWindow(live=live, audience=audience)
    failed: list[str] = []

    def store_failed(sentence: str) -> None:  # the window says it too, and stays open
        failed.append(sentence)
        print(f"ripple: {sentence}", file=sys.stderr)

    window.sig_store_failed.connect(store_failed)
    restore = install_excepthook(window.show_error)
    window.show()
    window.open_store(db_url, settings)
    if sys.platform == "darwin":  # the system's camera and microphone question, once
        from ui.permissions import request_media_permissions

        request_media_permissions()
    code = app.exec()
    restore()
    # Closed while the store was still opening: let the opening end, and close what it opened.
    wait_for_all()
    app.processEvents()
    if window.is_open:
        window.ctx.close()
    return 1 if failed else int(code)
