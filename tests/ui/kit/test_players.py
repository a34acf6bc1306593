"""Stopping a clip that plays with sound never freezes the window (``ui.kit.players``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from pytestqt.qtbot import QtBot

from tests.helpers.media import make_video
from ui.kit import players

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 150
DEADLINE_S = 150


@pytest.fixture
def busy_core() -> Iterator[None]:
    """A core kept busy, as on a laptop that records and syncs: the deadlock needed a loaded machine."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield
    hog.kill()
    hog.wait()


def test_stopping_a_playing_take_many_times_never_hangs(tmp_path: Path, busy_core: None) -> None:
    """A Python call of ``QMediaPlayer.stop()`` kept the GIL while Qt's audio thread waited for
    it: with two busy cores, 3 runs in 9 of 150 stops hung for good (9 in 9 went through
    ``players.stop``). A hang here is a failure at the deadline, with the stack printed."""
    clip = make_video(tmp_path / "take.mp4", 2.0)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.Popen([sys.executable, "-m", "tests.helpers.stop_stress", str(ROUNDS), str(clip)],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = run.communicate(timeout=DEADLINE_S)
    except subprocess.TimeoutExpired:
        run.send_signal(signal.SIGABRT)  # faulthandler prints where it hung
        out, _ = run.communicate()
        pytest.fail(f"stopping the player hung within {ROUNDS} rounds:\n{out[-4000:]}")
    assert run.returncode == 0 and f"stopped {ROUNDS}" in out, out[-4000:]


def test_stop_is_done_when_it_returns_and_the_player_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    player = QMediaPlayer()
    audio = QAudioOutput()
    player.setAudioOutput(audio)
    states: list[QMediaPlayer.PlaybackState] = []
    player.playbackStateChanged.connect(states.append)
    players.stop(player)  # stopping a stopped player is nothing
    assert states == []
    player.setSource(QUrl.fromLocalFile(str(make_video(tmp_path / "take.mp4"))))
    player.play()
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=5000)
    players.unload(player)
    assert player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    assert states[-1] == QMediaPlayer.PlaybackState.StoppedState
    assert player.source().isEmpty()


def test_no_screen_stops_a_player_with_a_plain_call() -> None:
    """The one way to stop a player is ``players.stop``: a plain ``player.stop()`` anywhere
    in ``ui/`` brings the freeze back (the audience window's ``clip.stop()`` is our own)."""
    plain = [f"{path.relative_to(ROOT)}:{n}"
             for path in sorted((ROOT / "ui").rglob("*.py")) if path.name != "players.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "player.stop()" in line]
    assert plain == []
