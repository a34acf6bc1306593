from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.context import Ripple
from app.settings import Settings


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Ripple]:
    from db.store import Store

    ripple = Ripple(Store.open(f"sqlite:///{tmp_path / 'ui.db'}"), Settings(facilitator="Marta Ruiz"))
    yield ripple
    ripple.close()


#: How long a modal dialog may wait unanswered before the test counts as stuck on it (a test
#: that answers a dialog does so within a second or two; an unexpected one blocks forever).
MODAL_PATIENCE_S = 20.0


@pytest.fixture(autouse=True)
def no_unanswered_dialog(qapp: QApplication) -> Iterator[None]:
    """Fail, not hang, a test stuck on a modal dialog nobody answers.

    Why: a dialog's ``exec()`` runs its own event loop, so a test that did not expect one
    (a question asked only after 23:00, say) waits for ever, and CI ran out of time on one.
    A timer, which fires inside that loop too, closes a modal dialog left open longer than
    ``MODAL_PATIENCE_S``, the test runs on, and its teardown fails with what the dialog said."""
    stuck: list[str] = []
    opened: dict[int, float] = {}

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            opened.clear()
            return
        since = opened.setdefault(id(modal), time.monotonic())
        if time.monotonic() - since < MODAL_PATIENCE_S:
            return
        said = modal.text() if isinstance(modal, QMessageBox) else ""
        stuck.append(f"“{modal.windowTitle()}” {said}".strip())
        opened.pop(id(modal), None)
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(look)
    timer.start()
    yield
    timer.stop()
    if stuck:
        pytest.fail(f"a modal dialog waited {MODAL_PATIENCE_S:.0f} s unanswered and was closed: "
                    + "; ".join(stuck))
