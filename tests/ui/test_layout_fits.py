"""Usable on a 1366x768 laptop and at 200 % scaling: every page fits, nothing is cut off.

Each scale runs in a process of its own, because Qt reads QT_SCALE_FACTOR once at start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("scale", ["1", "2"])
def test_every_page_fits_a_small_laptop(scale: str, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "RIPPLE_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "layout_probe.py"),
                          f"sqlite:///{tmp_path / 'layout.db'}"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["ratio"] == float(scale)
    assert result["physical"] == [1366 * int(scale), 768 * int(scale)]
    assert result["problems"] == []
