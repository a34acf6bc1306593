"""Clips can be played here: QMediaPlayer has a backend and plays an H.264/AAC MP4.

On a bare Debian without libxrandr2 the whole suite once stayed green while Qt said "No
QtMultimedia backends found" and every player in the app showed "Not available". This test
fails in that case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.platform.selftest import encode_test_clip
from ui import selftest


def test_qmediaplayer_has_a_backend(qapp: object) -> None:
    assert selftest.has_player_backend(), (
        "QMediaPlayer has no backend: Qt's FFmpeg multimedia plugin did not load (a system "
        "library it links against is missing; see packaging/debian-packages.txt)"
    )
    check = selftest.check_multimedia_backend()
    assert check.ok, check.detail


def test_qmediaplayer_plays_a_ripple_clip(qapp: object, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    encode_test_clip(clip)
    check = selftest.check_player(clip)
    assert check.ok, check.detail
    assert "frames shown" in check.detail


def test_platform_and_camera_lines(qapp: object) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert selftest.check_platform(app).ok
    cameras = selftest.check_cameras()
    assert not cameras.required  # none connected (as here) is a warning, not a failure


def test_run_prints_one_json_line_per_check(qapp: object, capsys: pytest.CaptureFixture[str]) -> None:
    from app.platform.selftest import Check

    code = selftest.run(None)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    checks = [Check.from_json(line) for line in lines]
    assert [c.name for c in checks] == ["Qt platform", "Multimedia backend", "Media player", "Cameras"]
    assert code == 0
