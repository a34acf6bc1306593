"""Choosing the booth's camera and microphone from the settings."""

from __future__ import annotations

import pytest

import media.audio as audio_mod
import media.camera.discovery as discovery_mod
from app.clips.devices import (
    ASK_FOR_FILE,
    NO_CAMERA_FOUND,
    NO_MICROPHONE_FOUND,
    CameraOption,
    Found,
    MicrophoneOption,
    camera_options,
    capture_size,
    choose_microphone,
    find_devices,
    microphone_options,
    open_sources,
    resolve_camera,
)
from app.settings import Settings
from media.audio import SyntheticTone
from media.camera.synthetic import SyntheticCamera
from media.errors import MediaError


def test_camera_options_list_what_was_found_and_never_a_camera_that_is_not_there() -> None:
    tail = [CameraOption("Synthetic test pattern", "synthetic"), CameraOption("Video file as camera…", ASK_FOR_FILE)]
    none = [CameraOption(NO_CAMERA_FOUND, ""), *tail]
    assert camera_options("", Found()) == none
    assert camera_options("synthetic", Found()) == none
    assert camera_options("2", Found()) == [*none, CameraOption("Camera 2 (not found)", "2")]
    assert camera_options("/videos/demo.mp4") == [*none, CameraOption("demo.mp4", "/videos/demo.mp4")]
    desk = CameraOption("Desk cam (0)", "0")
    assert camera_options("0", Found((desk,))) == [desk, *tail]
    assert all("Laptop camera" not in o.label for o in camera_options("", Found()))


def test_nothing_chosen_means_the_first_camera_found_or_none() -> None:
    desk, usb = CameraOption("Desk cam (0)", "0"), CameraOption("USB (2)", "2")
    assert resolve_camera("", Found((usb, desk))) == "2"
    assert resolve_camera("", Found()) is None
    assert resolve_camera("synthetic", Found()) == "synthetic"


def test_microphone_options_say_when_there_is_none() -> None:
    tail = [MicrophoneOption("Synthetic tone", "synthetic"), MicrophoneOption("No sound", "none")]
    assert microphone_options(Found()) == [MicrophoneOption(NO_MICROPHONE_FOUND, ""), *tail]
    found = Found(microphones=(MicrophoneOption("Headset", "hs"), MicrophoneOption("Array", "arr")))
    assert microphone_options(found) == [MicrophoneOption("Headset", ""), MicrophoneOption("Array", "arr"), *tail]


def test_find_devices_lists_this_machines_devices() -> None:
    from media.audio import list_microphones
    from media.camera.discovery import list_cameras

    found = find_devices()
    assert [c.spec for c in found.cameras] == [str(c.index) for c in list_cameras()]
    assert sorted(m.spec for m in found.microphones) == sorted(m.id for m in list_microphones())


def test_capture_size_is_720p_unless_1080p_is_chosen() -> None:
    assert capture_size(1080) == (1920, 1080)
    assert capture_size(720) == (1280, 720)
    assert capture_size(480) == (1280, 720)


def test_microphone_choice() -> None:
    assert choose_microphone("none", "synthetic") is None
    assert isinstance(choose_microphone("synthetic", "0"), SyntheticTone)
    assert isinstance(choose_microphone("", "synthetic"), SyntheticTone), "the pattern beeps"


def test_default_microphone_when_nothing_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio_mod, "default_microphone", lambda: None)
    assert choose_microphone("", "0") is None


def test_open_sources_opens_the_chosen_camera_at_the_chosen_size() -> None:
    sources = open_sources(Settings(camera="synthetic", video_height=1080))
    try:
        assert isinstance(sources.camera, SyntheticCamera) and sources.camera.is_open
        assert (sources.camera.width, sources.camera.height) == (1920, 1080)
        assert isinstance(sources.audio, SyntheticTone)
    finally:
        sources.close()
    assert not sources.camera.is_open


def test_nothing_chosen_falls_back_to_the_pattern_without_a_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery_mod, "default_camera_spec", lambda: "synthetic")
    sources = open_sources(Settings(camera="", microphone="none"))
    assert isinstance(sources.camera, SyntheticCamera) and sources.audio is None
    sources.close()


def test_a_chosen_camera_that_is_missing_is_named() -> None:
    with pytest.raises(MediaError, match=r"^Camera 7 \(.*\) could not be opened"):
        open_sources(Settings(camera="7"))
