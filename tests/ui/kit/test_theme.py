"""The theme styles the stock widgets like Ripple's own: no stock icons on dialog buttons,
the destructive button in red, combos and spin boxes drawn with the theme's carets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.brand import DARK, LIGHT
from app.context import Ripple
from app.planning.workshops import list_workshops
from ui.kit import theme
from ui.plan.page import Planner

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    theme.apply(qapp, "light")
    yield qapp
    theme.apply(qapp, "light")


ICONS_ON_X11 = """
import json, sys
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from ui.kit import theme
app = QApplication([])
def has_icons():
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    return [not b.icon().isNull() for b in box.buttons()]
app.setStyle("Fusion")
stock = has_icons()
theme.apply(app, "light")
print(json.dumps({"stock": stock, "ripple": has_icons()}))
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb: offscreen Qt never draws stock icons")
def test_dialog_buttons_carry_no_stock_icons(tmp_path: Path) -> None:
    """On X11 Fusion puts a green tick and a red cross on OK and Cancel; the theme takes them off."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb", "RIPPLE_HOME": str(tmp_path)}
    out = subprocess.run(["xvfb-run", "-a", sys.executable, "-c", ICONS_ON_X11], env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen == {"stock": [True, True], "ripple": [False, False]}


def test_the_carets_are_the_palettes_muted_colour(themed: QApplication) -> None:
    for palette in (LIGHT, DARK):
        paths = theme.arrows(palette)
        for path in (paths["down"], paths["up"]):
            image = QImage(path)
            ink = {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())
                   if QColor.fromRgba(image.pixel(x, y)).alpha() == 255}
            assert ink == {QColor(palette.muted).name()}
        sheet = theme.stylesheet(palette, paths)
        assert f"url({paths['down']})" in sheet and f"url({paths['up']})" in sheet


def test_deleting_a_workshop_asks_with_a_red_delete(themed: QApplication, qtbot: QtBot, ctx: Ripple) -> None:
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.show()
    planner.new_workshop(None)
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        delete = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Delete")
        seen["destructive"] = delete.property("destructive")
        seen["icons"] = [b.icon().isNull() for b in dialog.findChildren(QPushButton)]
        dialog.reject()

    QTimer.singleShot(0, answer)
    planner.delete_button.click()
    assert seen == {"destructive": True, "icons": [True, True]}
    assert len(list_workshops(ctx.store)) == 1  # cancelled: nothing deleted
