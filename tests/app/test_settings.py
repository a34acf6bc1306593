"""Settings: versioned, read leniently (numbers whatever their JSON type), saved atomically."""

from __future__ import annotations

import json

from app import settings as settings_mod
from app.settings import SETTINGS_VERSION, Settings


def _write(raw: object) -> None:
    path = settings_mod.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw), encoding="utf-8")


def test_saved_settings_carry_their_version_and_read_back() -> None:
    s = Settings(facilitator="Marta Ruiz", video_height=1080, max_clip_seconds=45.0, show_live_panel=True)
    settings_mod.save(s)
    raw = json.loads(settings_mod.settings_path().read_text(encoding="utf-8"))
    assert raw["version"] == SETTINGS_VERSION
    assert settings_mod.load() == s


def test_a_file_from_before_versions_is_read_and_upgraded() -> None:
    _write({"facilitator": "Ana", "sync_every_minutes": 15})
    s = settings_mod.load()
    assert s.version == SETTINGS_VERSION and s.facilitator == "Ana" and s.sync_every_minutes == 15


def test_numbers_are_accepted_whatever_their_json_type() -> None:
    _write({"version": "1", "video_height": "1080", "sync_every_minutes": 5.0,
            "max_clip_seconds": "120", "extras": {"a": 1}})
    s = settings_mod.load()
    assert s.video_height == 1080 and isinstance(s.video_height, int)
    assert s.sync_every_minutes == 5 and isinstance(s.sync_every_minutes, int)
    assert s.max_clip_seconds == 120.0 and isinstance(s.max_clip_seconds, float)
    _write({"max_clip_seconds": 60, "sync_every_minutes": " 7 "})
    s = settings_mod.load()
    assert s.max_clip_seconds == 60.0 and isinstance(s.max_clip_seconds, float) and s.sync_every_minutes == 7


def test_values_that_are_not_valid_keep_their_defaults() -> None:
    defaults = Settings()
    _write({"video_height": 1080.5, "sync_every_minutes": True, "max_clip_seconds": "NaN",
            "show_live_panel": 1, "facilitator": 42, "theme": None, "camera": "synthetic"})
    s = settings_mod.load()
    assert s.video_height == defaults.video_height  # not a whole number
    assert s.sync_every_minutes == defaults.sync_every_minutes  # a boolean is not a number
    assert s.max_clip_seconds == defaults.max_clip_seconds  # not finite
    assert s.show_live_panel is False and s.facilitator == "" and s.theme == "system"
    assert s.camera == "synthetic"  # the valid values around them are kept


def test_a_damaged_file_gives_the_defaults() -> None:
    settings_mod.settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_mod.settings_path().write_text("{not json", encoding="utf-8")
    assert settings_mod.load() == Settings()
    _write(["a", "list"])
    assert settings_mod.load() == Settings()


def test_a_version_1_file_with_an_unknown_theme_or_clip_length_is_upgraded_to_the_defaults() -> None:
    defaults = Settings()
    _write({"version": 1, "theme": "solarized", "max_clip_seconds": 0, "facilitator": "  Ana Ortiz ",
            "camera": "1", "microphone": "none"})
    s = settings_mod.load()
    assert s.version == SETTINGS_VERSION == 2
    assert s.theme == defaults.theme and s.max_clip_seconds == defaults.max_clip_seconds
    assert s.facilitator == "Ana Ortiz" and s.camera == "1" and s.microphone == "none"
    _write({"version": 1, "theme": " Dark", "max_clip_seconds": 45})
    s = settings_mod.load()
    assert s.theme == "dark" and s.max_clip_seconds == 45.0
    _write({"theme": "light", "max_clip_seconds": 301})
    s = settings_mod.load()
    assert s.theme == "light" and s.max_clip_seconds == defaults.max_clip_seconds
