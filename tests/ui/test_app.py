"""A bug in a slot is logged with its traceback and shown in the banner in one sentence."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.errors import RippleError
from ui.app import install_excepthook
from ui.tasks import wait_for_all


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_reaches_the_log_and_the_banner(qtbot: QtBot, ctx: Ripple,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    from ui.shell.window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    restore = install_excepthook(window.show_error)
    try:
        def broken() -> None:
            raise ZeroDivisionError("division by zero")

        def refused() -> None:
            raise RippleError("That workshop is finished.")

        bug, refusal = QPushButton("bug", window), QPushButton("refusal", window)
        bug.clicked.connect(broken)
        refusal.clicked.connect(refused)
        with caplog.at_level(logging.ERROR, logger="ripple.ui"):
            bug.click()
        assert window.banner.text() == "Something went wrong (ZeroDivisionError); details are in the log."
        record = caplog.records[-1]
        assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
        assert "broken" in caplog.text  # the traceback, with the slot's name
        refusal.click()  # a user error that escaped says its own sentence
        assert window.banner.text() == "That workshop is finished."
    finally:
        restore()
        window.close()
        wait_for_all()


def test_the_previous_hook_comes_back() -> None:
    import sys

    before = sys.excepthook
    restore = install_excepthook(lambda _text: None)
    assert sys.excepthook is not before
    restore()
    assert sys.excepthook is before
