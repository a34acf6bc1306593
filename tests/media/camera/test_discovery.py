from __future__ import annotations

from pathlib import Path

import pytest

import media.camera.discovery as discovery_mod
from media.camera.discovery import default_camera_spec, list_cameras, open_camera
from media.camera.file import FileCamera
from media.camera.synthetic import SyntheticCamera
from media.errors import MediaError
from tests.media.conftest import Clip


def test_open_camera_specs(landscape_clip: Clip, tmp_path: Path) -> None:
    synthetic = open_camera("synthetic", 320, 240, 15)
    assert synthetic.is_open and isinstance(synthetic, SyntheticCamera)
    assert (synthetic.width, synthetic.height, synthetic.fps) == (320, 240, 15)
    synthetic.close()
    from_file = open_camera(str(landscape_clip.path), 320, 240)
    assert isinstance(from_file, FileCamera) and (from_file.width, from_file.height) == (320, 240)
    from_file.close()
    with pytest.raises(MediaError, match="not a camera"):
        open_camera(str(tmp_path / "missing.mp4"))


def test_listing_is_quiet_and_synthetic_is_the_fallback(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cameras = list_cameras(max_index=3)
    spec = default_camera_spec()
    out, err = capfd.readouterr()
    assert err == "" and out == ""
    if not cameras:
        assert spec == "synthetic"
    monkeypatch.setattr(discovery_mod, "_device_may_exist", lambda index: False)
    assert list_cameras() == []
    assert default_camera_spec() == "synthetic"


def test_device_prefers_the_real_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeCapture:
        def __init__(self, *args: object) -> None:
            pass

        def isOpened(self) -> bool:
            return True

        def release(self) -> None:
            pass

    monkeypatch.setattr(discovery_mod, "_device_may_exist", lambda index: True)
    monkeypatch.setattr(discovery_mod.cv2, "VideoCapture", FakeCapture)
    assert default_camera_spec() == "0"
