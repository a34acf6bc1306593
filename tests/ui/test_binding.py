"""The Qt binding keeps Python's reference counts right.

PySide6 6.12.0 on Python 3.11 dropped a reference to ``None`` on every call of a method that
returns nothing (``setText``, ``setData``, ``setObjectName``…): after a few thousand calls,
filling a roster table of 6,000 people for instance, the interpreter aborted with
"deallocating None". pyproject.toml excludes that release; this test catches the next one
that does the same. (From Python 3.12 ``None`` is immortal and the count never moves.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QTableWidgetItem
from pytestqt.qtbot import QtBot


def _calls(qtbot: QtBot) -> dict[str, Callable[[], object]]:
    label = QLabel()
    qtbot.addWidget(label)
    obj = QObject()
    item = QTableWidgetItem("x")
    return {
        "QLabel.setText": lambda: label.setText("a"),
        "QObject.setObjectName": lambda: obj.setObjectName("x"),
        "QTableWidgetItem.setData": lambda: item.setData(Qt.ItemDataRole.UserRole, "s"),
        "QTableWidgetItem.setToolTip": lambda: item.setToolTip("tip"),
    }


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
@pytest.mark.parametrize("name", ["QLabel.setText", "QObject.setObjectName", "QTableWidgetItem.setData",
                                  "QTableWidgetItem.setToolTip"])
def test_methods_returning_nothing_leave_none_alone(qtbot: QtBot, name: str) -> None:
    call = _calls(qtbot)[name]
    before = sys.getrefcount(None)
    for _ in range(200):  # well under what None holds, so a leaking binding fails here, not aborts
        call()
    assert abs(sys.getrefcount(None) - before) < 50, f"{name} changes None's reference count"
