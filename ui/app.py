"""Start the desktop app (``ripple`` with no command, via the ``ripple.gui`` entry point)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.context import Ripple
from app.errors import USER_ERRORS
from ui.kit import theme


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


def run(db_url: str | None = None) -> int:
    app = make_app()
    try:
        ctx = Ripple.open(db_url)
    except USER_ERRORS as exc:
        theme.apply(app)
        QMessageBox.critical(None, "Ripple cannot open its store", str(exc))
        print(f"ripple: {exc}", file=sys.stderr)
        return 1
    theme.apply(app, ctx.settings.theme)
    from ui.shell.window import MainWindow

    window = MainWindow(ctx)
    window.show()
    if sys.platform == "darwin":  # the system's camera and microphone question, once
        from ui.permissions import request_media_permissions

        request_media_permissions()
    code = app.exec()
    ctx.close()
    return int(code)
