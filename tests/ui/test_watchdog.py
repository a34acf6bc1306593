"""The UI tests' watchdog (tests/ui/conftest.py): a dialog nobody answers fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest_plugins = ["pytester"]


def test_a_dialog_nobody_answers_fails_the_test_instead_of_hanging(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    pytester.makeconftest("""
from tests.ui.conftest import no_unanswered_dialog  # noqa: F401
import tests.ui.conftest as c
c.MODAL_PATIENCE_S = 1.0
""")
    pytester.makepyfile("""
from PySide6.QtWidgets import QMessageBox

def test_asks(qapp):
    QMessageBox.question(None, "Run it today?", "The workshop is planned for tomorrow.")
""")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=60)
    result.assert_outcomes(passed=1, errors=1)  # the test ran on; its teardown reports the dialog
    result.stdout.fnmatch_lines(["*a modal dialog waited 1 s unanswered and was closed*Run it today?*"])
