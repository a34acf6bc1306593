"""Where the room's window goes: two screens from Qt's offscreen platform (a screen file) and
a projector unplugged and plugged back in under Xvfb (RandR monitors). Each runs the app in a
child process (tests/ui/audience/screens_child.py), since screens are fixed when Qt starts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCREENS = {"screens": [
    {"name": "LAPTOP", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96},
    {"name": "PROJ", "x": 1366, "y": 0, "width": 1280, "height": 720, "logicalDpi": 96},
]}


def run_child(tmp_path: Path, mode: str, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    db = f"sqlite:///{tmp_path / 'room.db'}"
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    full = {**os.environ, "PYTHONPATH": str(ROOT), "RIPPLE_HOME": str(home)} | env
    done = subprocess.run([sys.executable, "-m", "tests.ui.audience.screens_child", db, mode], cwd=ROOT,
                          env=full, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    steps = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {s["step"]: s for s in steps}


def test_two_screens_the_room_goes_where_it_is_asked(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS))
    steps = run_child(tmp_path, "two", {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"})
    opened = steps["opened"]
    assert opened["screens"] == ["LAPTOP", "PROJ"] and opened["console_screen"] == "LAPTOP"
    assert opened["visible"] and opened["screen"] == "PROJ" and opened["fullscreen"]
    assert opened["geometry"] == [1366, 0, 1280, 720]
    assert opened["title"].startswith("Ripple audience")
    assert opened["timer_height"] >= 720 / 5
    assert "Handling objections" in opened["labels"] and opened["status"].startswith("Room sees: PROJ")
    assert steps["window"]["visible"] and not steps["window"]["fullscreen"]
    assert not steps["none"]["visible"] and "nothing" in steps["none"]["status"]
    # a screen that is not there: no window at all, never the laptop's screen instead
    assert not steps["absent"]["visible"] and "HDMI-9 unplugged" in steps["absent"]["status"]
    # the console's own screen: a window beside the console (rehearsing), never over it
    mine = steps["console's screen"]
    assert mine["visible"] and mine["screen"] == "LAPTOP" and not mine["fullscreen"]
    assert "the console's screen" in mine["status"]
    assert steps["back"]["visible"] and steps["back"]["screen"] == "PROJ" and steps["back"]["fullscreen"]
    swapped = steps["swapped"]
    assert swapped["console_screen"] == "PROJ" and swapped["remembered"] == "LAPTOP"
    assert swapped["visible"] and swapped["screen"] == "LAPTOP" and swapped["fullscreen"]


@pytest.fixture
def xvfb() -> Iterator[dict[str, str]]:
    """An X server with two RandR monitors: LAPTOP (1366×768) and PROJ (1280×720) beside it."""
    if not (shutil.which("Xvfb") and shutil.which("xrandr")):
        why = "Xvfb and xrandr are needed (apt-get install xvfb x11-xserver-utils)"
        if os.environ.get("RIPPLE_REQUIRE_PG") == "1":  # CI (./test sets up both): fail, never skip
            pytest.fail(why)
        pytest.skip(why)
    display = f":{150 + os.getpid() % 100}"
    # -noreset: without it the server resets (and forgets the monitors) when xrandr disconnects
    server = subprocess.Popen(["Xvfb", display, "-noreset", "-screen", "0", "2646x768x24", "+extension", "RANDR"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    try:
        for _ in range(100):
            if subprocess.run(["xrandr", "--listmonitors"], env={**os.environ, **env},
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.05)  # waiting for the X server to accept clients, not for the UI
        for monitor in ("LAPTOP 1366/340x768/190+0+0", "PROJ 1280/300x720/170+1366+0"):
            subprocess.run(["xrandr", "--setmonitor", *monitor.split(), "none"], env={**os.environ, **env}, check=True)
        yield env
    finally:
        server.terminate()
        server.wait(10)


def test_unplugging_closes_the_room_and_plugging_brings_it_back(tmp_path: Path, xvfb: dict[str, str]) -> None:
    steps = run_child(tmp_path, "hotplug", xvfb)
    assert steps["opened"]["visible"] and steps["opened"]["screen"] == "PROJ" and steps["opened"]["fullscreen"]
    assert steps["opened"]["console_screen"] == "LAPTOP"
    unplugged = steps["unplugged"]
    assert "PROJ" not in unplugged["screens"]
    assert not unplugged["visible"]
    assert "PROJ unplugged" in unplugged["status"]
    # whatever Qt did with the window when its screen went, it was never visible elsewhere
    assert all(not visible for screen, visible in unplugged["seen"] if screen != "PROJ")
    back = steps["replugged"]
    assert back["visible"] and back["screen"] == "PROJ" and back["fullscreen"]
    assert back["geometry"] == [1366, 0, 1280, 720]
    assert all(not visible for screen, visible in back["seen"] if screen != "PROJ")


def test_a_screen_plugged_in_during_a_workshop_is_offered(tmp_path: Path, xvfb: dict[str, str]) -> None:
    steps = run_child(tmp_path, "offer", xvfb)
    assert not steps["opened"]["visible"]  # never chosen: offered, not taken
    assert not steps["laptop only"]["visible"]
    replugged = steps["replugged"]
    assert "PROJ" in replugged["banner"] and not replugged["visible"]
    accepted = steps["accepted"]
    assert accepted["visible"] and accepted["screen"] == "PROJ" and accepted["remembered"] == "PROJ"
